using System.Collections.Concurrent;
using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Testing.Oidc;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// Sign-in through an OpenID Connect provider set up as ProConnect is, end to end: a real provider (npm's
/// oidc-provider, on loopback) with which the app exchanges the code over HTTP, PKCE, signed ID token and userinfo
/// (a JWT); the account found by subject, linked by e-mail or created; refusals (domain, no account, disabled,
/// unverified address, authentication level) on a French 403 page and in the log; an altered or missing state; and the
/// sign-out, here and at the provider. Skipped loudly without node or oidc-provider (failed with CI=true).
/// </summary>
public abstract class ProviderSignInTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string CookieName = "barometre.operateur";

    [Fact]
    public async Task ExistingAccount_IsLinkedByEmail_ThenFoundBySubject()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = WithProvider(provider, provider.Settings(["exemple.fr"]), out _);
        var credentials = await App.AddOperatorAsync(Ct);
        var sub = NewSub();

        using (var browser = Browser(app, provider))
        {
            var (response, address) = await browser.SignInAsync(new ProviderPerson(sub, credentials.Email.ToUpperInvariant(), "Anne-Sophie", "Martin"), cancellationToken: Ct);

            Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
            Assert.Equal("/admin", address.AbsolutePath);
            // The authorisation request: code flow with PKCE, state and nonce, ProConnect's scopes, and no parameter ProConnect
            // does not know (it refuses them): the answer comes on the query, code flow's default, so response_mode is not sent.
            var authorize = QueryHelpers.ParseQuery(browser.ProviderRequest("/auth").Query);
            Assert.Equal(["client_id", "code_challenge", "code_challenge_method", "nonce", "redirect_uri", "response_type", "scope", "state"],
                authorize.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("code", authorize["response_type"]);
            Assert.Equal("S256", authorize["code_challenge_method"]);
            Assert.Equal("openid email given_name usual_name", authorize["scope"]);
            Assert.Equal("http://localhost/signin-oidc", authorize["redirect_uri"]);
            Assert.True(authorize["state"].ToString().Length >= 32 && authorize["nonce"].ToString().Length >= 32);
        }
        var linked = await AccountAsync(credentials.Email);
        Assert.Equal((provider.Issuer, sub, "Anne-Sophie", "Martin"), (linked.ExternalIssuer, linked.ExternalSubject, linked.GivenName, linked.FamilyName));
        Assert.Equal(App.Now, linked.LastSignInAt);

        // The provider now gives another address in the same domain: the subject still finds the account.
        using (var browser = Browser(app, provider))
        {
            var (response, address) = await browser.SignInAsync(new ProviderPerson(sub, "nouvelle.adresse@exemple.fr", "Anne-Sophie", "Martin-Durand"), cancellationToken: Ct);

            Assert.Equal((HttpStatusCode.OK, "/admin"), (response!.StatusCode, address.AbsolutePath));
            var header = (await Html.ParseAsync(response, Ct)).QuerySelector("header")!;
            Assert.Contains($"Se déconnecter ({credentials.Email})", Html.TextOf(header), StringComparison.Ordinal);
        }
        Assert.Equal("Martin-Durand", (await AccountAsync(credentials.Email)).FamilyName);
        Assert.False(await App.WithDbAsync(db => db.Operators.AnyAsync(o => o.Email == "nouvelle.adresse@exemple.fr", Ct)));
    }

    [Fact]
    public async Task FirstSignIn_CreatesTheAccountWithTheConfiguredRole()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = WithProvider(provider, provider.Settings(["collectivite.fr", "exemple.fr"], nameof(OperatorRole.CampaignManager)), out _);
        var email = $"agent-{Guid.NewGuid():N}@collectivite.fr";
        using var browser = Browser(app, provider);

        var (response, address) = await browser.SignInAsync(new ProviderPerson(NewSub(), email, "Élise", "Noël"), cancellationToken: Ct);

        Assert.Equal((HttpStatusCode.OK, "/admin"), (response!.StatusCode, address.AbsolutePath));
        var account = await AccountAsync(email);
        Assert.Equal((OperatorRole.CampaignManager, "Élise", "Noël", provider.Issuer), (account.Role, account.GivenName, account.FamilyName, account.ExternalIssuer));
        // No password was set: the address cannot sign in with one.
        using var client = App.Client();
        using var refused = await BarometreApp.PostSignInAsync(client, email, "un mot de passe quelconque", cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
    }

    [Theory]
    [InlineData("domaine")]
    [InlineData("compte")]
    [InlineData("desactive")]
    [InlineData("adresse-non-verifiee")]
    [InlineData("niveau")]
    public async Task Refusal_IsAFrench403Page_AndLogged_WithoutSignIn(string reason)
    {
        await using var provider = await OidcProvider.StartAsync();
        var create = reason is "domaine" or "adresse-non-verifiee" or "niveau" ? nameof(OperatorRole.Analyst) : null;
        await using var app = WithProvider(provider, provider.Settings(["exemple.fr"], create, reason == "niveau" ? "eidas2" : null), out var log);
        var email = $"agent-{Guid.NewGuid():N}@" + (reason == "domaine" ? "autre-domaine.fr" : "exemple.fr");
        if (reason == "desactive")
        {
            // An analyst: the last active administrator of a database cannot be disabled.
            Assert.Null(await App.InScopeAsync(s => s.GetRequiredService<OperatorAccounts>().AddAsync(email, Seeding.OperatorPassword, OperatorRole.Analyst, cancellationToken: Ct)));
            Assert.True(await App.InScopeAsync(s => s.GetRequiredService<OperatorAccounts>().DisableAsync(email, Ct)));
        }
        using var browser = Browser(app, provider);

        var (response, address) = await browser.SignInAsync(
            new ProviderPerson(NewSub(), email, EmailVerified: reason == "adresse-non-verifiee" ? "false" : null, Acr: reason == "niveau" ? "eidas1" : null), cancellationToken: Ct);

        Assert.Equal((HttpStatusCode.Forbidden, "/admin/connexion/externe", "?motif=" + reason), (response!.StatusCode, address.AbsolutePath, address.Query));
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal("Accès refusé", page.QuerySelector("main h1")?.TextContent);
        Assert.Contains(reason == "domaine" ? "n'appartient pas à un domaine admis" : reason == "compte" ? "Aucun compte opérateur ne correspond"
            : reason == "desactive" ? "Votre compte opérateur est désactivé" : reason == "niveau" ? "n'atteint pas le niveau exigé" : "n'est pas vérifiée",
            page.QuerySelector("main [role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(CookieName, browser.AppCookies.Cookies.Keys);
        Assert.Equal(reason == "desactive" ? 1 : 0, await App.WithDbAsync(db => db.Operators.CountAsync(o => o.Email == email, Ct)));
        // Audited in the log, with the domain but never the address.
        var entry = Assert.Single(log, e => e.Category.EndsWith("ProviderSignIn", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.DoesNotContain(email, entry.Message, StringComparison.Ordinal);
        if (reason == "domaine")
        {
            Assert.Contains("domaine « autre-domaine.fr »", entry.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("altered")]
    [InlineData("missing")]
    public async Task ReturnWithAlteredOrMissingState_IsRefused(string state)
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = WithProvider(provider, provider.Settings(["exemple.fr"], nameof(OperatorRole.Analyst)), out var log);
        var email = $"agent-{Guid.NewGuid():N}@exemple.fr";
        using var browser = Browser(app, provider);
        var (_, callback) = await browser.SignInAsync(new ProviderPerson(NewSub(), email), stopBefore: u => u.AbsolutePath == "/signin-oidc", cancellationToken: Ct);
        var query = QueryHelpers.ParseQuery(callback.Query);
        var value = query["state"].ToString();
        var forged = new Dictionary<string, string?> { ["code"] = query["code"], ["iss"] = query["iss"] };
        if (state == "altered")
        {
            forged["state"] = value[..^4] + (value[^4] == 'A' ? "B" : "A") + value[^3..];
        }

        var (response, address) = await browser.FollowAsync(HttpMethod.Get, new Uri(QueryHelpers.AddQueryString("http://localhost/signin-oidc", forged)), cancellationToken: Ct);

        Assert.Equal((HttpStatusCode.BadRequest, "/admin/connexion/externe", "?motif=echec"), (response!.StatusCode, address.AbsolutePath, address.Query));
        Assert.Equal("Connexion interrompue", (await Html.ParseAsync(response, Ct)).QuerySelector("main h1")?.TextContent);
        Assert.DoesNotContain(CookieName, browser.AppCookies.Cookies.Keys);
        Assert.False(await App.WithDbAsync(db => db.Operators.AnyAsync(o => o.Email == email, Ct)));
        Assert.Contains(log, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Retour du fournisseur d'identité rejeté", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignOut_EndsTheSessionsHere_AndTheSessionAtTheProvider()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = WithProvider(provider, provider.Settings(["exemple.fr"], nameof(OperatorRole.Analyst)), out _);
        var email = $"agent-{Guid.NewGuid():N}@exemple.fr";
        var sub = NewSub();
        using var browser = Browser(app, provider);
        var (signedIn, _) = await browser.SignInAsync(new ProviderPerson(sub, email), cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, signedIn!.StatusCode);
        var cookie = browser.AppCookies.Cookies[CookieName];
        var signOutPage = await browser.AppCookies.PageAsync(browser.AppClient, "/admin/deconnexion", Ct);
        Assert.Contains("votre session ProConnect se ferme aussi", signOutPage.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var (response, address) = await browser.FollowAsync(HttpMethod.Post, new Uri("http://localhost/admin/deconnexion"), Html.Fields(signOutPage.QuerySelector("main form")!), cancellationToken: Ct);

        // At the provider's end-session endpoint, with the ID token as hint (ProConnect requires it) and a state.
        var endSession = QueryHelpers.ParseQuery(browser.ProviderRequest("/session/end").Query);
        Assert.Equal("http://localhost/signout-callback-oidc", endSession["post_logout_redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(endSession["state"]));
        var hint = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(endSession["id_token_hint"].ToString());
        Assert.Equal((provider.Issuer, sub), (hint.Issuer, hint.Subject));
        // The local sessions ended before the browser left: the copied cookie no longer opens anything.
        using (var copied = App.CookielessClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
            request.Headers.Add("Cookie", $"{CookieName}={cookie}");
            using var admin = await copied.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        }
        // The provider asks to confirm; then back to the app's sign-in page, signed out.
        Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
        var confirm = await Html.ParseAsync(response, Ct);
        var form = confirm.QuerySelector("form")!;
        var (back, backAddress) = await browser.FollowAsync(HttpMethod.Post, new Uri(address, form.GetAttribute("action")), [.. Html.Fields(form), new("logout", "yes")], cancellationToken: Ct);
        Assert.Equal((HttpStatusCode.OK, "/admin/connexion", "?deconnexion=1"), (back!.StatusCode, backAddress.AbsolutePath, backAddress.Query));
        Assert.Contains("Vous êtes déconnecté", Html.Text(await Html.ParseAsync(back, Ct)), StringComparison.Ordinal);

        // The provider's session is gone too: signing in again shows its login form instead of coming straight back.
        var (again, againAddress) = await browser.FollowAsync(HttpMethod.Get, browser.ProviderRequest("/auth"), cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, again!.StatusCode);
        Assert.NotEqual("localhost", againAddress.Host);
        Assert.NotNull((await Html.ParseAsync(again, Ct)).QuerySelector("form#login"));
    }

    [Fact]
    public async Task SignedOutCallback_WithoutState_DoesNotClaimASignOut()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = WithProvider(provider, provider.Settings(["exemple.fr"]), out _);
        using var client = ClientOf(app);

        using var response = await client.GetAsync(new Uri("/signout-callback-oidc", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/connexion", OperatorPages.PathOf(response.Headers.Location));
    }

    /// <summary>The class's app with the provider's settings, its log recorded.</summary>
    private WebApplicationFactory<Program> WithProvider(OidcProvider provider, Dictionary<string, string?> settings, out ConcurrentQueue<LogEntry> log)
    {
        var recorder = new LogRecorder();
        log = recorder.Entries;
        return App.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(logging => logging.AddProvider(recorder));
        });
    }

    private static HttpClient ClientOf(WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("http://localhost") });

    private static ProviderBrowser Browser(WebApplicationFactory<Program> app, OidcProvider provider) => new(ClientOf(app), provider);

    private static string NewSub() => Guid.NewGuid().ToString("N");

    private Task<OperatorAccount> AccountAsync(string email) =>
        App.WithDbAsync(db => db.Operators.AsNoTracking().SingleAsync(o => o.Email == email, Ct));
}

/// <summary>One line of the app's log.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, string Message);

/// <summary>Keeps what the app logs, for the tests that check what is audited there.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception)));
    }
}

public sealed class ProviderSignInTests_Sqlite(SqliteDatabase database) : ProviderSignInTests<SqliteDatabase>(database);

public sealed class ProviderSignInTests_Postgres(PostgresDatabase database) : ProviderSignInTests<PostgresDatabase>(database);
