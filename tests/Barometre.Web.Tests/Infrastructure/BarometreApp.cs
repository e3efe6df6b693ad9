using System.Net;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>A campaign created for a test: its model and its collectivités with their invitation links.</summary>
internal sealed record SeededCampaign(int Id, string Name, MaturityModel Model, IReadOnlyList<SeededCollectivite> Collectivites)
{
    /// <summary>The first collectivité.</summary>
    public SeededCollectivite A => Collectivites[0];

    /// <summary>The second collectivité.</summary>
    public SeededCollectivite B => Collectivites[1];

    /// <summary>The third collectivité.</summary>
    public SeededCollectivite C => Collectivites[2];

    /// <summary>The question ids in model order.</summary>
    public IReadOnlyList<string> QuestionIds => [.. Model.Questions.Select(q => q.Id)];
}

/// <summary>A collectivité of a seeded campaign and its link's token.</summary>
internal sealed record SeededCollectivite(int ParticipantId, string Code, string Name, string Token, DateTime ExpiresAt)
{
    /// <summary>The questionnaire's page.</summary>
    public string Home => $"/q/{Token}";

    /// <summary>The questionnaire's API.</summary>
    public string Api => $"/api/questionnaire/{Token}";
}

/// <summary>An operator account created for a test.</summary>
internal sealed record OperatorCredentials(string Email, string Password);

/// <summary>
/// The web app (Program.cs, the same pipeline as production) in memory, on a <see cref="TestDatabase"/>,
/// with a <see cref="FakeTimeProvider"/> as its clock. Helpers seed campaigns through the app's own
/// services and sign operators in through the sign-in page.
/// </summary>
internal sealed class BarometreApp(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>The header a test sets to give a request another remote address than loopback.</summary>
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    /// <summary>The database the app runs on.</summary>
    public TestDatabase Database { get; } = database;

    /// <summary>
    /// The app's clock: starts at the current time (whole seconds, so that PostgreSQL's microseconds
    /// keep it exactly) and moves only when a test advances it.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>The clock's current time as the database stores times (UTC <see cref="DateTime"/>).</summary>
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>Starts the app (migrating the database) and checks it runs on the intended database.</summary>
    public void Start()
    {
        var settings = Services.GetRequiredService<DatabaseSettings>();
        if (settings.IsPostgres != Database.IsPostgres || (settings.PostgresConnection ?? "") != (Database.ConnectionString ?? ""))
        {
            throw new InvalidOperationException($"The app runs on {settings.Describe()}, not on the test's {Database.Provider} database.");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Production: the French error pages and no developer exception page, as deployed.
        builder.UseEnvironment("Production");
        builder.UseSetting("Barometre:DataDirectory", Database.DataDirectory);
        builder.UseSetting("Barometre:Database", Database.ConnectionString ?? "");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging =>
        {
            // Warnings and errors only (a 500's exception is logged by the exception handler); EF Core's
            // failed first query of the migrations history on a fresh database is expected noise.
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
            logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        });
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, RemoteAddressStartupFilter>();
        });
    }

    /// <summary>A client that does not follow redirects and keeps cookies (one browser).</summary>
    public HttpClient Client(string baseAddress = "http://localhost") =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) });

    /// <summary>A client that neither follows redirects nor keeps cookies (use a <see cref="CookieJar"/>).</summary>
    public HttpClient CookielessClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>Runs <paramref name="action"/> with the services of a new scope (what one request sees).</summary>
    public Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action) => Seeding.InScopeAsync(Services, action);

    /// <summary>Runs <paramref name="action"/> with a new scope's <see cref="BarometreDbContext"/>.</summary>
    public Task<T> WithDbAsync<T>(Func<BarometreDbContext, Task<T>> action) =>
        InScopeAsync(services => action(services.GetRequiredService<BarometreDbContext>()));

    /// <inheritdoc cref="Seeding.SeedCampaignAsync"/>
    public Task<SeededCampaign> SeedCampaignAsync(
        string? modelText = null, int collectivites = 3, IReadOnlyList<PanelEntry>? panel = null, CampaignContact? contact = null, CancellationToken cancellationToken = default) =>
        Seeding.SeedCampaignAsync(Services, modelText, collectivites, panel, contact: contact, cancellationToken: cancellationToken);

    /// <inheritdoc cref="Seeding.AddContributorAsync"/>
    public Task<string> AddContributorAsync(SeededCollectivite collectivite, string name, CancellationToken cancellationToken = default) =>
        Seeding.AddContributorAsync(Services, collectivite, name, cancellationToken);

    /// <summary>Revokes a collectivité's links.</summary>
    public Task<int> RevokeAsync(SeededCollectivite collectivite, CancellationToken cancellationToken = default) =>
        InScopeAsync(services => services.GetRequiredService<CampaignInvitations>().RevokeAsync(collectivite.ParticipantId, Seeding.Operator, cancellationToken));

    /// <summary>Closes a campaign's collection, with a review window until <paramref name="reviewEndsAt"/> or frozen at once.</summary>
    public async Task CloseAsync(SeededCampaign campaign, DateTime? reviewEndsAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var outcome = await InScopeAsync(services => services.GetRequiredService<CampaignLifecycle>().CloseAsync(campaign.Id, reviewEndsAt, Seeding.Operator, cancellationToken));
        if (outcome is CloseOutcome.Refused refused)
        {
            throw new InvalidOperationException(refused.Reason);
        }
    }

    /// <inheritdoc cref="Seeding.AddOperatorAsync"/>
    public Task<OperatorCredentials> AddOperatorAsync(CancellationToken cancellationToken = default) => Seeding.AddOperatorAsync(Services, cancellationToken);

    /// <summary>
    /// Posts the sign-in form as a browser does: GET /admin/connexion (antiforgery cookie and field),
    /// then POST with the field; the client keeps the session cookie. Returns the POST's response.
    /// </summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password, string url = "/admin/connexion", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = await Html.GetAsync(client, url, cancellationToken);
        return await Html.PostFormAsync(client, url,
            [new("__RequestVerificationToken", Html.AntiforgeryToken(form)), new("Email", email), new("Password", password)], cancellationToken);
    }

    /// <summary>A new client signed in as a new operator (or as <paramref name="credentials"/>).</summary>
    public async Task<HttpClient> SignedInClientAsync(OperatorCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        credentials ??= await AddOperatorAsync(cancellationToken);
        var client = Client();
        using var response = await PostSignInAsync(client, credentials.Email, credentials.Password, cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode} instead of a redirection.");
        }
        return client;
    }

    /// <summary>
    /// In-memory requests have no remote address; a real server's come from the reverse proxy. This
    /// gives them the loopback address (a proxy on the same machine), or the one a test puts in
    /// <see cref="RemoteAddressHeader"/>, before the app's own middleware (forwarded headers) runs.
    /// </summary>
    private sealed class RemoteAddressStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = context.Request.Headers.Remove(RemoteAddressHeader, out var address)
                    ? IPAddress.Parse(address.ToString())
                    : context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
                return following(context);
            });
            next(app);
        };
    }
}
