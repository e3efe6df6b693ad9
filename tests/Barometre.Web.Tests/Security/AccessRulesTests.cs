using System.Net;
using AngleSharp.Dom;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// Who gets in: operators only behind sign-in, locked after repeated failures; security headers everywhere. Each
/// sign-in test comes from its own address, so that the per-client limits of one never reach another.
/// </summary>
public abstract class AccessRulesTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    // The one answer to every refused sign-in: unknown address, wrong password, locked or disabled account.
    private const string Refused = "Connexion refusée : adresse ou mot de passe incorrect, ou compte momentanément bloqué après plusieurs essais infructueux.";

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/campagnes/1")]
    [InlineData("/admin/campagnes/nouvelle")]
    [InlineData("/admin/campagnes/1/journal")]
    public async Task Admin_Anonymous_RedirectsToSignIn(string path)
    {
        using var client = Client();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("http://localhost"), response.Headers.Location!);
        Assert.Equal("/admin/connexion", location.AbsolutePath);
        Assert.Equal("?ReturnUrl=" + Uri.EscapeDataString(path), location.Query);
    }

    [Fact]
    public async Task Admin_AnonymousPost_IsRefusedWithoutReachingThePage()
    {
        using var client = Client();
        var token = Html.AntiforgeryToken(await Html.GetAsync(client, "/admin/connexion", Ct));

        using var response = await Html.PostFormAsync(client, "/admin/campagnes/nouvelle", [new(Html.AntiforgeryField, token), new("Name", "Intrusion")], Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/connexion", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task SignIn_RightPassword_RedirectsToAdminWithAnHttpOnlyCookie()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var client = App.Browser();

        using var response = await BarometreApp.PostSignInAsync(client, credentials.Email.ToUpperInvariant(), credentials.Password, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("barometre.operateur=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        using var admin = await client.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains($"Se déconnecter ({credentials.Email})", (await Html.ParseAsync(admin, Ct)).QuerySelector("header")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/campagnes/1", "/admin/campagnes/1")]
    [InlineData("https://pirate.example/admin", "/admin")]
    [InlineData("//pirate.example/admin", "/admin")]
    public async Task SignIn_ReturnUrl_IsFollowedOnlyWhenLocal(string returnUrl, string expected)
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var client = App.Browser();

        using var response = await BarometreApp.PostSignInAsync(client, credentials.Email, credentials.Password, "/admin/connexion?ReturnUrl=" + Uri.EscapeDataString(returnUrl), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_WrongPasswordOrUnknownAddress_ShowsTheSameFrenchErrorAndNoCookie()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var client = App.Browser();

        using var wrong = await BarometreApp.PostSignInAsync(client, credentials.Email, "mauvais mot de passe", cancellationToken: Ct);
        using var unknown = await BarometreApp.PostSignInAsync(client, "personne@exemple.fr", credentials.Password, cancellationToken: Ct);

        foreach (var response in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await Html.ParseAsync(response, Ct);
            Assert.Equal(Refused, page.QuerySelector("[role=alert]")!.TextContent.Trim());
            Assert.Equal("", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=Password]")!.Value);
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("barometre.operateur=", StringComparison.Ordinal)));
        }
        using var admin = await client.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockTheAccountEvenForTheRightPasswordUntilTheLockExpires()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var client = App.Browser();

        for (var attempt = 1; attempt <= OperatorAccounts.MaxFailures; attempt++)
        {
            Assert.Equal(Refused, await SignInErrorAsync(client, credentials.Email, $"essai {attempt} erroné"));
        }

        Assert.Equal(Refused, await SignInErrorAsync(client, credentials.Email, credentials.Password));
        App.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(Refused, await SignInErrorAsync(client, credentials.Email, credentials.Password));

        App.Clock.Advance(TimeSpan.FromMinutes(2));
        using var response = await BarometreApp.PostSignInAsync(client, credentials.Email, credentials.Password, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var admin = await client.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task SignIn_AfterTheLock_CountsFailuresAfresh()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var client = App.Browser();
        for (var attempt = 0; attempt < OperatorAccounts.MaxFailures; attempt++)
        {
            await SignInErrorAsync(client, credentials.Email, "erroné");
        }
        App.Clock.Advance(OperatorAccounts.LockDuration + TimeSpan.FromMinutes(1));

        // One more failure after the lock is a first failure, not a sixth.
        Assert.Equal(Refused, await SignInErrorAsync(client, credentials.Email, "encore erroné"));
        using var response = await BarometreApp.PostSignInAsync(client, credentials.Email, credentials.Password, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_Returns400()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var client = App.Browser();
        await Html.GetAsync(client, "/admin/connexion", Ct);

        using var response = await Html.PostFormAsync(client, "/admin/connexion", [new("Email", credentials.Email), new("Password", credentials.Password)], Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("barometre.operateur=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/connexion")]
    [InlineData("/admin")]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/questionnaire/inconnu")]
    [InlineData("/q/inconnu")]
    [InlineData("/nulle-part")]
    [InlineData("/css/site.css")]
    public async Task SecurityHeaders_ArePresentOnEveryResponse(string path)
    {
        using var client = Client();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecurityHeaders_AreOnTheQuestionnairePageThatCarriesTheToken()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        foreach (var path in new[] { campaign.A.Home, $"{campaign.A.Home}/theme/1", $"{campaign.A.Home}/transmettre", campaign.A.Api })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Contains("default-src 'self'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task QuestionnairePages_HaveNoInlineScript()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        foreach (var path in new[] { campaign.A.Home, $"{campaign.A.Home}/theme/1", $"{campaign.A.Home}/transmettre", "/admin/connexion" })
        {
            var page = await Html.GetAsync(client, path, Ct);
            Assert.All(page.QuerySelectorAll("script"), s => Assert.True(s.HasAttribute("src"), $"{path}: inline script {s.OuterHtml}"));
            Assert.Empty(page.QuerySelectorAll("[onclick], [onchange], [onsubmit], [onload]"));
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode})");

    private static async Task<string> SignInErrorAsync(HttpClient client, string email, string password)
    {
        var (status, alert) = await RemoteClients.SignInAsync(client, email, password, Ct);
        Assert.Equal(HttpStatusCode.OK, status);
        return alert ?? "(pas de message)";
    }
}

public sealed class AccessRulesTests_Sqlite(SqliteDatabase database) : AccessRulesTests<SqliteDatabase>(database);

public sealed class AccessRulesTests_Postgres(PostgresDatabase database) : AccessRulesTests<PostgresDatabase>(database);
