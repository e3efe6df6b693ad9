using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Barometre.Web.Tests.OperatorFlows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// Every endpoint of the app, read from its endpoint data source, has an access rule in
/// <see cref="EndpointAccessTable"/>, and refuses whoever lacks the credential of its class as that class requires:
/// public endpoints never refuse; link endpoints give the same 404 to an unknown, malformed or revoked token;
/// operator pages send anonymous visitors (and API keys) to sign-in; the operators' API answers 401 without a key,
/// with an unknown key or with an operator's cookie. No refused request writes anything.
/// </summary>
public abstract class EndpointAccessTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string UnknownLinkTitle = "Lien inconnu";
    private const string UnknownLinkDetail = "Ce lien d'invitation est inconnu, révoqué ou expiré. Demandez un nouveau lien à l'organisateur du baromètre.";
    private const string UnknownLinkHeading = "Ce lien n'ouvre aucun questionnaire";
    private const string KeyRequiredTitle = "Clé d'API requise";

    /// <summary>Tests come from 10.77.x.y, one address each (see <see cref="Client"/>).</summary>
    private static int addresses;

    [Fact]
    public async Task Table_ClassifiesEveryEndpointOfTheApp()
    {
        var endpoints = (await EndpointAccessTable.EndpointsAsync(App.Services)).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

        var unclassified = endpoints.Where(key => !EndpointAccessTable.Rules.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();
        var stale = EndpointAccessTable.Rules.Keys.Where(key => !endpoints.Contains(key)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unclassified.Count == 0 && stale.Count == 0,
            (unclassified.Count == 0 ? "" : $"Endpoints without an access rule (decide who may call them in EndpointAccessTable.Rules):\n  {string.Join("\n  ", unclassified)}\n")
            + (stale.Count == 0 ? "" : $"Rules for no endpoint of the app (remove them from EndpointAccessTable.Rules):\n  {string.Join("\n  ", stale)}"));
    }

    [Fact]
    public async Task OperatorEndpoints_AreAllInTheOperatorAccessTests()
    {
        // OperatorAccessTests probes each operator route signed in: antiforgery, unknown and foreign ids.
        var listed = OperatorRoutes.Pages.Select(row => "GET " + row.Data).Concat(OperatorRoutes.Posts.Select(row => "POST " + row.Data)).ToHashSet(StringComparer.Ordinal);
        var placeholders = new Dictionary<string, string> { ["id"] = "{c}", ["participantId"] = "{p}" };

        var missing = (await EndpointAccessTable.EndpointsAsync(App.Services))
            .Where(e => EndpointAccessTable.Rules.GetValueOrDefault(e.Key, EndpointAccess.Public) == EndpointAccess.Operator)
            .Select(e => $"{e.Method} {EndpointAccessTable.Url(e, placeholders)}")
            .Where(route => !listed.Contains(route))
            .ToList();

        Assert.True(missing.Count == 0, $"Operator routes missing from OperatorRoutes (Operator/OperatorAccessTests.cs):\n  {string.Join("\n  ", missing)}");
    }

    [Theory]
    [MemberData(nameof(EndpointAccessTable.Keys), MemberType = typeof(EndpointAccessTable))]
    public async Task Endpoint_WithoutItsCredential_IsRefusedAsItsClassRequires(string key)
    {
        var endpoint = (await EndpointAccessTable.EndpointsAsync(App.Services)).SingleOrDefault(e => e.Key == key)
            ?? throw new Xunit.Sdk.XunitException($"{key} is not an endpoint of the app: remove it from EndpointAccessTable.Rules.");
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        await App.RevokeAsync(campaign.B, Ct);
        var values = new Dictionary<string, string>
        {
            ["id"] = Invariant(campaign.Id),
            ["participantId"] = Invariant(campaign.A.ParticipantId),
            ["questionId"] = campaign.QuestionIds[0],
            ["number"] = "1",
            ["code"] = "404",
            ["documentName"] = "v1",
            ["table"] = "distributions",
            ["token"] = new string('A', 43),
        };
        var before = await AuditCountAsync();

        switch (EndpointAccessTable.Rules[key])
        {
            case EndpointAccess.Public:
                await AssertOpenToAnyoneAsync(endpoint, values);
                break;
            case EndpointAccess.SignOut:
                await AssertSentToSignInAsync(endpoint, values);
                break;
            case EndpointAccess.Link:
                await AssertSameNotFoundForEveryBadTokenAsync(endpoint, values, campaign.B.Token);
                break;
            case EndpointAccess.Operator:
                await AssertOperatorsOnlyAsync(endpoint, values);
                break;
            case EndpointAccess.ApiKey:
                await AssertApiKeyOnlyAsync(endpoint, values);
                break;
        }

        Assert.Equal(before, await AuditCountAsync());
    }

    private async Task AssertOpenToAnyoneAsync(AppEndpoint endpoint, Dictionary<string, string> values)
    {
        using var client = Client();
        var url = EndpointAccessTable.Url(endpoint, values);

        using var response = await SendAsync(client, endpoint, url);

        Assert.True((int)response.StatusCode < 500 && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && !IsSignInRedirection(response),
            $"{endpoint.Key}: {(int)response.StatusCode} {response.Headers.Location} for an anonymous request to a public endpoint");
    }

    /// <summary>Signing out without a session: nothing to end, the visitor lands on the sign-in page.</summary>
    private async Task AssertSentToSignInAsync(AppEndpoint endpoint, Dictionary<string, string> values)
    {
        using var client = Client();
        var url = EndpointAccessTable.Url(endpoint, values);

        using var response = await SendAsync(client, endpoint, url);

        Assert.True(IsSignInRedirection(response), $"{endpoint.Key}: {(int)response.StatusCode} {response.Headers.Location} instead of the sign-in page");
        Assert.DoesNotContain("ReturnUrl", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>A well-formed unknown token, a malformed one and a revoked one: one 404, whatever the link's state.</summary>
    private async Task AssertSameNotFoundForEveryBadTokenAsync(AppEndpoint endpoint, Dictionary<string, string> values, string revoked)
    {
        using var client = Client();
        var bodies = new List<string>();
        foreach (var token in new[] { new string('A', 43), "inconnu", revoked })
        {
            var url = EndpointAccessTable.Url(endpoint, new Dictionary<string, string>(values) { ["token"] = token });
            using var response = await SendAsync(client, endpoint, url);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{endpoint.Key} with token « {token} »: {(int)response.StatusCode} instead of 404");
            if (endpoint.IsPage)
            {
                var page = await Html.ParseAsync(response, Ct);
                Assert.Equal(UnknownLinkHeading, page.QuerySelector("main h1")?.TextContent.Trim());
                bodies.Add(page.QuerySelector("main")!.TextContent);
            }
            else
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await ProblemAsync(response);
                Assert.Equal(UnknownLinkTitle, (string?)problem["title"]);
                Assert.Equal(UnknownLinkDetail, (string?)problem["detail"]);
                bodies.Add(problem.ToJsonString());
            }
        }
        Assert.Single(bodies.Distinct(StringComparer.Ordinal));
    }

    /// <summary>Anonymous requests, and requests carrying a valid API key (which opens the operators' API, not their pages).</summary>
    private async Task AssertOperatorsOnlyAsync(AppEndpoint endpoint, Dictionary<string, string> values)
    {
        var (_, secret) = await App.InScopeAsync(services => services.GetRequiredService<ApiKeys>().AddAsync("sonde des accès", Ct));
        var url = EndpointAccessTable.Url(endpoint, values);
        foreach (var authorization in new[] { null, $"Bearer {secret}" })
        {
            using var client = Client();
            using var response = await SendAsync(client, endpoint, url, authorization);

            var who = authorization is null ? "anonymous" : "with an API key";
            if (endpoint.IsPage)
            {
                Assert.True(IsSignInRedirection(response), $"{endpoint.Key} {who}: {(int)response.StatusCode} {response.Headers.Location} instead of the sign-in page");
                if (endpoint.Method == "GET")
                {
                    Assert.Equal("?ReturnUrl=" + Uri.EscapeDataString(url), Absolute(response.Headers.Location!).Query);
                }
            }
            else
            {
                Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{endpoint.Key} {who}: {(int)response.StatusCode} instead of 401 or 403");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    /// <summary>No key, an unknown key, and a signed-in operator's cookie without a key.</summary>
    private async Task AssertApiKeyOnlyAsync(AppEndpoint endpoint, Dictionary<string, string> values)
    {
        var url = EndpointAccessTable.Url(endpoint, values);
        var operatorCredentials = await App.AddOperatorAsync(Ct);
        foreach (var (who, authorization, signedIn) in new[] { ("anonymous", (string?)null, false), ("with an unknown key", $"Bearer {ApiKeys.Prefix}{new string('A', 43)}", false), ("signed in without a key", null, true) })
        {
            using var client = Client();
            if (signedIn)
            {
                using var signIn = await BarometreApp.PostSignInAsync(client, operatorCredentials.Email, operatorCredentials.Password, cancellationToken: Ct);
                Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            }
            using var response = await SendAsync(client, endpoint, url, authorization);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint.Key} {who}: {(int)response.StatusCode} instead of 401");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(KeyRequiredTitle, (string?)(await ProblemAsync(response))["title"]);
        }
    }

    /// <summary>
    /// A browser of its own, from an address of its own: the refusals probed here are the access rules', not those of
    /// a rate limiter counting a client's failed link lookups or sign-ins.
    /// </summary>
    private new HttpClient Client()
    {
        var client = App.Client();
        var n = Interlocked.Increment(ref addresses);
        client.DefaultRequestHeaders.Add(BarometreApp.RemoteAddressHeader, $"10.77.{(n >> 8) & 255}.{n & 255}");
        return client;
    }

    /// <summary>
    /// The endpoint's request: a page's form is posted with a valid antiforgery token and a few plausible fields, so
    /// that what refuses it is the access rule; an API write carries a valid answer.
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, AppEndpoint endpoint, string url, string? authorization = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(url, UriKind.Relative));
        if (endpoint.IsPage && endpoint.Method != "GET")
        {
            var token = Html.AntiforgeryToken(await Html.GetAsync(client, "/admin/connexion", Ct));
            request.Content = new FormUrlEncodedContent([new(Html.AntiforgeryField, token), new("Name", "Sonde"), new("Confirm", "true")]);
        }
        else if (endpoint.Method is "PUT" or "POST")
        {
            request.Content = new StringContent("""{"level": 1}""", Encoding.UTF8, "application/json");
        }
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await client.SendAsync(request, Ct);
    }

    private static bool IsSignInRedirection(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location && Absolute(location).AbsolutePath == "/admin/connexion";

    private static Uri Absolute(Uri location) => new(new Uri("http://localhost"), location);

    /// <summary>The problem's members but its trace id, which differs on every request.</summary>
    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        problem.Remove("traceId");
        return problem;
    }

    private Task<int> AuditCountAsync() => App.WithDbAsync(db => db.AuditEntries.CountAsync(Ct));

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

public sealed class EndpointAccessTests_Sqlite(SqliteDatabase database) : EndpointAccessTests<SqliteDatabase>(database);

public sealed class EndpointAccessTests_Postgres(PostgresDatabase database) : EndpointAccessTests<PostgresDatabase>(database);
