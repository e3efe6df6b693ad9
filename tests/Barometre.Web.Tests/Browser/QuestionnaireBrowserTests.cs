using System.Globalization;
using System.Text.RegularExpressions;
using Barometre.Data.Storage;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// The questionnaire in a real browser (Debian's chromium through Playwright) against the app on Kestrel:
/// autosave from two tabs at once, the conflict box, the form without JavaScript, and axe-core.
/// </summary>
public abstract class QuestionnaireBrowserTests<TDatabase>(TDatabase database, ChromiumFixture chromium)
    : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task TwoTabs_AnsweringInterleavedOnEveryTheme_KeepEveryAnswer()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await Seeding.SeedCampaignAsync(server.Services, TestModels.Large(3, 4), collectivites: 1, cancellationToken: Ct);
        var collectivite = campaign.A;
        var browser = await chromium.BrowserAsync();
        await using var context = await NewContextAsync(browser, server);
        var tab1 = await context.NewPageAsync();
        var tab2 = await context.NewPageAsync();
        await IdentifyAsync(tab1, collectivite, "Alice Martin");
        var expected = new Dictionary<string, (int Level, string Comment)>(StringComparer.Ordinal);

        var number = 0;
        for (var theme = 1; theme <= campaign.Model.Themes.Count; theme++)
        {
            var url = $"{collectivite.Home}/theme/{theme}";
            await Task.WhenAll(tab1.GotoAsync(url), tab2.GotoAsync(url));
            var edits = new List<(IPage Tab, string Question)>();
            foreach (var question in campaign.Model.Themes[theme - 1].Questions)
            {
                number++;
                // Tab 1 the odd questions, tab 2 the even ones, one after the other without waiting for the saves.
                var tab = number % 2 == 1 ? tab1 : tab2;
                var level = number % 5;
                var comment = $"Commentaire n°{number} — « {question.Id} »";
                var set = Question(tab, question.Id);
                // As a person switching tabs would (a tab left behind gets throttled animation frames).
                await tab.BringToFrontAsync();
                await set.Locator("textarea[name$='.Comment']").PressSequentiallyAsync(comment);
                await set.Locator($"input[type=radio][value='{level}']").ClickAsync();
                expected[question.Id] = (level, comment);
                edits.Add((tab, question.Id));
            }
            foreach (var (tab, question) in edits)
            {
                await Expect(Question(tab, question).Locator("[data-role=state]")).ToHaveTextAsync(SavedAt());
            }
        }
        // Both tabs are on the last theme: reload it, then read the others afresh.
        var last = campaign.Model.Themes.Count;
        foreach (var tab in new[] { tab1, tab2 })
        {
            await tab.BringToFrontAsync();
            foreach (var theme in Enumerable.Range(1, last - 1).Prepend(last))
            {
                if (theme == last)
                {
                    await tab.ReloadAsync();
                }
                else
                {
                    await tab.GotoAsync($"{collectivite.Home}/theme/{theme}");
                }
                foreach (var question in campaign.Model.Themes[theme - 1].Questions)
                {
                    var (level, comment) = expected[question.Id];
                    var set = Question(tab, question.Id);
                    await Expect(set.Locator($"input[type=radio][value='{level}']")).ToBeCheckedAsync();
                    await Expect(set.Locator("input[type=radio]:checked")).ToHaveCountAsync(1);
                    await Expect(set.Locator("textarea[name$='.Comment']")).ToHaveValueAsync(comment);
                    await Expect(set.Locator("[data-role=state]")).ToContainTextAsync($"par {Who(collectivite, "Alice Martin")}.");
                }
            }
        }
        using var client = server.Client();
        var document = await client.ReadQuestionnaireAsync(collectivite.Token, Ct);
        Assert.Equal(12, document.Answered);
        foreach (var (question, (level, comment)) in expected)
        {
            var answer = document.Answer(question);
            Assert.Equal((level, comment, Who(collectivite, "Alice Martin")), (answer.Level, answer.Comment, answer.UpdatedBy));
        }
    }

    [Fact]
    public async Task TwoPeople_SameQuestion_ConflictBoxNamesTheOtherChangeAndLosesNothing()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await Seeding.SeedCampaignAsync(server.Services, collectivites: 1, cancellationToken: Ct);
        var collectivite = campaign.A;
        var browser = await chromium.BrowserAsync();
        await using var aliceContext = await NewContextAsync(browser, server);
        await using var brunoContext = await NewContextAsync(browser, server);
        var alice = await aliceContext.NewPageAsync();
        var bruno = await brunoContext.NewPageAsync();
        await IdentifyAsync(alice, collectivite, "Alice Martin");
        await IdentifyAsync(bruno, collectivite, "Bruno Petit");
        var theme = $"{collectivite.Home}/theme/1";
        // Both pages stand still (no 15 s poll) until the test moves their clocks: the conflict cannot be
        // resolved behind the test's back.
        foreach (var (context, page) in new[] { (aliceContext, alice), (brunoContext, bruno) })
        {
            var start = DateTime.UtcNow;
            await context.Clock.InstallAsync(new() { TimeDate = start });
            await page.GotoAsync(theme);
            await page.Clock.PauseAtAsync(start.AddSeconds(5));
        }
        using var client = server.Client();

        // 1. Alice answers; Bruno, whose page still shows no answer, answers the same question differently.
        await Level(alice, "gouvernance.strategie", 1).ClickAsync();
        await Expect(State(alice, "gouvernance.strategie")).ToHaveTextAsync(SavedAt());
        await Level(bruno, "gouvernance.strategie", 3).ClickAsync();

        var box = Question(bruno, "gouvernance.strategie").Locator(".conflict[role=alert]");
        await Expect(box).ToContainTextAsync($"Modifié entre-temps par {Who(collectivite, "Alice Martin")} : 1 — Réflexion engagée. Votre réponse n'a pas été enregistrée.");
        await Expect(State(bruno, "gouvernance.strategie")).ToHaveTextAsync("Non enregistré : réponse modifiée par quelqu'un d'autre.");
        await Expect(box.GetByRole(AriaRole.Button, new() { Name = "Garder leur réponse" })).ToBeVisibleAsync();
        await Expect(box.GetByRole(AriaRole.Button, new() { Name = "Remplacer par la mienne" })).ToBeVisibleAsync();
        var answer = (await client.ReadQuestionnaireAsync(collectivite.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal((1, Who(collectivite, "Alice Martin"), 1), (answer.Level, answer.UpdatedBy, answer.Version));

        // 2. « Garder leur réponse »: Bruno's page shows Alice's answer, nothing is written.
        await box.GetByRole(AriaRole.Button, new() { Name = "Garder leur réponse" }).ClickAsync();
        await Expect(box).ToHaveCountAsync(0);
        await Expect(Level(bruno, "gouvernance.strategie", 1)).ToBeCheckedAsync();
        await Expect(State(bruno, "gouvernance.strategie")).ToHaveTextAsync($"Réponse de {Who(collectivite, "Alice Martin")} conservée.");
        answer = (await client.ReadQuestionnaireAsync(collectivite.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal((1, Who(collectivite, "Alice Martin"), 1), (answer.Level, answer.UpdatedBy, answer.Version));
        // Bruno's page now knows Alice's version: his next change is based on it, without conflict.
        await Level(bruno, "gouvernance.strategie", 2).ClickAsync();
        await Expect(State(bruno, "gouvernance.strategie")).ToHaveTextAsync(SavedAt());

        // 3. « Remplacer par la mienne »: Bruno overwrites Alice's answer, knowing it.
        var pilotage = Question(alice, "gouvernance.pilotage");
        await pilotage.Locator("textarea[name$='.Comment']").FillAsync("selon Alice");
        await Level(alice, "gouvernance.pilotage", 2).ClickAsync();
        await Expect(State(alice, "gouvernance.pilotage")).ToHaveTextAsync(SavedAt());
        await Level(bruno, "gouvernance.pilotage", 4).ClickAsync();
        box = Question(bruno, "gouvernance.pilotage").Locator(".conflict[role=alert]");
        await Expect(box).ToContainTextAsync($"Modifié entre-temps par {Who(collectivite, "Alice Martin")} : 2 — Orientations formalisées (« selon Alice »).");
        await box.GetByRole(AriaRole.Button, new() { Name = "Remplacer par la mienne" }).ClickAsync();
        await Expect(box).ToHaveCountAsync(0);
        await Expect(State(bruno, "gouvernance.pilotage")).ToHaveTextAsync(SavedAt());
        answer = (await client.ReadQuestionnaireAsync(collectivite.Token, Ct)).Answer("gouvernance.pilotage");
        // Version 3: Alice's comment was saved when she left its field (1), then her level (2), then Bruno's (3).
        Assert.Equal((4, (string?)null, Who(collectivite, "Bruno Petit"), 3), (answer.Level, answer.Comment, answer.UpdatedBy, answer.Version));

        // 4. Alice, whose page has not been refreshed yet, changes it again: her turn to see the conflict.
        await Level(alice, "gouvernance.pilotage", 0).ClickAsync();
        box = Question(alice, "gouvernance.pilotage").Locator(".conflict[role=alert]");
        await Expect(box).ToContainTextAsync($"Modifié entre-temps par {Who(collectivite, "Bruno Petit")} : 4 — Mise en œuvre complète.");
        await box.GetByRole(AriaRole.Button, new() { Name = "Garder leur réponse" }).ClickAsync();
        await Expect(Level(alice, "gouvernance.pilotage", 4)).ToBeCheckedAsync();
        await Expect(Question(alice, "gouvernance.pilotage").Locator("textarea[name$='.Comment']")).ToHaveValueAsync("");

        // 5. The 15 s poll brings Bruno's other change to Alice's page.
        await Expect(Level(alice, "gouvernance.strategie", 1)).ToBeCheckedAsync();
        await alice.Clock.RunForAsync(16_000);
        await Expect(Level(alice, "gouvernance.strategie", 2)).ToBeCheckedAsync();
        await Expect(State(alice, "gouvernance.strategie")).ToContainTextAsync($"Mis à jour par {Who(collectivite, "Bruno Petit")} à");

        // Nothing was lost silently: every change written is in the audit trail, old → new.
        var trail = await Seeding.InScopeAsync(server.Services, services => services.GetRequiredService<BarometreDbContext>().AuditEntries.AsNoTracking()
            .Where(a => a.ParticipantId == collectivite.ParticipantId && a.Action == "answer").OrderBy(a => a.Id)
            .Select(a => $"{a.Subject}: {a.Actor}: {a.OldValue} → {a.NewValue}").ToListAsync(Ct));
        Assert.Equal(
        [
            $"gouvernance.strategie: lien {collectivite.Code} (Alice Martin): — → niveau 1",
            $"gouvernance.strategie: lien {collectivite.Code} (Bruno Petit): niveau 1 → niveau 2",
            $"gouvernance.pilotage: lien {collectivite.Code} (Alice Martin): — → — ; commentaire « selon Alice »",
            $"gouvernance.pilotage: lien {collectivite.Code} (Alice Martin): — ; commentaire « selon Alice » → niveau 2 ; commentaire « selon Alice »",
            $"gouvernance.pilotage: lien {collectivite.Code} (Bruno Petit): niveau 2 ; commentaire « selon Alice » → niveau 4",
        ], trail);
    }

    [Fact]
    public async Task WithoutJavaScript_ThemeFormSavesWithItsButton()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await Seeding.SeedCampaignAsync(server.Services, collectivites: 1, cancellationToken: Ct);
        var collectivite = campaign.A;
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR", JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await IdentifyAsync(page, collectivite, "Chloé Durand");
        await page.GotoAsync($"{collectivite.Home}/theme/1");
        // The script did not run: the button keeps its no-JavaScript label.
        await Expect(page.Locator("[data-role=save]")).ToHaveTextAsync("Enregistrer");

        await Level(page, "gouvernance.strategie", 3).ClickAsync();
        await Question(page, "gouvernance.strategie").Locator("textarea[name$='.Comment']").FillAsync("Adoptée en conseil");
        await Question(page, "gouvernance.pilotage").GetByText("Ne sait pas", new() { Exact = true }).ClickAsync();
        await Level(page, "gouvernance.evaluation", 0).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/theme/1\?enregistre=1$"));
        await Expect(page.Locator(".notice.success[role=status]")).ToHaveTextAsync("Vos réponses sont enregistrées.");
        await page.ReloadAsync();
        await Expect(Level(page, "gouvernance.strategie", 3)).ToBeCheckedAsync();
        await Expect(Question(page, "gouvernance.strategie").Locator("textarea[name$='.Comment']")).ToHaveValueAsync("Adoptée en conseil");
        await Expect(Question(page, "gouvernance.pilotage").Locator("input[type=radio][value=NSP]")).ToBeCheckedAsync();
        await Expect(Level(page, "gouvernance.evaluation", 0)).ToBeCheckedAsync();
        await Expect(State(page, "gouvernance.strategie")).ToContainTextAsync($"par {Who(collectivite, "Chloé Durand")}.");
        using var client = server.Client();
        var document = await client.ReadQuestionnaireAsync(collectivite.Token, Ct);
        Assert.Equal((3, "Adoptée en conseil", Who(collectivite, "Chloé Durand")), (document.Answer("gouvernance.strategie").Level, document.Answer("gouvernance.strategie").Comment, document.Answer("gouvernance.strategie").UpdatedBy));
        Assert.Equal("NSP", document.Answer("gouvernance.pilotage").Status);
        Assert.Equal(0, document.Answer("gouvernance.evaluation").Level);

        // « Enregistrer et continuer » moves to the next theme.
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et continuer →" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/theme/2\?enregistre=1$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("2. Services aux usagers");
    }

    [Fact]
    public async Task Counter_FollowsTheAnswersAsTheyAreSaved()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await Seeding.SeedCampaignAsync(server.Services, collectivites: 1, cancellationToken: Ct);
        var collectivite = campaign.A;
        var browser = await chromium.BrowserAsync();
        await using var context = await NewContextAsync(browser, server);
        var page = await context.NewPageAsync();
        await IdentifyAsync(page, collectivite, "Alice Martin");
        await page.GotoAsync($"{collectivite.Home}/theme/1");
        var counter = page.Locator("#answered");
        await Expect(counter).ToHaveTextAsync("0 question renseignée sur 3");

        await Level(page, "gouvernance.strategie", 2).ClickAsync();
        await Expect(State(page, "gouvernance.strategie")).ToHaveTextAsync(SavedAt());
        await Expect(counter).ToHaveTextAsync("1 question renseignée sur 3");
        await Question(page, "gouvernance.pilotage").GetByText("Non concerné", new() { Exact = true }).ClickAsync();
        await Expect(counter).ToHaveTextAsync("2 questions renseignées sur 3");
        // A comment alone is no answer; « Pas de réponse » takes one back.
        await Question(page, "gouvernance.evaluation").Locator("textarea[name$='.Comment']").FillAsync("À l'étude");
        await Question(page, "gouvernance.evaluation").Locator("textarea[name$='.Comment']").BlurAsync();
        await Expect(State(page, "gouvernance.evaluation")).ToHaveTextAsync(SavedAt());
        await Expect(counter).ToHaveTextAsync("2 questions renseignées sur 3");
        await Question(page, "gouvernance.strategie").GetByText("Pas de réponse", new() { Exact = true }).ClickAsync();
        await Expect(State(page, "gouvernance.strategie")).ToHaveTextAsync(SavedAt());
        await Expect(counter).ToHaveTextAsync("1 question renseignée sur 3");

        // The server counts the same.
        await page.ReloadAsync();
        await Expect(counter).ToHaveTextAsync("1 question renseignée sur 3");
    }

    [Theory]
    [InlineData("accueil")]
    [InlineData("thème")]
    [InlineData("transmission")]
    [InlineData("transmis")]
    [InlineData("réponses transmises")]
    public async Task Axe_QuestionnairePage_HasNoSeriousOrCriticalViolation(string which)
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await Seeding.SeedCampaignAsync(server.Services, collectivites: 1, cancellationToken: Ct);
        var collectivite = campaign.A;
        var browser = await chromium.BrowserAsync();
        await using var context = await NewContextAsync(browser, server);
        var page = await context.NewPageAsync();
        string url;
        switch (which)
        {
            case "accueil":
                // A first visit: « Qui êtes-vous ? » and the progress.
                url = collectivite.Home;
                break;
            case "thème":
                await IdentifyAsync(page, collectivite, "Alice Martin");
                url = $"{collectivite.Home}/theme/1";
                await page.GotoAsync(url);
                await Level(page, "gouvernance.strategie", 2).ClickAsync();
                await Expect(State(page, "gouvernance.strategie")).ToHaveTextAsync(SavedAt());
                break;
            default:
                // « Relire et transmettre » with an answer and unanswered questions; then, once transmitted, the home and the answers.
                var lead = which == "transmission" ? null : await Seeding.AddContributorAsync(server.Services, collectivite, "Alice Martin", Ct);
                if (lead is null)
                {
                    await IdentifyAsync(page, collectivite, "Alice Martin");
                }
                using (var client = server.Client())
                {
                    (await client.PutAnswerAsync(collectivite.Token, "gouvernance.strategie", new { level = 2, comment = "Adoptée en conseil" }, cancellationToken: Ct)).Dispose();
                    if (lead is not null)
                    {
                        using var submitted = await client.SubmitAsync(collectivite.Token, lead, Ct);
                        Assert.Equal(System.Net.HttpStatusCode.OK, submitted.StatusCode);
                    }
                }
                url = which == "transmis" ? collectivite.Home : $"{collectivite.Home}/transmettre";
                break;
        }
        await page.GotoAsync(url);
        await AxeCheck.AssertNoSeriousViolationAsync(page, $"the questionnaire's {which} page");
    }

    private static Task<IBrowserContext> NewContextAsync(IBrowser browser, LiveServer server) =>
        browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR", TimezoneId = "Europe/Paris" });

    /// <summary>« Qui êtes-vous ? » on the questionnaire's home; the context keeps the contributor cookie.</summary>
    private static async Task IdentifyAsync(IPage page, SeededCollectivite collectivite, string name)
    {
        await page.GotoAsync(collectivite.Home);
        await page.GetByLabel("Votre nom").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer mon nom" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync($"Vous répondez en tant que {name}");
    }

    /// <summary>Who the answers name: the link and the contributor (« lien 200000101 (Alice Martin) »).</summary>
    private static string Who(SeededCollectivite collectivite, string name) => $"lien {collectivite.Code} ({name})";

    private static ILocator Question(IPage page, string questionId) => page.Locator($"fieldset[data-question='{questionId}']");

    private static ILocator Level(IPage page, string questionId, int level) =>
        Question(page, questionId).Locator($"input[type=radio][value='{level.ToString(CultureInfo.InvariantCulture)}']");

    private static ILocator State(IPage page, string questionId) => Question(page, questionId).Locator("[data-role=state]");

    private static Regex SavedAt() => BrowserTexts.SavedAt();
}

/// <summary>Texts the questionnaire's script shows.</summary>
internal static partial class BrowserTexts
{
    /// <summary>« Enregistré à 14:05. », the autosave's success.</summary>
    [GeneratedRegex(@"^Enregistré à \d\d:\d\d\.$")]
    public static partial Regex SavedAt();
}

// The chromium fixture is declared here: on the generic class, IClassFixture<TDatabase> and
// IClassFixture<ChromiumFixture> could unify.
public sealed class QuestionnaireBrowserTests_Sqlite(SqliteDatabase database, ChromiumFixture chromium)
    : QuestionnaireBrowserTests<SqliteDatabase>(database, chromium), IClassFixture<ChromiumFixture>;

public sealed class QuestionnaireBrowserTests_Postgres(PostgresDatabase database, ChromiumFixture chromium)
    : QuestionnaireBrowserTests<PostgresDatabase>(database, chromium), IClassFixture<ChromiumFixture>;
