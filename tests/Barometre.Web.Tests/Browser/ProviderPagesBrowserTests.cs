using System.Globalization;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// The pages of the sign-in through ProConnect in a real browser, at 390 and 1280 px: the sign-in page with its
/// button above the password form, and a refusal's page; axe-core finds no violation on either. Screenshots go to
/// <c>provider-screenshots/</c> beside the tests (the provider itself is not needed to draw them).
/// </summary>
public abstract class ProviderPagesBrowserTests<TDatabase>(TDatabase database, ChromiumFixture chromium)
    : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Theory]
    [InlineData("/admin/connexion", "Espace opérateur", 390)]
    [InlineData("/admin/connexion", "Espace opérateur", 1280)]
    [InlineData("/admin/connexion/externe?motif=domaine", "Accès refusé", 390)]
    [InlineData("/admin/connexion/externe?motif=domaine", "Accès refusé", 1280)]
    public async Task ProviderPage_HasNoAxeViolation(string url, string heading, int width)
    {
        await using var server = await LiveServer.StartAsync(Database, Ct,
            "--Barometre:Oidc:Authority=https://fournisseur.exemple.fr", "--Barometre:Oidc:ClientId=barometre",
            "--Barometre:Oidc:ClientSecret=secret", "--Barometre:Oidc:AllowedDomains:0=exemple.fr");
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR", ViewportSize = new() { Width = width, Height = 800 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync(url);

        await Expect(page.Locator("main h1")).ToHaveTextAsync(heading);
        if (url == "/admin/connexion")
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se connecter avec ProConnect" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Qu'est-ce que ProConnect ? (nouvelle fenêtre)" })).ToBeVisibleAsync();
        }
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{url} is wider than {width} px");
        var report = await AxeCheck.RunAsync(page);
        Assert.True(report.Passes > 10 && report.Violations.Count == 0,
            $"{url} at {width} px: {string.Join(", ", report.Violations.Select(v => $"{v.Id} ({v.Impact}): {string.Join(" ", v.Nodes.Select(n => n.Target))}"))}");
        var folder = Path.Combine(AppContext.BaseDirectory, "provider-screenshots", Database.IsPostgres ? "postgres" : "sqlite");
        Directory.CreateDirectory(folder);
        var name = url == "/admin/connexion" ? "connexion" : "refus";
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{width.ToString(CultureInfo.InvariantCulture)}.png"), FullPage = true });
    }
}

public sealed class ProviderPagesBrowserTests_Sqlite(SqliteDatabase database, ChromiumFixture chromium)
    : ProviderPagesBrowserTests<SqliteDatabase>(database, chromium), IClassFixture<ChromiumFixture>;

public sealed class ProviderPagesBrowserTests_Postgres(PostgresDatabase database, ChromiumFixture chromium)
    : ProviderPagesBrowserTests<PostgresDatabase>(database, chromium), IClassFixture<ChromiumFixture>;
