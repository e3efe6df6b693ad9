using System.Text.RegularExpressions;
using Barometre.Web.Tests.Infrastructure;
using Barometre.Web.Tests.Publishing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// The public dashboard and the benchmark page in a real browser (Debian's chromium through Playwright) against
/// the app on Kestrel: a new selection swaps the results in place and follows in the address (back restores
/// it), the « Afficher » button without JavaScript, and axe-core.
/// </summary>
public abstract class DashboardBrowserTests<TDatabase>(TDatabase database, ChromiumFixture chromium)
    : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task ChangingASelect_SwapsTheResultsInPlace_TheAddressFollows_BackRestores()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await PublicationPanels.PublishedAsync(server.Services, Ct);
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var home = $"/resultats/{campaign.Id}";
        await page.GotoAsync(home);
        await Expect(page.Locator("#selection")).ToHaveTextAsync("ensemble du panel");
        await Expect(page.Locator("#resultats")).ToContainTextAsync("16 collectivités répondantes");
        // Lost if the page were loaded again.
        await page.EvaluateAsync("() => { window.__marker = 'même page'; }");

        // A secret selection swaps in its notice, without a figure.
        await page.Locator("select#type").SelectOptionAsync(PublicationPanels.Commune);

        await Expect(page.Locator("#selection")).ToHaveTextAsync("commune");
        await Expect(page).ToHaveURLAsync(new Regex($@"{Regex.Escape(home)}\?type=commune$"));
        await Expect(page.Locator("#etat-selection")).ToHaveTextAsync("Résultats mis à jour : commune.");
        await Expect(page.Locator("#resultats .notice.secret")).ToContainTextAsync("Secret statistique. Aucun chiffre n’est publié pour la sélection « commune »");
        await Expect(page.Locator("#resultats svg")).ToHaveCountAsync(0);
        Assert.Equal("même page", await Marker(page));

        // A selection shown with some figures secret.
        await page.Locator("select#region").SelectOptionAsync(PublicationPanels.Bretagne);

        await Expect(page.Locator("#selection")).ToHaveTextAsync("commune · Bretagne");
        await Expect(page).ToHaveURLAsync(new Regex($@"{Regex.Escape(home)}\?type=commune&region=Bretagne$"));
        await Expect(page.Locator("#resultats")).ToContainTextAsync("6 collectivités répondantes");
        await Expect(page.Locator("#resultats .key-figure .value")).ToHaveTextAsync("secret statistique");
        Assert.Equal("même page", await Marker(page));

        // Back: the previous selection, its results and its selects, still without a page load.
        await page.GoBackAsync();

        await Expect(page).ToHaveURLAsync(new Regex($@"{Regex.Escape(home)}\?type=commune$"));
        await Expect(page.Locator("#selection")).ToHaveTextAsync("commune");
        await Expect(page.Locator("#resultats .notice.secret")).ToContainTextAsync("« commune »");
        await Expect(page.Locator("select#type")).ToHaveValueAsync(PublicationPanels.Commune);
        await Expect(page.Locator("select#region")).ToHaveValueAsync("");

        await page.GoBackAsync();

        await Expect(page).ToHaveURLAsync(new Regex($@"{Regex.Escape(home)}$"));
        await Expect(page.Locator("#selection")).ToHaveTextAsync("ensemble du panel");
        await Expect(page.Locator("#resultats")).ToContainTextAsync("16 collectivités répondantes");
        await Expect(page.Locator("select#type")).ToHaveValueAsync("");
        Assert.Equal("même page", await Marker(page));

        // Forward again.
        await page.GoForwardAsync();
        await Expect(page.Locator("#selection")).ToHaveTextAsync("commune");
        Assert.Equal("même page", await Marker(page));
    }

    [Fact]
    public async Task WithoutJavaScript_TheShowButtonLoadsTheSelection()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await PublicationPanels.PublishedAsync(server.Services, Ct);
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR", JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/resultats/{campaign.Id}");

        await page.Locator("select#type").SelectOptionAsync(PublicationPanels.Commune);
        await page.Locator("select#region").SelectOptionAsync(PublicationPanels.Bretagne);
        // Without the script, changing a select does nothing by itself.
        await Expect(page.Locator("#selection")).ToHaveTextAsync("ensemble du panel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($@"/resultats/{campaign.Id}\?type=commune&region=Bretagne&tranche=$"));
        await Expect(page.Locator("#selection")).ToHaveTextAsync("commune · Bretagne");
        await Expect(page.Locator("#resultats")).ToContainTextAsync("6 collectivités répondantes");
        await Expect(page.Locator("select#type")).ToHaveValueAsync(PublicationPanels.Commune);

        await page.Locator("select#tranche").SelectOptionAsync("250000-plus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher", Exact = true }).ClickAsync();

        await Expect(page.Locator("#selection")).ToHaveTextAsync("commune · Bretagne · 250\u202F000 habitants ou plus");
        // Nobody: nothing to show, and nothing secret.
        await Expect(page.Locator("#resultats")).ToContainTextAsync("Aucune collectivité du panel ne correspond à la sélection");
        await page.GetByRole(AriaRole.Link, new() { Name = "Tout le panel" }).ClickAsync();
        await Expect(page.Locator("#selection")).ToHaveTextAsync("ensemble du panel");
    }

    [Theory]
    [InlineData("tableau de bord")]
    [InlineData("sélection avec secrets")]
    [InlineData("sélection secrète")]
    [InlineData("comparatif")]
    public async Task Axe_PublicationPage_HasNoSeriousOrCriticalViolation(string which)
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await PublicationPanels.PublishedAsync(server.Services, Ct);
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var url = which switch
        {
            "tableau de bord" => campaign.DashboardUrl(),
            "sélection avec secrets" => campaign.DashboardUrl(PublicationPanels.Commune, PublicationPanels.Bretagne),
            "sélection secrète" => campaign.DashboardUrl(type: PublicationPanels.Metropole),
            _ => $"{campaign.Link(campaign.OfType(PublicationPanels.Metropole)[0]).Home}/resultats",
        };

        await page.GotoAsync(url);
        await Expect(page.Locator("h1")).ToHaveTextAsync(which == "comparatif" ? "Votre comparatif" : campaign.Seeded.Name);
        await AxeCheck.AssertNoSeriousViolationAsync(page, $"the {which} page");
    }

    private static Task<string> Marker(IPage page) => page.EvaluateAsync<string>("() => String(window.__marker)");
}

public sealed class DashboardBrowserTests_Sqlite(SqliteDatabase database, ChromiumFixture chromium)
    : DashboardBrowserTests<SqliteDatabase>(database, chromium), IClassFixture<ChromiumFixture>;

public sealed class DashboardBrowserTests_Postgres(PostgresDatabase database, ChromiumFixture chromium)
    : DashboardBrowserTests<PostgresDatabase>(database, chromium), IClassFixture<ChromiumFixture>;
