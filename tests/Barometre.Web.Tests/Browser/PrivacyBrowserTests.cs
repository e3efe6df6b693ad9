using Barometre.Web.Pages.Questionnaire;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// The personal-data pages in chromium, at a phone's and a desktop's width: the privacy notice, the questionnaire's home
/// with its notice, a contributor's own page, the campaign's page and the register for the operator — axe-core finds no
/// violation at all on any of them.
/// </summary>
public abstract class PrivacyBrowserTests<TDatabase>(TDatabase database, ChromiumFixture chromium)
    : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Axe_PersonalDataPages_HaveNoViolation_AtPhoneAndDesktopWidths()
    {
        await using var server = await LiveServer.StartAsync(Database, Ct);
        var campaign = await Seeding.SeedCampaignAsync(server.Services, collectivites: 2, cancellationToken: Ct);
        var credential = await Seeding.AddContributorAsync(server.Services, campaign.A, "Alice Martin", Ct);
        using (var client = server.Client())
        {
            (await client.PutAnswerAsync(campaign.A.Token, campaign.QuestionIds[0], new { level = 2 }, contributor: credential, cancellationToken: Ct)).Dispose();
        }
        var account = await Seeding.AddOperatorAsync(server.Services, Ct);
        var browser = await chromium.BrowserAsync();
        var problems = new List<string>();

        foreach (var width in new[] { 390, 1280 })
        {
            await using var context = await browser.NewContextAsync(new() { BaseURL = server.Address, Locale = "fr-FR", ViewportSize = new() { Width = width, Height = 800 } });
            var page = await context.NewPageAsync();
            // Not named yet: the questionnaire's home with « Qui êtes-vous ? » and its notice.
            await CheckAsync(page, "/donnees-personnelles", width);
            await CheckAsync(page, campaign.B.Home, width);
            await context.AddCookiesAsync([new Cookie { Name = QuestionnairePage.ContributorCookie(campaign.A.ParticipantId), Value = credential, Url = server.Address }]);
            await CheckAsync(page, $"{campaign.A.Home}/mes-donnees", width);
            await page.GotoAsync("/admin/connexion");
            await page.Locator("#email").FillAsync(account.Email);
            await page.Locator("#password").FillAsync(account.Password);
            await page.Locator("main form button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin$"));
            await CheckAsync(page, $"/admin/campagnes/{campaign.Id}/donnees-personnelles", width);
            await CheckAsync(page, "/admin/registre", width);
            await CheckAsync(page, "/admin/campagnes/nouvelle", width);
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        async Task CheckAsync(IPage page, string url, int width)
        {
            await page.GotoAsync(url);
            var report = await AxeCheck.RunAsync(page);
            Assert.True(report.Passes > 10, $"axe-core passed only {report.Passes} rules on {url}.");
            problems.AddRange(report.Violations.Select(v => $"{url} à {width} px : {v.Id} ({v.Impact}) — {v.Help} : {string.Join(" ; ", v.Nodes.Select(n => n.Target))}"));
        }
    }
}

public sealed class PrivacyBrowserTests_Sqlite(SqliteDatabase database, ChromiumFixture chromium)
    : PrivacyBrowserTests<SqliteDatabase>(database, chromium), IClassFixture<ChromiumFixture>;

public sealed class PrivacyBrowserTests_Postgres(PostgresDatabase database, ChromiumFixture chromium)
    : PrivacyBrowserTests<PostgresDatabase>(database, chromium), IClassFixture<ChromiumFixture>;
