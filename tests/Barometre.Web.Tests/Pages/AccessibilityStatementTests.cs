using Barometre.Core;
using Barometre.Web.Accessibility;
using Barometre.Web.Tests.Infrastructure;
using Barometre.Web.Tests.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Barometre.Web.Tests.Pages;

/// <summary>
/// The accessibility statement (/accessibilite): rendered from the record the browser tests keep
/// (<see cref="AccessibilityRecord"/>), its status by the RGAA's rule from the operator's audit settings, the contact and
/// the remedies; every page's footer states the status and links to it. Its axe-core check is in the browser tests.
/// </summary>
public abstract class AccessibilityStatementTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Statement_WithoutAudit_RendersTheRecordAndSaysNonConforme()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var record = AccessibilityRecord.Shipped;

        var page = await Html.GetAsync(client, "/accessibilite", Ct);

        Assert.Equal("Déclaration d'accessibilité", page.QuerySelector("h1")!.TextContent);
        Assert.Equal(
            ["État de conformité", "Résultats des tests", "Contenus non accessibles", "Établissement de cette déclaration", "Retour d'information et contact", "Voies de recours"],
            page.QuerySelectorAll("h2").Select(h => h.TextContent));
        Assert.Equal("non conforme", page.QuerySelector("#etat + p strong")!.TextContent);
        Assert.Contains("Aucun audit de conformité n'a encore été réalisé", Html.Text(page), StringComparison.Ordinal);
        Assert.StartsWith("L'organisateur de ce baromètre s'engage", page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        // Every page and width of the record, with its counts, and the record's tool and rules.
        var rows = page.QuerySelectorAll("table.a11y-results tbody tr").ToList();
        Assert.Equal(record.Pages.Sum(p => p.Results.Count), rows.Count);
        var cells = rows.Select(tr => tr.QuerySelectorAll("td").Select(td => Normalise(td.TextContent)).ToList()).ToList();
        Assert.Equal(
            record.Pages.SelectMany(p => p.Results).Select(r => (IReadOnlyList<string>)[$"{FrenchFormat.Count(r.Width)} px", FrenchFormat.Count(r.Passed.Count), FrenchFormat.Count(r.Violations.Count), FrenchFormat.Count(r.Incomplete.Count)]).Select(Normalise),
            cells.Select(Normalise));
        Assert.Equal(record.Pages.Select(p => p.Title), page.QuerySelectorAll("table.a11y-results tbody th").Select(th => th.ChildNodes[0].TextContent.Trim()));
        var text = Html.Text(page);
        Assert.Contains($"axe-core {record.AxeVersion}", text, StringComparison.Ordinal);
        Assert.Contains(Normalise($"Ils ont vérifié {FrenchFormat.Plural(record.RulesChecked.Count, "règle", "règles")}"), text, StringComparison.Ordinal);
        Assert.Equal(record.AllViolations.Count, page.QuerySelectorAll("ul.a11y-violations li").Length);
        Assert.Contains("Écrivez à l'organisateur du baromètre qui vous a invité", text, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='https://formulaire.defenseurdesdroits.fr/']"));
        Assert.Contains("Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07", text, StringComparison.Ordinal);
        // The footer of every page, a questionnaire's too, states the status.
        foreach (var path in new[] { "/", "/resultats", campaign.A.Home, "/admin/connexion" })
        {
            var footer = (await Html.GetAsync(client, path, Ct)).QuerySelector("footer a[href='/accessibilite']");
            Assert.Equal("Accessibilité : non conforme", footer?.TextContent);
        }
    }

    [Theory]
    [InlineData("53", "106", "partiellement conforme", "50 %")]
    [InlineData("52", "106", "non conforme", "49 %")]
    [InlineData("80", "80", "totalement conforme", "100 %")]
    public async Task Statement_WithAnAudit_TakesTheStatusTheRgaaGivesItsRate(string respected, string applicable, string status, string rate)
    {
        await using var app = SecurityApps.With(App, settings:
        [
            ("Barometre:Accessibility:Entity", "La communauté d'agglomération d'Exemple"),
            ("Barometre:Accessibility:ContactEmail", "accessibilite@exemple.fr"),
            ("Barometre:Accessibility:Audit:Date", "2026-03-15"),
            ("Barometre:Accessibility:Audit:Auditor", "Cabinet Exemple"),
            ("Barometre:Accessibility:Audit:RespectedCriteria", respected),
            ("Barometre:Accessibility:Audit:ApplicableCriteria", applicable),
            ("Barometre:Accessibility:Audit:NonConformities:0", "Les graphiques n'ont pas d'alternative détaillée."),
        ]);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await Html.GetAsync(client, "/accessibilite", Ct);

        Assert.Equal(status, page.QuerySelector("#etat + p strong")!.TextContent);
        var text = Html.Text(page);
        Assert.Contains(Normalise($"L'audit de conformité réalisé le 15 mars 2026 par Cabinet Exemple révèle que {rate} des critères du RGAA sont respectés ({respected} critères sur {applicable} applicables)."), text, StringComparison.Ordinal);
        Assert.Contains("Les graphiques n'ont pas d'alternative détaillée.", text, StringComparison.Ordinal);
        Assert.StartsWith("La communauté d'agglomération d'Exemple s'engage", page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='mailto:accessibilite@exemple.fr']"));
        Assert.Equal($"Accessibilité : {status}", page.QuerySelector("footer a[href='/accessibilite']")!.TextContent);
    }

    [Fact]
    public async Task Settings_AnImpossibleAuditStopsTheStartWithAFrenchMessage()
    {
        await using var app = SecurityApps.With(App, settings:
            [("Barometre:Accessibility:Audit:Date", "2026-03-15"), ("Barometre:Accessibility:Audit:RespectedCriteria", "90"), ("Barometre:Accessibility:Audit:ApplicableCriteria", "80")]);

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Barometre:Accessibility:Audit : 90 critères respectés sur 80 applicables", error.ToString(), StringComparison.Ordinal);
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Normalise(IReadOnlyList<string> cells) => string.Join(" | ", cells.Select(Normalise));
}

public sealed class AccessibilityStatementTests_Sqlite(SqliteDatabase database) : AccessibilityStatementTests<SqliteDatabase>(database);

public sealed class AccessibilityStatementTests_Postgres(PostgresDatabase database) : AccessibilityStatementTests<PostgresDatabase>(database);
