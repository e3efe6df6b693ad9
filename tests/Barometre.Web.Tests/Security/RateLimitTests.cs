using System.Globalization;
using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// The rate limits: failed sign-ins per client, failed link lookups per client, uploads per operator, password
/// verifications at once. Refusals are 429 with Retry-After, problem+json in French on the API, a French page
/// elsewhere; what the limits do not concern (honest saves, other clients) goes through.
/// </summary>
public abstract class RateLimitTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string Refused = "Connexion refusée : adresse ou mot de passe incorrect, ou compte momentanément bloqué après plusieurs essais infructueux.";

    [Fact]
    public async Task SignIn_TenFailuresFromOneClient_ThenTooManyRequestsWithAFrenchPage()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var flooder = App.Browser();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // A new address each time: only the client's limit is at stake.
            Assert.Equal((HttpStatusCode.OK, Refused), await RemoteClients.SignInAsync(flooder, $"inconnu{attempt}-{Guid.NewGuid():N}@exemple.fr", "erroné", Ct));
        }

        var form = await Html.GetAsync(flooder, "/admin/connexion", Ct);
        using var refused = await Html.PostFormAsync(flooder, "/admin/connexion",
            [new(Html.AntiforgeryField, Html.AntiforgeryToken(form)), new("Email", credentials.Email), new("Password", credentials.Password)], Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        AssertRetryAfter(refused);
        var page = await Html.ParseAsync(refused, Ct);
        Assert.Equal("Trop de requêtes", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains("Trop de tentatives de connexion : réessayez dans ", Html.Text(page), StringComparison.Ordinal);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("barometre.operateur=", StringComparison.Ordinal));
        // Another client is not held back.
        using var other = App.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await RemoteClients.SignInAsync(other, credentials.Email, credentials.Password, Ct)).Status);
    }

    [Fact]
    public async Task SignIn_SuccessesAreNotCounted()
    {
        var address = RemoteClients.NewAddress();

        for (var attempt = 0; attempt < 12; attempt++)
        {
            var credentials = await App.AddOperatorAsync(Ct);
            using var browser = App.Browser(address);
            Assert.Equal(HttpStatusCode.Redirect, (await RemoteClients.SignInAsync(browser, credentials.Email, credentials.Password, Ct)).Status);
        }
    }

    [Fact]
    public async Task LinkLookups_FailuresBeyondTheBudget_ThenTooManyRequestsOnTheLinkRoutes()
    {
        await using var app = LinkLimitedApp();
        var campaign = await Seeding.SeedCampaignAsync(app.Services, cancellationToken: Ct);
        using var guesser = app.Browser();
        await SpendLinkBudgetAsync(guesser);

        using var api = await guesser.GetQuestionnaireAsync(UnknownToken(), Ct);
        using var page = await guesser.GetAsync(new Uri("/q/" + UnknownToken(), UriKind.Relative), Ct);
        using var valid = await guesser.GetQuestionnaireAsync(campaign.A.Token, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        AssertRetryAfter(api);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var problem = await api.JsonAsync(Ct);
        Assert.Equal((429, "Trop de requêtes"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("title").GetString()));
        Assert.StartsWith("Trop de liens inconnus, révoqués ou expirés demandés depuis votre adresse réseau : réessayez dans ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        AssertRetryAfter(page);
        Assert.Contains("Trop de liens inconnus", Html.Text(await Html.ParseAsync(page, Ct)), StringComparison.Ordinal);
        // While the budget refills, the whole address waits, valid links included; other addresses do not.
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        using var elsewhere = app.Browser();
        using var fine = await elsewhere.GetQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        // Other routes are not concerned.
        using var home = await guesser.GetAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task LinkLookups_IPv6ClientsAreCountedByTheirSlash64()
    {
        await using var app = LinkLimitedApp();
        var network = $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}";
        using var guesser = app.Browser(network + "::1");
        await SpendLinkBudgetAsync(guesser);
        using var sameNetwork = app.Browser(network + ":5:6:7:8");
        using var nextNetwork = app.Browser(network[..network.LastIndexOf(':')] + ":0::1");

        using var refused = await sameNetwork.GetQuestionnaireAsync(UnknownToken(), Ct);
        using var answered = await nextNetwork.GetQuestionnaireAsync(UnknownToken(), Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, answered.StatusCode);
    }

    [Fact]
    public async Task LinkLookups_AutosavesThatFindTheirLinkAreNeverCounted()
    {
        await using var app = LinkLimitedApp();
        var campaign = await Seeding.SeedCampaignAsync(app.Services, cancellationToken: Ct);
        // Collectivités behind one address (a shared network) saving far more often than the failure budget allows failures.
        using var office = app.Browser();

        for (var save = 0; save < 3 * LinkBudget; save++)
        {
            var collectivite = campaign.Collectivites[save % campaign.Collectivites.Count];
            using var saved = await office.PutAnswerAsync(collectivite.Token, campaign.QuestionIds[save % campaign.QuestionIds.Count], new { level = save % 5 }, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        using var mistyped = await office.GetQuestionnaireAsync(UnknownToken(), Ct);
        Assert.Equal(HttpStatusCode.NotFound, mistyped.StatusCode);
    }

    [Fact]
    public async Task Uploads_BeyondTheOperatorsLimit_AreRefusedWithAFrenchPage()
    {
        await using var app = SecurityApps.With(App, settings:
            [("Barometre:RateLimits:UploadsPerOperator:Limit", "2"), ("Barometre:RateLimits:UploadsPerOperator:Period", "00:10:00")]);
        var uploader = await Seeding.AddOperatorAsync(app.Services, Ct);
        var colleague = await Seeding.AddOperatorAsync(app.Services, Ct);
        using var browser = app.Browser();
        using var colleagueBrowser = app.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await RemoteClients.SignInAsync(browser, uploader.Email, uploader.Password, Ct)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await RemoteClients.SignInAsync(colleagueBrowser, colleague.Email, colleague.Password, Ct)).Status);

        for (var upload = 0; upload < 2; upload++)
        {
            // An empty panel: refused by the page (200 with its problem), nothing created.
            using var checkedFile = await OperatorPages.PostNewCampaignAsync(browser, "Refusée", "", cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.OK, checkedFile.StatusCode);
        }
        using var refused = await OperatorPages.PostNewCampaignAsync(browser, "Refusée", "", cancellationToken: Ct);
        using var colleagues = await OperatorPages.PostNewCampaignAsync(colleagueBrowser, "Refusée", "", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        AssertRetryAfter(refused);
        Assert.Contains("Trop de fichiers déposés : réessayez dans ", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, colleagues.StatusCode);
        // Pages without files are not counted.
        using var list = await browser.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task PasswordChecks_BeyondTheConcurrencyAndTheQueue_Answer503()
    {
        using var hasher = new CountingHasher(hold: true);
        await using var app = SecurityApps.With(App, hasher,
            ("Barometre:RateLimits:ConcurrentPasswordChecks", "1"), ("Barometre:RateLimits:QueuedPasswordChecks", "0"));
        var credentials = await Seeding.AddOperatorAsync(app.Services, Ct);
        using var first = app.Browser();
        using var second = app.Browser();
        var firstForm = Html.AntiforgeryToken(await Html.GetAsync(first, "/admin/connexion", Ct));
        var secondForm = Html.AntiforgeryToken(await Html.GetAsync(second, "/admin/connexion", Ct));

        var held = Html.PostFormAsync(first, "/admin/connexion", [new(Html.AntiforgeryField, firstForm), new("Email", credentials.Email), new("Password", credentials.Password)], Ct);
        Assert.True(await hasher.EnteredAsync(TimeSpan.FromSeconds(30)), "The first sign-in never reached its verification.");
        using var busy = await Html.PostFormAsync(second, "/admin/connexion", [new(Html.AntiforgeryField, secondForm), new("Email", credentials.Email), new("Password", credentials.Password)], Ct);
        hasher.Release();
        using var done = await held;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        AssertRetryAfter(busy);
        Assert.Equal("Service momentanément indisponible", (await Html.ParseAsync(busy, Ct)).QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Single(hasher.Verified);
    }

    [Fact]
    public async Task Settings_AnInvalidLimitStopsTheStartWithAFrenchMessage()
    {
        await using var app = SecurityApps.With(App, settings: [("Barometre:RateLimits:SignInFailuresPerClient:Limit", "0")]);

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Barometre:RateLimits:SignInFailuresPerClient : Limit doit être un entier positif", error.ToString(), StringComparison.Ordinal);
    }

    private const int LinkBudget = 20;

    /// <summary>The class's app with a budget of failed link lookups that does not refill while a test runs.</summary>
    private WebApplicationFactory<Program> LinkLimitedApp() => SecurityApps.With(App, settings:
        [("Barometre:RateLimits:FailedLinkLookupsPerClient:Limit", LinkBudget.ToString(CultureInfo.InvariantCulture)), ("Barometre:RateLimits:FailedLinkLookupsPerClient:Period", "10:00:00")]);

    /// <summary>Asks for unknown links until the budget is spent: every one of them answered 404.</summary>
    private static async Task SpendLinkBudgetAsync(HttpClient guesser)
    {
        for (var attempt = 0; attempt < LinkBudget; attempt++)
        {
            using var miss = await guesser.GetQuestionnaireAsync(UnknownToken(), Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
        }
    }

    private static string UnknownToken() => InvitationTokens.Create().Token;

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        var value = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.True(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1, $"Retry-After: {value}");
    }
}

public sealed class RateLimitTests_Sqlite(SqliteDatabase database) : RateLimitTests<SqliteDatabase>(database);

public sealed class RateLimitTests_Postgres(PostgresDatabase database) : RateLimitTests<PostgresDatabase>(database);
