using System.Globalization;
using System.Net;
using System.Text.Json;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Barometre.Web.Tests.Publishing.PublicationPanels;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// The operators' API (<c>/api/admin/campaigns…</c>): a French 401 without a key, with a wrong, malformed or
/// revoked one; with a key made by <see cref="ApiKeys"/> (Bearer or X-Api-Key), the campaigns' state, the full
/// results and the answers CSV.
/// </summary>
public abstract class OperatorApiTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task WithoutAValidKey_EveryEndpoint_Is401InFrench()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        var (id, secret) = await AddKeyAsync("clé révoquée");
        Assert.True(await App.InScopeAsync(services => services.GetRequiredService<ApiKeys>().RevokeAsync(id, Ct)));
        using var client = Client();
        // A well-formed key nobody issued, a malformed one, a revoked one, an operator's session cookie is no key either.
        var wrong = ApiKeys.Prefix + new string('A', 43);
        (string? Header, string? Value)[] attempts =
        [
            (null, null),
            ("Authorization", $"Bearer {wrong}"),
            ("Authorization", "Bearer brm_pas-une-cle"),
            ("Authorization", "Bearer "),
            ("Authorization", $"Basic {secret}"),
            ("X-Api-Key", wrong),
            ("Authorization", $"Bearer {secret}"),
            ("X-Api-Key", secret),
        ];

        foreach (var path in Paths(campaign.Id))
        {
            foreach (var (header, value) in attempts)
            {
                using var response = await SendAsync(client, path, header, value);

                var where = $"{path} with {header}: {value}";
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{where} answered {(int)response.StatusCode}.");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
                var problem = await response.JsonAsync(Ct);
                Assert.Equal("Clé d'API requise", problem.GetProperty("title").GetString());
                Assert.Equal(
                    "Ces données sont réservées aux opérateurs : envoyez une clé créée par « barometre apikey add » (Authorization: Bearer <clé>).",
                    problem.GetProperty("detail").GetString());
            }
        }
        using var signedIn = await App.SignedInClientAsync(cancellationToken: Ct);
        using (var cookie = await signedIn.GetAsync(new Uri("/api/admin/campaigns", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, cookie.StatusCode);
        }
    }

    [Fact]
    public async Task WithAKey_ListAndCampaignGiveTheState()
    {
        var campaign = await SeedAsync(App.Services, Standard(), Ct);
        await SubmitAsync(App.Services, campaign, campaign.Members.Take(3), Ct);
        var (keyId, secret) = await AddKeyAsync("rédaction data");
        using var client = Client();

        using var list = await SendAsync(client, "/api/admin/campaigns", "Authorization", $"Bearer {secret}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var state = (await list.JsonAsync(Ct)).EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == campaign.Id);
        Assert.Equal(campaign.Seeded.Name, state.GetProperty("name").GetString());
        Assert.Equal(("modele-test", "open", 5), (state.GetProperty("model").GetString(), state.GetProperty("status").GetString(), state.GetProperty("secrecyThreshold").GetInt32()));
        // Answers were imported for all 16, three submitted.
        Assert.Equal((16, 0, 13, 3), (state.GetProperty("collectivites").GetInt32(), state.GetProperty("notStarted").GetInt32(), state.GetProperty("inProgress").GetInt32(), state.GetProperty("submitted").GetInt32()));
        Assert.Equal(JsonValueKind.Null, state.GetProperty("publishedAt").ValueKind);

        using var one = await SendAsync(client, $"/api/admin/campaigns/{campaign.Id}", "X-Api-Key", secret);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var document = await one.JsonAsync(Ct);
        Assert.Equal(campaign.Id, document.GetProperty("campaign").GetProperty("id").GetInt32());
        var rows = document.GetProperty("collectivites").EnumerateArray().ToList();
        Assert.Equal(campaign.Members.Select(m => m.Code), rows.Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(campaign.Members.Select(m => m.Name), rows.Select(r => r.GetProperty("nom").GetString()));
        Assert.Equal(["submitted", "submitted", "submitted", "in_progress"], rows.Take(4).Select(r => r.GetProperty("status").GetString()));
        Assert.All(rows, r => Assert.Equal((5, 5), (r.GetProperty("answered").GetInt32(), r.GetProperty("questions").GetInt32())));

        // The key's use is recorded; an unknown campaign is 404.
        var used = await App.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == keyId, Ct));
        Assert.Equal(App.Now, used.LastUsedAt);
        using var unknown = await SendAsync(client, "/api/admin/campaigns/987654", "X-Api-Key", secret);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task WithAKey_ResultsAndResponsesCsv()
    {
        var campaign = await SeedAsync(App.Services, Standard(), Ct);
        var submitted = campaign.Members.Where((_, i) => i % 2 == 0).ToList();
        await SubmitAsync(App.Services, campaign, submitted, Ct);
        var (_, secret) = await AddKeyAsync("tableau de bord interne");
        using var client = Client();

        // Before closing: no results (409), the answers of the submitted questionnaires, or all of them.
        using (var early = await SendAsync(client, $"/api/admin/campaigns/{campaign.Id}/results", "Authorization", $"Bearer {secret}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            Assert.Equal("Campagne non close", (await early.JsonAsync(Ct)).GetProperty("title").GetString());
        }
        using (var csv = await SendAsync(client, $"/api/admin/campaigns/{campaign.Id}/responses.csv", "Authorization", $"Bearer {secret}"))
        {
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"reponses-campagne-{campaign.Id}.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var rows = ReadCsv(await csv.Content.ReadAsStringAsync(Ct));
            Assert.Equal(["code", "nom", "type", "population", "region", .. campaign.Seeded.QuestionIds], rows[0]);
            Assert.Equal(submitted.Select(Row), rows.Skip(1));
        }
        using (var all = await SendAsync(client, $"/api/admin/campaigns/{campaign.Id}/responses.csv?all=true", "X-Api-Key", secret))
        {
            Assert.Equal(campaign.Members.Select(Row), ReadCsv(await all.Content.ReadAsStringAsync(Ct)).Skip(1));
        }

        await CloseAsync(App.Services, campaign, Ct);

        using var results = await SendAsync(client, $"/api/admin/campaigns/{campaign.Id}/results", "X-Api-Key", secret);
        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        var json = await results.JsonAsync(Ct);
        // The full results: individual scores included, for the operators only.
        Assert.Equal(submitted.Count, json.GetProperty("respondents").GetInt32());
        Assert.Equal(submitted.Select(m => m.Code), json.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("code").GetString()));
        var first = json.GetProperty("scores")[0].GetProperty("themes");
        Assert.Equal(Expected.ThemeScore(campaign.Model, submitted[0], "gouvernance")!.Value, first.GetProperty("gouvernance").GetDouble(), 9);
        Assert.Equal(Expected.ThemeMean(campaign.Model, submitted, "services"), json.GetProperty("themes").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "services").GetProperty("mean").GetDouble(), 9);
    }

    /// <summary>A row of the wide responses CSV: code, name, type, population, region, one cell per question.</summary>
    private static string[] Row(Member member) =>
    [
        member.Code, member.Name, member.Type, member.Population.ToString(CultureInfo.InvariantCulture), member.Region,
        .. member.Cells.Select(cell => cell switch { >= 0 => cell.ToString(CultureInfo.InvariantCulture), Core.Responses.CellCode.DontKnow => "NSP", _ => "" }),
    ];

    private static IEnumerable<string> Paths(int campaignId) =>
    [
        "/api/admin/campaigns",
        $"/api/admin/campaigns/{campaignId}",
        $"/api/admin/campaigns/{campaignId}/results",
        $"/api/admin/campaigns/{campaignId}/responses.csv",
    ];

    private Task<(int Id, string Secret)> AddKeyAsync(string name) => App.InScopeAsync(async services =>
    {
        var (key, secret) = await services.GetRequiredService<ApiKeys>().AddAsync(name, Ct);
        return (key.Id, secret);
    });

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? header, string? value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        return await client.SendAsync(request, Ct);
    }

    private static List<string[]> ReadCsv(string text)
    {
        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Record!);
        }
        return rows;
    }
}

public sealed class OperatorApiTests_Sqlite(SqliteDatabase database) : OperatorApiTests<SqliteDatabase>(database);

public sealed class OperatorApiTests_Postgres(PostgresDatabase database) : OperatorApiTests<PostgresDatabase>(database);
