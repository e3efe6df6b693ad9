using Barometre.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// The « Courriels » page's preview in a real browser, under the site's Content-Security-Policy: the operator's HTML
/// renders (its inline styles, its link with the collectivité's own address), while its scripts never run and nothing
/// is loaded from elsewhere (the frame is sandboxed and inherits the page's policy).
/// </summary>
public abstract class MailPreviewBrowserTests<TDatabase>(TDatabase database, ChromiumFixture chromium)
    : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string Template = """
        <p id="salut" style="color: #b00000">Bonjour {collectivite},</p>
        <p><a href="{lien}">Répondre au questionnaire</a> avant le {date_limite}.</p>
        <img src="https://traceur.exemple.net/pixel.png" alt="">
        <script>document.body.insertAdjacentHTML('beforeend', '<p id="script-a-tourne">script</p>');</script>
        """;

    [Fact]
    public async Task Preview_RendersTheOperatorsHtml_WithoutRunningItsScripts_NorLoadingAnythingFromElsewhere()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await Seeding.SeedCampaignAsync(server.Services, cancellationToken: Ct);
        var account = await Seeding.AddOperatorAsync(server.Services, Ct);
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(server.Address, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal) && request.Url != "about:srcdoc")
            {
                elsewhere.Add(request.Url);
            }
        };
        await page.GotoAsync("/admin/connexion");
        await page.Locator("#email").FillAsync(account.Email);
        await page.Locator("#password").FillAsync(account.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin$"));

        await page.GotoAsync($"/admin/campagnes/{campaign.Id}/courriels");
        await page.Locator("#Invitation-html").FillAsync(Template);
        await page.Locator("button[formaction$='handler=Preview']").ClickAsync();

        var preview = page.Locator("iframe.preview-html").First.ContentFrame;
        await Expect(preview.Locator("#salut")).ToHaveTextAsync($"Bonjour {campaign.Collectivites[0].Name},");
        Assert.Equal("rgb(176, 0, 0)", await preview.Locator("#salut").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.StartsWith($"{server.Address.TrimEnd('/')}/q/", await preview.Locator("a").GetAttributeAsync("href"), StringComparison.Ordinal);
        await Expect(preview.Locator("#script-a-tourne")).ToHaveCountAsync(0);
        Assert.Empty(elsewhere);
        await AxeCheck.AssertNoSeriousViolationAsync(page, "la page « Courriels » avec son aperçu");
    }
}

public sealed class MailPreviewBrowserTests_Sqlite(SqliteDatabase database, ChromiumFixture chromium)
    : MailPreviewBrowserTests<SqliteDatabase>(database, chromium), IClassFixture<ChromiumFixture>;
