using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// The access matrix: every operator's page, form and API call of <see cref="EndpointAccessTable.Rights"/> (which
/// <c>EndpointAccessTests</c> checks against the app's endpoints), called through the real pipeline by an analyst, a
/// campaign manager given the campaign, a campaign manager given another one and an administrator — signed in for
/// pages, with an API key of that role and campaigns for the API. Who may call what is written out here apart from the
/// app's rules: allowed calls answer, refused ones get 403 with the French reason and write nothing.
/// </summary>
public abstract class AccessMatrixTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string AdministratorsOnly = "Cette page est réservée aux administrateurs";
    private const string NotGiven = "Cette campagne ne vous est pas confiée : demandez à un administrateur de vous la confier.";
    private const string AnalystsRead = "Votre rôle d'analyste ouvre les résultats agrégés";

    /// <summary>Who calls.</summary>
    private enum Who
    {
        Analyst,
        ManagerOfTheCampaign,
        ManagerOfAnother,
        Administrator,
    }

    /// <summary>What an allowed GET answers on an open campaign when it is not 200: the frozen results do not exist yet.</summary>
    private static readonly Dictionary<string, HttpStatusCode> BeforeClosing = new(StringComparer.Ordinal)
    {
        ["GET /admin/campagnes/{id:int}/resultats?handler=Json"] = HttpStatusCode.NotFound,
        ["GET /admin/campagnes/{id:int}/resultats?handler=Csv"] = HttpStatusCode.NotFound,
        ["GET /admin/campagnes/{id:int}/resultats?handler=Study"] = HttpStatusCode.NotFound,
        ["GET /api/admin/campaigns/{id:int}/results"] = HttpStatusCode.Conflict,
    };

    /// <summary>
    /// The rules, written out: an administrator does everything; a campaign manager runs and reads the campaigns given;
    /// an analyst reads the results of the campaigns given; what names no campaign depends on the role alone.
    /// </summary>
    private static string? ExpectedRefusal(OperatorRight right, Who who, bool namesACampaign) => (right, who) switch
    {
        (_, Who.Administrator) => null,
        (OperatorRight.Administer, _) => AdministratorsOnly,
        (_, Who.ManagerOfAnother) when namesACampaign => NotGiven,
        (OperatorRight.RunCampaign, Who.Analyst) => AnalystsRead,
        _ => null,
    };

    [Theory]
    [MemberData(nameof(EndpointAccessTable.RightKeys), MemberType = typeof(EndpointAccessTable))]
    public async Task Endpoint_EachRole_IsAllowedOrRefusedWithTheFrenchReason(string key)
    {
        var endpoint = (await EndpointAccessTable.EndpointsAsync(App.Services)).SingleOrDefault(e => e.Key == key)
            ?? throw new Xunit.Sdk.XunitException($"{key} is not an endpoint of the app: remove it from EndpointAccessTable.Rights.");
        var (mine, theirs) = (await App.SeedCampaignAsync(cancellationToken: Ct), await App.SeedCampaignAsync(cancellationToken: Ct));
        var url = EndpointAccessTable.Url(endpoint, Values(mine));
        var namesACampaign = endpoint.Pattern.Contains("{id", StringComparison.Ordinal);

        foreach (var who in Enum.GetValues<Who>())
        {
            using var client = await ClientAsync(who, mine.Id, theirs.Id, endpoint.IsPage);
            var before = await AuditCountAsync();
            using var response = await SendAsync(client, endpoint, url);

            var expected = ExpectedRefusal(EndpointAccessTable.Rights[key], who, namesACampaign);
            if (expected is null)
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized) && (int)response.StatusCode < 500 && !IsSignIn(response),
                    $"{key} as {who}: {(int)response.StatusCode} {response.Headers.Location} instead of an answer");
                if (endpoint.Method == "GET")
                {
                    Assert.True(response.StatusCode == BeforeClosing.GetValueOrDefault(key, HttpStatusCode.OK), $"{key} as {who}: {(int)response.StatusCode}");
                }
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{key} as {who}: {(int)response.StatusCode} {response.Headers.Location} instead of 403");
            Assert.StartsWith(expected, await RefusalAsync(response, endpoint.IsPage), StringComparison.Ordinal);
            Assert.Equal(before, await AuditCountAsync());
        }
    }

    [Fact]
    public async Task CampaignNotGiven_IsRefusedAlikeWhetherOrNotItExists_OnlyAnAdministratorSeesA404()
    {
        var (mine, theirs) = (await App.SeedCampaignAsync(cancellationToken: Ct), await App.SeedCampaignAsync(cancellationToken: Ct));
        var unknown = await App.WithDbAsync(db => db.Campaigns.MaxAsync(c => c.Id, Ct)) + 1000;
        using var manager = await ClientAsync(Who.ManagerOfTheCampaign, mine.Id, theirs.Id, page: true);
        using var managerKey = await ClientAsync(Who.ManagerOfTheCampaign, mine.Id, theirs.Id, page: false);
        using var administrator = await ClientAsync(Who.Administrator, mine.Id, theirs.Id, page: true);

        foreach (var (client, path, page) in new[] { (manager, "/admin/campagnes/{0}/journal", true), (managerKey, "/api/admin/campaigns/{0}", false) })
        {
            using var existing = await client.GetAsync(new Uri(string.Format(CultureInfo.InvariantCulture, path, theirs.Id), UriKind.Relative), Ct);
            using var missing = await client.GetAsync(new Uri(string.Format(CultureInfo.InvariantCulture, path, unknown), UriKind.Relative), Ct);

            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (existing.StatusCode, missing.StatusCode));
            Assert.Equal(NotGiven, await RefusalAsync(existing, page));
            Assert.Equal(NotGiven, await RefusalAsync(missing, page));
        }
        using var notFound = await administrator.GetAsync(new Uri($"/admin/campagnes/{unknown}/journal", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task ListsAndNavigation_ShowOnlyWhatOneMayOpen()
    {
        var (mine, theirs) = (await App.SeedCampaignAsync(cancellationToken: Ct), await App.SeedCampaignAsync(cancellationToken: Ct));
        using var analyst = await ClientAsync(Who.Analyst, mine.Id, theirs.Id, page: true);
        using var manager = await ClientAsync(Who.ManagerOfTheCampaign, mine.Id, theirs.Id, page: true);
        using var administrator = await ClientAsync(Who.Administrator, mine.Id, theirs.Id, page: true);
        using var analystKey = await ClientAsync(Who.Analyst, mine.Id, theirs.Id, page: false);

        var analystsList = await Html.GetAsync(analyst, "/admin", Ct);
        var analystsResults = await Html.GetAsync(analyst, $"/admin/campagnes/{mine.Id}/resultats", Ct);
        var managersFollowUp = await Html.GetAsync(manager, $"/admin/campagnes/{mine.Id}", Ct);
        var administratorsList = await Html.GetAsync(administrator, "/admin", Ct);
        var keysList = JsonNode.Parse(await analystKey.GetStringAsync(new Uri("/api/admin/campaigns", UriKind.Relative), Ct))!.AsArray();

        Assert.Equal([$"/admin/campagnes/{mine.Id}/resultats"], Links(analystsList, "table.campaigns th a"));
        Assert.Empty(Links(analystsList, "a[href='/admin/campagnes/nouvelle'], a[href='/admin/comptes']"));
        Assert.Equal([$"/admin/campagnes/{mine.Id}/resultats"], Links(analystsResults, "nav.tabs a"));
        // Follow-up, invitations, e-mails, panel, import, closing, results, journal, personal data.
        Assert.Equal(9, Links(managersFollowUp, "nav.tabs a").Count);
        Assert.Empty(Links(managersFollowUp, "a[href='/admin/comptes']"));
        Assert.Contains($"/admin/campagnes/{theirs.Id}", Links(administratorsList, "table.campaigns th a"));
        Assert.NotEmpty(Links(administratorsList, "header a[href='/admin/comptes']"));
        Assert.Equal([mine.Id], keysList.Select(c => (int)c!["id"]!));
    }

    /// <summary>A client signed in as (pages), or carrying an API key of (API), <paramref name="who"/>.</summary>
    private async Task<HttpClient> ClientAsync(Who who, int mine, int theirs, bool page)
    {
        var (role, campaigns) = who switch
        {
            Who.Analyst => (OperatorRole.Analyst, new[] { mine }),
            Who.ManagerOfTheCampaign => (OperatorRole.CampaignManager, [mine]),
            Who.ManagerOfAnother => (OperatorRole.CampaignManager, [theirs]),
            _ => (OperatorRole.Administrator, Array.Empty<int>()),
        };
        if (!page)
        {
            var created = await App.InScopeAsync(services => services.GetRequiredService<ApiKeys>().AddAsync($"matrice {who}", role, campaigns, Seeding.Operator, Ct));
            var client = App.Client();
            client.DefaultRequestHeaders.Authorization = new("Bearer", Assert.IsType<ApiKeyOutcome.Created>(created).Secret);
            return client;
        }
        var credentials = new OperatorCredentials($"{who.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@exemple.fr", Seeding.OperatorPassword);
        await App.InScopeAsync(async services =>
        {
            var accounts = services.GetRequiredService<OperatorAccounts>();
            Assert.Null(await accounts.AddAsync(credentials.Email, credentials.Password, role, cancellationToken: Ct));
            return Assert.IsType<AccountChange.Done>(await accounts.SetCampaignsAsync(credentials.Email, campaigns, Seeding.Operator, Ct));
        });
        return await App.SignedInClientAsync(credentials, Ct);
    }

    private static Dictionary<string, string> Values(SeededCampaign campaign) => new()
    {
        ["id"] = campaign.Id.ToString(CultureInfo.InvariantCulture),
        ["participantId"] = campaign.A.ParticipantId.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A page's form is posted with the session's antiforgery token and a few plausible fields.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, AppEndpoint endpoint, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(url, UriKind.Relative));
        if (endpoint.IsPage && endpoint.Method != "GET")
        {
            var token = Html.AntiforgeryToken(await Html.GetAsync(client, "/admin/connexion", Ct));
            request.Content = new FormUrlEncodedContent([new(Html.AntiforgeryField, token), new("Name", "Sonde"), new("Confirm", "true")]);
        }
        return await client.SendAsync(request, Ct);
    }

    /// <summary>The reason a 403 gives: the error page's lead paragraph, or the problem's detail.</summary>
    private static async Task<string> RefusalAsync(HttpResponseMessage response, bool page)
    {
        if (page)
        {
            var document = await Html.ParseAsync(response, Ct);
            Assert.Equal("Accès refusé", document.QuerySelector("main h1")?.TextContent.Trim());
            return document.QuerySelector("main p.lead")?.TextContent.Trim() ?? "";
        }
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Accès refusé", (string?)problem["title"]);
        return (string?)problem["detail"] ?? "";
    }

    private static List<string> Links(AngleSharp.Dom.IParentNode page, string selector) =>
        [.. page.QuerySelectorAll(selector).Select(a => a.GetAttribute("href") ?? "")];

    private static bool IsSignIn(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.StartsWith("/admin/connexion", StringComparison.Ordinal) == true;

    private Task<int> AuditCountAsync() => App.WithDbAsync(async db => await db.AuditEntries.CountAsync(Ct) + await db.OperatorAudit.CountAsync(Ct));
}

public sealed class AccessMatrixTests_Sqlite(SqliteDatabase database) : AccessMatrixTests<SqliteDatabase>(database);

public sealed class AccessMatrixTests_Postgres(PostgresDatabase database) : AccessMatrixTests<PostgresDatabase>(database);
