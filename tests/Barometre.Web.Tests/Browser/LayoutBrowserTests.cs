using System.Globalization;
using System.Text;
using System.Text.Json;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Synthetic;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Web.Accessibility;
using Barometre.Web.Pages.Questionnaire;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// Every page at a phone's width (390 px, and 320 px) and a desktop's (1280 px) in a real browser, on the shipped
/// models with a synthetic panel: no page wider than the screen, no chart text under 11 px as displayed, and every
/// table within its card or in a box that scrolls. Each page's screenshot is saved for a developer to look at
/// (the folder is printed in the test's output).
/// </summary>
public abstract class LayoutBrowserTests<TDatabase>(TDatabase database, ChromiumFixture chromium)
    : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const double SmallestChartText = 11;

    // What a page measures of itself: its width against the screen's, its smallest chart text as displayed
    // (font size × the SVG's scale, over the SVGs shown), and the tables that stick out of their card (main)
    // without a box of their own that scrolls.
    private const string Measure = """
        () => {
          const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
          let smallest = null;
          for (const text of document.querySelectorAll('svg text')) {
            const svg = text.ownerSVGElement;
            if (!svg.checkVisibility() || !text.checkVisibility()) continue;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const size = parseFloat(getComputedStyle(text).fontSize) * scale;
            if (smallest === null || size < smallest.size) {
              smallest = { size, where: `${svg.closest('figure')?.id ?? 'svg'} « ${text.textContent.trim().slice(0, 40)} »` };
            }
          }
          const card = document.querySelector('main').getBoundingClientRect();
          const tables = [];
          for (const table of document.querySelectorAll('main table')) {
            if (!table.checkVisibility()) continue;
            let box = table;
            while (box !== null && box.tagName !== 'MAIN' && !scrolls(box)) box = box.parentElement;
            const edge = (box === null || box.tagName === 'MAIN' ? table : box).getBoundingClientRect();
            if (edge.right > card.right + 1 || edge.left < card.left - 1) {
              tables.push(`${table.querySelector('caption')?.textContent.trim().slice(0, 50) ?? table.className} (${Math.round(edge.left)} à ${Math.round(edge.right)} px, carte ${Math.round(card.left)} à ${Math.round(card.right)} px)`);
            }
          }
          // What sticks out of the screen, innermost first (to name the culprit when the page is too wide).
          const clipped = e => { for (let p = e.parentElement; p !== null; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true; return false; };
          const out = e => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e);
          const wide = [...document.querySelectorAll('body *')].filter(e => out(e) && ![...e.children].some(out)).slice(0, 3)
            .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : ''} « ${e.textContent.trim().slice(0, 40)} »`);
          return JSON.stringify({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
            smallestText: smallest?.size ?? null, smallestWhere: smallest?.where ?? null, tables, wide });
        }
        """;

    [Fact]
    public async Task EveryPage_AtPhoneAndDesktopWidths_FitsTheScreenWithReadableChartsAndTables()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var site = await SeedAsync(server.Services);
        var folder = Path.Combine(AppContext.BaseDirectory, "layout-screenshots", Database.GetType().Name.Replace("Database", "", StringComparison.Ordinal).ToLowerInvariant());
        Directory.CreateDirectory(folder);
        TestContext.Current.TestOutputHelper?.WriteLine($"Captures d'écran : {folder}");
        var browser = await chromium.BrowserAsync();
        var problems = new List<string>();
        var report = new StringBuilder();

        await VisitEveryPageAsync(browser, server, site, [390, 1280, 320], CheckAsync);
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        async Task CheckAsync(IPage page, string name, string url, int width)
        {
            var response = await page.GotoAsync(url);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{width.ToString(CultureInfo.InvariantCulture)}.png"), FullPage = true });
            using var measured = JsonDocument.Parse(await page.EvaluateAsync<string>(Measure));
            var root = measured.RootElement;
            var scrollWidth = root.GetProperty("scrollWidth").GetInt32();
            var smallest = root.GetProperty("smallestText").ValueKind == JsonValueKind.Null ? (double?)null : root.GetProperty("smallestText").GetDouble();
            var where = $"{name} ({url}) à {width} px";
            report.AppendLine(CultureInfo.InvariantCulture, $"{width,5} px  {name,-28} HTTP {response?.Status}  largeur {scrollWidth} px  plus petit texte de graphique {(smallest is { } s ? $"{s:0.0} px" : "—")}");
            if (scrollWidth > width)
            {
                problems.Add($"{where} : la page fait {scrollWidth} px de large ({string.Join(" ; ", root.GetProperty("wide").EnumerateArray().Select(e => e.GetString()))}).");
            }
            if (smallest < SmallestChartText)
            {
                problems.Add($"{where} : texte de graphique de {smallest:0.0} px ({root.GetProperty("smallestWhere").GetString()}).");
            }
            foreach (var table in root.GetProperty("tables").EnumerateArray())
            {
                problems.Add($"{where} : tableau hors de sa carte sans défilement : {table.GetString()}.");
            }
        }
    }

    /// <summary>The variable whose value 1 lets the accessibility test rewrite the record it finds stale.</summary>
    private const string UpdateRecordVariable = "BAROMETRE_UPDATE_ACCESSIBILITY_RECORD";

    /// <summary>What the accessibility statement says of each page: its French title, its address with the variable parts named, who sees it.</summary>
    private static readonly Dictionary<string, (string Title, string Path, string Audience)> StatementPages = new(StringComparer.Ordinal)
    {
        ["accueil"] = ("Accueil", "/", "public"),
        ["resultats-publies"] = ("Résultats publiés", "/resultats", "public"),
        ["tableau-de-bord"] = ("Tableau de bord d'une campagne publiée", "/resultats/{campagne}", "public"),
        ["tableau-de-bord-evolution"] = ("Tableau de bord avec l'évolution depuis l'édition précédente", "/resultats/{campagne}", "public"),
        ["accessibilite"] = ("Déclaration d'accessibilité", "/accessibilite", "public"),
        ["donnees-personnelles"] = ("Données personnelles", "/donnees-personnelles", "public"),
        ["documentation-api"] = ("Documentation de l'API", "/documentation-api", "public"),
        ["page-introuvable"] = ("Page introuvable", "/{adresse inconnue}", "public"),
        ["questionnaire-accueil"] = ("Questionnaire : accueil", "/q/{lien}", "collectivité"),
        ["questionnaire-theme"] = ("Questionnaire : un thème, avec une réponse mise en doute", "/q/{lien}/theme/{numéro}", "collectivité"),
        ["questionnaire-transmettre"] = ("Questionnaire : relire et transmettre", "/q/{lien}/transmettre", "collectivité"),
        ["comparatif"] = ("Comparatif d'une collectivité", "/q/{lien}/resultats", "collectivité"),
        ["lien-inconnu"] = ("Lien d'invitation inconnu", "/q/{lien}", "collectivité"),
        ["questionnaire-mes-donnees"] = ("Questionnaire : mes données personnelles", "/q/{lien}/mes-donnees", "collectivité"),
        ["connexion"] = ("Connexion des opérateurs", "/admin/connexion", "opérateur"),
        ["operateur-campagnes"] = ("Campagnes", "/admin", "opérateur"),
        ["operateur-campagne"] = ("Suivi d'une campagne", "/admin/campagnes/{campagne}", "opérateur"),
        ["operateur-panel"] = ("Panel d'une campagne", "/admin/campagnes/{campagne}/panel", "opérateur"),
        ["operateur-invitations"] = ("Liens d'invitation", "/admin/campagnes/{campagne}/invitations", "opérateur"),
        ["operateur-collectivite"] = ("Une collectivité et ses réponses", "/admin/campagnes/{campagne}/collectivites/{collectivité}", "opérateur"),
        ["operateur-journal"] = ("Journal d'une campagne", "/admin/campagnes/{campagne}/journal", "opérateur"),
        ["operateur-resultats"] = ("Résultats d'une campagne close", "/admin/campagnes/{campagne}/resultats", "opérateur"),
        ["operateur-cloture"] = ("Clôture d'une campagne", "/admin/campagnes/{campagne}/cloture", "opérateur"),
        ["operateur-nouvelle-campagne"] = ("Nouvelle campagne", "/admin/campagnes/nouvelle", "opérateur"),
        ["operateur-import"] = ("Import de réponses", "/admin/campagnes/{campagne}/reponses", "opérateur"),
        ["operateur-courriels"] = ("Courriels d'une campagne", "/admin/campagnes/{campagne}/courriels", "opérateur"),
        ["operateur-donnees-personnelles"] = ("Données personnelles d'une campagne", "/admin/campagnes/{campagne}/donnees-personnelles", "opérateur"),
        ["operateur-comptes"] = ("Comptes et clés d'API", "/admin/comptes", "opérateur"),
        ["operateur-registre"] = ("Registre des traitements", "/admin/registre", "opérateur"),
    };

    /// <summary>
    /// Every page of the layout test at a phone's and a desktop's width through axe-core (its French messages): none on the
    /// statement itself, and what axe-core measured — pages, widths, its version, the rules passed, broken and left
    /// undecided — is the record the accessibility statement renders (src/Barometre.Web/Accessibility/accessibility-record.json,
    /// embedded in the web assembly). A stale record fails the test; with BAROMETRE_UPDATE_ACCESSIBILITY_RECORD=1 the test
    /// rewrites it instead (dated today), to commit after a rebuild and a second run, since the statement shows the record.
    /// </summary>
    [Fact]
    public async Task EveryPage_AtPhoneAndDesktopWidths_PassesAxe_AsTheAccessibilityStatementRecords()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var site = await SeedAsync(server.Services);
        var browser = await chromium.BrowserAsync();
        int[] widths = [390, 1280];
        var results = new Dictionary<string, List<WidthResult>>(StringComparer.Ordinal);
        var violations = new List<string>();
        string? version = null;

        await VisitEveryPageAsync(browser, server, site, widths, MeasureAsync);
        var measured = new AccessibilityRecord(
            DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), version!, "Chromium sans interface, piloté par Playwright", widths,
            [.. site.PublicPages.Concat(site.OperatorPages).Select(p => p.Name).Distinct().Select(name =>
                StatementPages.TryGetValue(name, out var described)
                    ? new CheckedPage(described.Title, described.Path, described.Audience, results[name])
                    : throw new InvalidOperationException($"The page « {name} » has no title in StatementPages: add it, as the accessibility statement will list it."))]);

        // The other pages' violations are the statement's non-conformities, listed there; the statement itself has none.
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, violations));
        Assert.All(results["accessibilite"], result => Assert.Empty(result.Violations));
        var shipped = AccessibilityRecord.Shipped;
        if (!shipped.SameResults(measured))
        {
            var file = Path.Combine(RepositoryRoot(), "src", "Barometre.Web", "Accessibility", "accessibility-record.json");
            if (Environment.GetEnvironmentVariable(UpdateRecordVariable) == "1")
            {
                await File.WriteAllTextAsync(file, measured.ToJson(), Ct);
                TestContext.Current.TestOutputHelper?.WriteLine($"{file} rewritten: rebuild, run this test again (the statement shows the record), then commit it.");
            }
            else
            {
                Assert.Fail($"The accessibility record is stale: the statement (/accessibilite) would show other results than axe-core measures now. "
                    + $"Run this test with {UpdateRecordVariable}=1 to rewrite {file}, rebuild, run it again, and commit the file. Measured:\n{measured.ToJson()}");
            }
        }

        async Task MeasureAsync(IPage page, string name, string url, int width)
        {
            await page.GotoAsync(url);
            var report = await AxeCheck.RunAsync(page, locale: "fr");
            version = report.Version;
            foreach (var violation in report.Violations)
            {
                violations.Add($"{name} ({url}) à {width} px : {violation.Id} ({violation.Impact}) {violation.Help} — {string.Join(" ; ", violation.Nodes.Select(n => n.Target))}");
            }
            (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(new WidthResult(
                width,
                [.. report.PassedRules!.Order(StringComparer.Ordinal)],
                [.. report.Violations.OrderBy(v => v.Id, StringComparer.Ordinal).Select(v => new RuleViolation(v.Id, v.Impact, v.Help, v.Nodes.Count))],
                [.. report.IncompleteRules!.Order(StringComparer.Ordinal)]));
        }
    }

    /// <summary>At each width, in a browser context of its own: every public page as the respondent's contributor, then every operator page signed in.</summary>
    private static async Task VisitEveryPageAsync(IBrowser browser, LiveServer server, Site site, int[] widths, Func<IPage, string, string, int, Task> visit)
    {
        foreach (var width in widths)
        {
            await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR", ViewportSize = new() { Width = width, Height = 800 } });
            await context.AddCookiesAsync([new Cookie { Name = QuestionnairePage.ContributorCookie(site.Respondent.ParticipantId), Value = site.Contributor, Url = server.Address }]);
            var page = await context.NewPageAsync();
            foreach (var (name, url) in site.PublicPages)
            {
                await visit(page, name, url, width);
            }
            await page.GotoAsync("/admin/connexion");
            await page.Locator("#email").FillAsync(site.Operator.Email);
            await page.Locator("#password").FillAsync(site.Operator.Password);
            await page.Locator("main form button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin$"));
            foreach (var (name, url) in site.OperatorPages)
            {
                await visit(page, name, url, width);
            }
        }
    }

    /// <summary>The repository's root: the folder above the tests' output that holds Barometre.slnx.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Barometre.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Barometre.slnx above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The demo's shape: a panel of 40 on the 2019 model closed and published, its next edition on the 2021 model
    /// published with its evolution, and a campaign in progress on the 2021 model (three fifths submitted).
    /// </summary>
    private static async Task<Site> SeedAsync(IServiceProvider services)
    {
        var earlierModel = ShippedModels.Load("maturite-numerique-2019");
        var laterModel = ShippedModels.Load("maturite-numerique-2021");
        var panel = SyntheticPanel.Generate(earlierModel, new SyntheticPanelOptions { Respondents = 40, Seed = 2019 });
        var followUp = SyntheticPanel.NextEdition(new EditionMapping(earlierModel, laterModel), panel, new SyntheticEditionOptions { Seed = 2021, Leave = 0.15 });
        var earlier = await CampaignAsync(services, "Baromètre 2019 (mise en page)", panel, null, panel.Count, publish: true);
        var later = await CampaignAsync(services, "Baromètre 2021 (mise en page)", followUp, earlier.Id, followUp.Count, publish: true);
        var open = await CampaignAsync(services, "Baromètre 2021 en cours (mise en page)", followUp, earlier.Id, followUp.Count * 3 / 5, publish: false);
        var respondent = open.Collectivites[^1];
        var contributor = await Seeding.AddContributorAsync(services, respondent, "Camille Leroy");
        // One of its answers put in doubt, so that the theme page shows a doubt and its reply form.
        await Seeding.InScopeAsync(services, async scoped =>
        {
            var questionId = followUp.Model.Themes[0].Questions[0].Id;
            var answerId = await scoped.GetRequiredService<Data.Storage.BarometreDbContext>().Answers
                .Where(a => a.ParticipantId == respondent.ParticipantId && a.QuestionId == questionId).Select(a => a.Id).SingleAsync(Ct);
            return await scoped.GetRequiredService<OperatorAnswers>().ReviewEvidenceAsync(answerId, EvidenceReview.Questioned, "Délibération à joindre", Seeding.Operator, Ct);
        });
        // Two API keys, one revoked, so that the accounts page shows its keys' table.
        await Seeding.InScopeAsync(services, async scoped =>
        {
            var keys = scoped.GetRequiredService<ApiKeys>();
            await keys.AddAsync("rédaction data", OperatorRole.Analyst, [later.Id], Seeding.Operator, Ct);
            var revoked = (ApiKeyOutcome.Created)await keys.AddAsync("ancien script", OperatorRole.CampaignManager, [open.Id], Seeding.Operator, Ct);
            return await keys.RevokeAsync(revoked.Key.Id, Seeding.Operator, Ct);
        });
        var operatorAccount = await Seeding.AddOperatorAsync(services);
        return new Site(
            respondent,
            contributor,
            operatorAccount,
            [
                ("accueil", "/"),
                ("resultats-publies", "/resultats"),
                ("tableau-de-bord", $"/resultats/{earlier.Id}"),
                ("tableau-de-bord-evolution", $"/resultats/{later.Id}"),
                ("questionnaire-accueil", respondent.Home),
                ("questionnaire-theme", $"{respondent.Home}/theme/1"),
                ("questionnaire-transmettre", $"{respondent.Home}/transmettre"),
                ("comparatif", $"{later.Collectivites[0].Home}/resultats"),
                ("connexion", "/admin/connexion"),
                ("page-introuvable", "/page-introuvable"),
                ("lien-inconnu", "/q/lien-inconnu"),
                ("documentation-api", "/documentation-api"),
                ("accessibilite", "/accessibilite"),
                ("donnees-personnelles", "/donnees-personnelles"),
                ("questionnaire-mes-donnees", $"{respondent.Home}/mes-donnees"),
            ],
            [
                ("operateur-campagnes", "/admin"),
                ("operateur-campagne", $"/admin/campagnes/{open.Id}"),
                ("operateur-panel", $"/admin/campagnes/{open.Id}/panel"),
                ("operateur-invitations", $"/admin/campagnes/{open.Id}/invitations"),
                ("operateur-collectivite", $"/admin/campagnes/{open.Id}/collectivites/{respondent.ParticipantId}"),
                ("operateur-journal", $"/admin/campagnes/{open.Id}/journal"),
                ("operateur-resultats", $"/admin/campagnes/{later.Id}/resultats"),
                ("operateur-cloture", $"/admin/campagnes/{open.Id}/cloture"),
                ("operateur-nouvelle-campagne", "/admin/campagnes/nouvelle"),
                ("operateur-import", $"/admin/campagnes/{open.Id}/reponses"),
                ("operateur-courriels", $"/admin/campagnes/{open.Id}/courriels"),
                ("operateur-donnees-personnelles", $"/admin/campagnes/{open.Id}/donnees-personnelles"),
                ("operateur-comptes", "/admin/comptes"),
                ("operateur-registre", "/admin/registre"),
                ("operateur-donnees-personnelles", $"/admin/campagnes/{later.Id}/donnees-personnelles"),
                ("operateur-registre", "/admin/registre"),
            ]);
    }

    /// <summary>A campaign of the panel's answers, the first <paramref name="submitted"/> submitted; closed and published when asked.</summary>
    private static Task<SeededCampaign> CampaignAsync(IServiceProvider services, string name, ResponseSet answers, int? previousCampaignId, int submitted, bool publish) =>
        Seeding.InScopeAsync(services, async scoped =>
        {
            var text = ModelFile.ReadText(answers.Model.Id).GetValueOrThrow().Text;
            var entries = answers.Respondents.Select(r => new PanelEntry(r, $"contact@{r.Code.ToLowerInvariant()}.exemple.fr")).ToList();
            var campaign = await scoped.GetRequiredService<CampaignLifecycle>().CreateAsync(name, text, answers.Model, entries, Seeding.Operator, previousCampaignId, cancellationToken: Ct);
            var answersService = scoped.GetRequiredService<OperatorAnswers>();
            await answersService.ImportAsync(campaign.Id, answers, "panel de test", Seeding.Operator, Ct);
            await answersService.SubmitOnBehalfAsync(campaign.Id, [.. answers.Respondents.Take(submitted).Select(r => r.Code)], Seeding.Operator, Ct);
            var issued = await scoped.GetRequiredService<CampaignInvitations>().IssueAsync(campaign.Id, reissueAll: false, Seeding.Operator, cancellationToken: Ct);
            if (publish)
            {
                var lifecycle = scoped.GetRequiredService<CampaignLifecycle>();
                Assert.IsNotType<CloseOutcome.Refused>(await lifecycle.CloseAsync(campaign.Id, null, Seeding.Operator, Ct));
                Assert.IsNotType<PublishOutcome.Refused>(await lifecycle.PublishAsync(campaign.Id, null, Seeding.Operator, Ct));
            }
            return new SeededCampaign(campaign.Id, name, answers.Model, [.. issued.Select(i => new SeededCollectivite(i.ParticipantId, i.Code, i.Name, i.Token, i.ExpiresAt))]);
        });

    private sealed record Site(
        SeededCollectivite Respondent, string Contributor, OperatorCredentials Operator,
        IReadOnlyList<(string Name, string Url)> PublicPages, IReadOnlyList<(string Name, string Url)> OperatorPages);
}

public sealed class LayoutBrowserTests_Sqlite(SqliteDatabase database, ChromiumFixture chromium)
    : LayoutBrowserTests<SqliteDatabase>(database, chromium), IClassFixture<ChromiumFixture>;

public sealed class LayoutBrowserTests_Postgres(PostgresDatabase database, ChromiumFixture chromium)
    : LayoutBrowserTests<PostgresDatabase>(database, chromium), IClassFixture<ChromiumFixture>;
