using System.Net;
using System.Text.Json;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Barometre.Web.Tests.Publishing.PublicationPanels;
using static Barometre.Web.Tests.Publishing.PublicChecks;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// The public API of published results (<c>GET /api/campaigns</c>, <c>GET /api/campaigns/{id}/results</c>) on the
/// <see cref="PublicationPanels.Standard"/> panel: nothing before publication, filters recomputed on their
/// subset, statistical secrecy (small groups, complements below N, figures within a shown filter), errors,
/// caching and republication; and the OpenAPI document.
/// </summary>
public abstract class PublicApiTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    /// <summary>The keys of a wholly suppressed filter's document: no figure at all.</summary>
    private static readonly string[] SuppressedDocument = ["schemaVersion", "referential", "campaign", "filter", "secrecy", "respondents", "suppressed", "reason"];

    [Fact]
    public async Task BeforePublication_NothingIsPublic_ListResultsAndDashboard()
    {
        var open = await SeedAsync(App.Services, Standard(), Ct);
        var closed = await SeedAsync(App.Services, Standard(), Ct);
        await SubmitAsync(App.Services, closed, closed.Members, Ct);
        await CloseAsync(App.Services, closed, Ct);
        using var client = Client();

        var list = await GetJsonAsync(client, "/api/campaigns", Ct);

        // Only published campaigns are listed (other tests of the class may have published theirs).
        var listed = list.EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).Order().ToList();
        var published = await App.WithDbAsync(db => db.Campaigns.AsNoTracking().Where(c => c.PublishedAt != null).Select(c => c.Id).ToListAsync(Ct));
        Assert.Equal(published.Order(), listed);
        Assert.DoesNotContain(open.Id, listed);
        Assert.DoesNotContain(closed.Id, listed);
        foreach (var id in new[] { open.Id, closed.Id, 987_654 })
        {
            using (var response = await client.GetAsync(new Uri($"/api/campaigns/{id}/results", UriKind.Relative), Ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await response.JsonAsync(Ct);
                Assert.Equal("Campagne inconnue ou non publiée", problem.GetProperty("title").GetString());
                Assert.Equal($"Aucune campagne publiée ne porte le numéro {id} : GET /api/campaigns liste les campagnes publiées.", problem.GetProperty("detail").GetString());
            }
            using (var response = await client.GetAsync(new Uri($"/api/campaigns/{id}/results?type={Uri.EscapeDataString(Commune)}", UriKind.Relative), Ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            foreach (var page in new[] { $"/resultats/{id}", $"/resultats/{id}?handler=Json", $"/resultats/{id}?handler=Csv" })
            {
                using var response = await client.GetAsync(new Uri(page, UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("Page introuvable", (await Html.ParseAsync(response, Ct)).QuerySelector("h1")!.TextContent.Trim());
            }
        }
        var index = await Html.GetAsync(client, "/resultats", Ct);
        Assert.Empty(index.QuerySelectorAll($"a[href='/resultats/{closed.Id}']"));
        Assert.Empty(index.QuerySelectorAll($"a[href='/resultats/{open.Id}']"));
    }

    [Fact]
    public async Task Published_ListsTheCampaignWithTheValuesEachFilterAccepts()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        var list = await GetJsonAsync(client, "/api/campaigns", Ct);

        var entry = list.EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == campaign.Id);
        Assert.Equal(campaign.Seeded.Name, entry.GetProperty("name").GetString());
        Assert.Equal("modele-test", entry.GetProperty("referential").GetString());
        Assert.Equal(5, entry.GetProperty("secrecyThreshold").GetInt32());
        Assert.Equal(16, entry.GetProperty("respondents").GetInt32());
        Assert.Equal(App.Now, entry.GetProperty("publishedAt").GetDateTime().ToUniversalTime());
        Assert.Equal($"/api/campaigns/{campaign.Id}/results", entry.GetProperty("results").GetString());
        var filters = entry.GetProperty("filters");
        // Alphabetical, accents ignored: « communauté » before « commune ».
        Assert.Equal([Communaute, Commune, Metropole], filters.GetProperty("types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([Bretagne, Normandie], filters.GetProperty("regions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            [("moins-20000", "moins de 20\u202F000 habitants"), ("20000-50000", "de 20\u202F000 à 49\u202F999 habitants"), ("250000-plus", "250\u202F000 habitants ou plus")],
            filters.GetProperty("populationBands").EnumerateArray().Select(b => (b.GetProperty("id").GetString(), b.GetProperty("label").GetString())));
        NamesNoCollectivite(list.GetRawText(), campaign.Members, "GET /api/campaigns");
        var page = await Html.GetAsync(client, "/resultats", Ct);
        Assert.Equal(campaign.Seeded.Name, page.QuerySelector($"a[href='/resultats/{campaign.Id}']")?.TextContent.Trim());
    }

    [Fact]
    public async Task List_MostRecentPublicationFirst_RepublishingMovesACampaignUp()
    {
        var first = await PublishedAsync(App.Services, Ct);
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        Assert.Equal([second.Id, first.Id], await OrderAsync());

        App.Clock.Advance(TimeSpan.FromMinutes(5));
        await PublishAsync(App.Services, first, 4, Ct);

        Assert.Equal([first.Id, second.Id], await OrderAsync());
        var page = await Html.GetAsync(client, "/resultats", Ct);
        var links = page.QuerySelectorAll("ul.campaign-list a").Select(a => a.GetAttribute("href")).Where(h => h == $"/resultats/{first.Id}" || h == $"/resultats/{second.Id}");
        Assert.Equal([$"/resultats/{first.Id}", $"/resultats/{second.Id}"], links);

        async Task<List<int>> OrderAsync() =>
            [.. (await GetJsonAsync(client, "/api/campaigns", Ct)).EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).Where(id => id == first.Id || id == second.Id)];
    }

    [Fact]
    public async Task WholePanel_FiguresMatchTheAnswers_WithoutScoresNorMembers()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var model = campaign.Model;
        var all = campaign.Members;

        var text = await GetTextAsync(client, campaign.ResultsUrl(), HttpStatusCode.OK, Ct);

        using var document = JsonDocument.Parse(text);
        var results = document.RootElement;
        Assert.Equal(
            ["schemaVersion", "referential", "campaign", "filter", "secrecy", "respondents", "suppressed", "questions", "indicators", "themes", "correlations", "segments", "parameters"],
            Keys(results));
        Assert.Equal(1, results.GetProperty("schemaVersion").GetInt32());
        Assert.Equal((campaign.Id, campaign.Seeded.Name), (results.GetProperty("campaign").GetProperty("id").GetInt32(), results.GetProperty("campaign").GetProperty("name").GetString()));
        var filter = results.GetProperty("filter");
        Assert.Equal(
            (JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null, "ensemble du panel"),
            (filter.GetProperty("type").ValueKind, filter.GetProperty("region").ValueKind, filter.GetProperty("populationBand").ValueKind, filter.GetProperty("label").GetString()));
        Assert.Equal(5, results.GetProperty("secrecy").GetProperty("threshold").GetInt32());
        Assert.Equal((16, false), (results.GetProperty("respondents").GetInt32(), results.GetProperty("suppressed").GetBoolean()));

        var themes = results.GetProperty("themes");
        var gouvernance = Expected.ThemeMean(model, all, "gouvernance");
        var services = Expected.ThemeMean(model, all, "services");
        Assert.Equal(gouvernance, ById(themes, "gouvernance").GetProperty("mean").GetDouble(), 9);
        Assert.Equal(services, ById(themes, "services").GetProperty("mean").GetDouble(), 9);
        Assert.Equal(Expected.ThemeMedian(model, all, "services"), ById(themes, "services").GetProperty("median").GetDouble(), 9);
        Assert.Equal(16, ById(themes, "gouvernance").GetProperty("scored").GetInt32());
        Assert.Equal(
            (services > gouvernance ? 2 : 1, services > gouvernance ? 1 : 2),
            (ById(themes, "gouvernance").GetProperty("rank").GetInt32(), ById(themes, "services").GetProperty("rank").GetInt32()));
        var questions = results.GetProperty("questions");
        Assert.Equal(Expected.Counts(model, all, "gouvernance.strategie"), ById(questions, "gouvernance.strategie").GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));
        // The four « ne sait pas » of the communes leave 12 levels on the whole panel: shown (12 ≥ 5).
        Assert.Equal(12, ById(questions, Demarches).GetProperty("answered").GetInt32());
        Assert.Equal(Expected.Counts(model, all, Demarches), ById(questions, Demarches).GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));

        // No individual result: no scores, no segment members, no code, no name.
        var names = PropertyNames(results).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("scores", names);
        Assert.DoesNotContain("members", names);
        var groups = results.GetProperty("segments").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(3, groups.Count);
        Assert.All(groups, g => Assert.Equal(["label", "size", "meanIndex", "centroid"], Keys(g)));
        Assert.Equal(16, groups.Sum(g => g.GetProperty("size").GetInt32()));
        NamesNoCollectivite(text, all, "the whole panel's results");
    }

    [Fact]
    public async Task TypeAndRegionFilter_RecomputedOnTheSubset_WithSecretFiguresMarked()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var model = campaign.Model;
        var communes = campaign.OfType(Commune).Where(m => m.Region == Bretagne).ToList();

        var text = await GetTextAsync(client, campaign.ResultsUrl(Commune, Bretagne), HttpStatusCode.OK, Ct);

        using var document = JsonDocument.Parse(text);
        var results = document.RootElement;
        Assert.Equal((6, false), (results.GetProperty("respondents").GetInt32(), results.GetProperty("suppressed").GetBoolean()));
        Assert.Equal((Commune, Bretagne, "commune · Bretagne"), (results.GetProperty("filter").GetProperty("type").GetString(), results.GetProperty("filter").GetProperty("region").GetString(), results.GetProperty("filter").GetProperty("label").GetString()));
        var themes = results.GetProperty("themes");
        Assert.Equal(Expected.ThemeMean(model, communes, "gouvernance"), ById(themes, "gouvernance").GetProperty("mean").GetDouble(), 9);
        Assert.Equal(Expected.ThemeMean(model, communes, "services"), ById(themes, "services").GetProperty("mean").GetDouble(), 9);
        Assert.Equal(Expected.ThemeMedian(model, communes, "gouvernance"), ById(themes, "gouvernance").GetProperty("median").GetDouble(), 9);
        Assert.Equal(6, ById(themes, "services").GetProperty("scored").GetInt32());
        var questions = results.GetProperty("questions");
        Assert.Equal(Expected.Counts(model, communes, "gouvernance.pilotage"), ById(questions, "gouvernance.pilotage").GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));

        // Only 2 of these communes gave « démarches » a level: secret, as are its indicator and the alpha of
        // services (2 complete rows); written as markers, never as zeros.
        var demarches = ById(questions, Demarches);
        Assert.Equal(["id", "theme", "suppressed"], Keys(demarches));
        Assert.True(demarches.GetProperty("suppressed").GetBoolean());
        var indicator = results.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("question").GetString() == Demarches);
        Assert.Equal(["id", "question", "predicate", "suppressed"], Keys(indicator));
        Assert.True(IsSecretMarker(ById(themes, "services").GetProperty("alpha")), ById(themes, "services").GetRawText());
        Assert.False(IsSecretMarker(ById(themes, "gouvernance").GetProperty("alpha")));
        NamesNoCollectivite(text, campaign.Members, "the communes' results");

        // « Bretagne · moins de 20 000 habitants » is the same group: the same figures.
        var band = await GetJsonAsync(client, campaign.ResultsUrl(region: Bretagne, band: "moins-20000"), Ct);
        foreach (var part in new[] { "respondents", "questions", "indicators", "themes", "correlations" })
        {
            Assert.Equal(results.GetProperty(part).GetRawText(), band.GetProperty(part).GetRawText());
        }
    }

    [Theory]
    [InlineData(Metropole, null, null)]         // 3 < 5
    [InlineData(Commune, null, null)]           // 8, but the panel minus the communes minus the communautés would be the 3 métropoles
    [InlineData(null, null, "250000-plus")]     // the métropoles again
    [InlineData(null, null, "moins-20000")]     // the communes again
    [InlineData(null, Normandie, null)]         // 2 < 5
    [InlineData(null, Bretagne, null)]          // 14, but the panel minus it is 2 collectivités
    [InlineData(Commune, Normandie, "moins-20000")]
    public async Task SecretFilter_IsSuppressedAsAWhole_WithoutAnyFigure(string? type, string? region, string? band)
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        var text = await GetTextAsync(client, campaign.ResultsUrl(type, region, band), HttpStatusCode.OK, Ct);

        using var document = JsonDocument.Parse(text);
        var results = document.RootElement;
        Assert.Equal(SuppressedDocument, Keys(results));
        Assert.Equal(JsonValueKind.Null, results.GetProperty("respondents").ValueKind);
        Assert.True(results.GetProperty("suppressed").GetBoolean());
        Assert.Equal("secret statistique", results.GetProperty("reason").GetString());
        Assert.Equal(type, results.GetProperty("filter").GetProperty("type").GetString());
        Assert.Equal(region, results.GetProperty("filter").GetProperty("region").GetString());
        Assert.Equal(band, results.GetProperty("filter").GetProperty("populationBand").GetString());
        NamesNoCollectivite(text, campaign.Members, "a secret filter's results");
    }

    [Fact]
    public async Task FilterMatchingNobody_IsEmptyNotSecret()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        // No métropole in Normandie: nothing to show and nothing secret.
        var results = await GetJsonAsync(client, campaign.ResultsUrl(Metropole, Normandie), Ct);

        Assert.Equal((0, false), (results.GetProperty("respondents").GetInt32(), results.GetProperty("suppressed").GetBoolean()));
        Assert.All(results.GetProperty("themes").EnumerateArray(), t => Assert.Equal(0, t.GetProperty("scored").GetInt32()));
    }

    [Fact]
    public async Task EveryOfferedFilter_FollowsTheSecrecyRules()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var model = campaign.Model;
        string?[] types = [null, Communaute, Commune, Metropole];
        string?[] regions = [null, Bretagne, Normandie];
        string?[] bands = [null, "moins-20000", "20000-50000", "250000-plus"];
        var shown = new List<((string? Type, string? Region, string? Band) Filter, int Count)>();
        var suppressed = 0;

        foreach (var type in types)
        {
            foreach (var region in regions)
            {
                foreach (var band in bands)
                {
                    var where = $"type={type}, region={region}, band={band}";
                    var members = campaign.Members.Where(m => (type is null || m.Type == type) && (region is null || m.Region == region) && (band is null || Band(m.Population) == band)).ToList();
                    var text = await GetTextAsync(client, campaign.ResultsUrl(type, region, band), HttpStatusCode.OK, Ct);
                    NamesNoCollectivite(text, campaign.Members, where);
                    using var document = JsonDocument.Parse(text);
                    var results = document.RootElement;
                    var names = PropertyNames(results).ToHashSet(StringComparer.Ordinal);
                    Assert.DoesNotContain("scores", names);
                    Assert.DoesNotContain("members", names);
                    if (results.GetProperty("suppressed").GetBoolean())
                    {
                        Assert.Equal(SuppressedDocument, Keys(results));
                        Assert.True(members.Count > 0, $"{where}: an empty filter is not a secret.");
                        suppressed++;
                        continue;
                    }
                    var count = results.GetProperty("respondents").GetInt32();
                    Assert.True(count == members.Count, $"{where}: {count} respondents, expected {members.Count}.");
                    Assert.True(count == 0 || count >= 5, $"{where}: a group of {count} is shown.");
                    shown.Add(((type, region, band), count));
                    CheckFigures(results, where);
                    if (count > 0)
                    {
                        foreach (var theme in model.Themes)
                        {
                            var figure = ById(results.GetProperty("themes"), theme.Id);
                            if (!figure.TryGetProperty("suppressed", out _))
                            {
                                Assert.Equal(Expected.ThemeMean(model, members, theme.Id), figure.GetProperty("mean").GetDouble(), 9);
                            }
                        }
                    }
                }
            }
        }

        // Two nested filters shown differ by nobody or by at least N.
        foreach (var (outer, outerCount) in shown)
        {
            foreach (var (inner, innerCount) in shown)
            {
                if (!Equals(outer, inner) && Within(inner, outer))
                {
                    var difference = outerCount - innerCount;
                    Assert.True(difference == 0 || difference >= 5, $"{inner} within {outer}: they differ by {difference}.");
                }
            }
        }
        // The hand-worked plan (see PublicationPanels.Standard): only the whole panel, the communautés de communes,
        // the communes of Bretagne and what equals them are shown; the 14 other filters that match somebody are
        // secret.
        Assert.Equal(
            [
                ((null, null, null), 16), ((null, null, "20000-50000"), 5), ((null, Bretagne, "moins-20000"), 6), ((null, Bretagne, "20000-50000"), 5),
                ((Communaute, null, null), 5), ((Communaute, null, "20000-50000"), 5), ((Communaute, Bretagne, null), 5), ((Communaute, Bretagne, "20000-50000"), 5),
                ((Commune, Bretagne, null), 6), ((Commune, Bretagne, "moins-20000"), 6),
            ],
            shown.Where(s => s.Count > 0));
        Assert.Equal(14, suppressed);

        static bool Within((string? Type, string? Region, string? Band) inner, (string? Type, string? Region, string? Band) outer) =>
            (outer.Type is null || outer.Type == inner.Type) && (outer.Region is null || outer.Region == inner.Region) && (outer.Band is null || outer.Band == inner.Band);
    }

    [Theory]
    [InlineData("type", "inconnu", "Type de collectivité « inconnu » inconnu : valeurs possibles « communauté de communes », « commune », « métropole ».")]
    [InlineData("type", "Commune", "Type de collectivité « Commune » inconnu : valeurs possibles « communauté de communes », « commune », « métropole ».")]
    [InlineData("region", "Corse", "Région « Corse » inconnue : valeurs possibles « Bretagne », « Normandie ».")]
    [InlineData("populationBand", "100000-250000", "Tranche de population « 100000-250000 » inconnue : valeurs possibles « moins-20000 », « 20000-50000 », « 250000-plus ».")]
    [InlineData("populationBand", "géante", "Tranche de population « géante » inconnue : valeurs possibles « moins-20000 », « 20000-50000 », « 250000-plus ».")]
    public async Task UnknownFilterValue_Is400WithAReadableFrenchDetail(string parameter, string value, string detail)
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        using var response = await client.GetAsync(new Uri($"/api/campaigns/{campaign.Id}/results?{parameter}={Uri.EscapeDataString(value)}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal(("Filtre invalide", detail), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        Assert.False(response.Headers.Contains("ETag"));
    }

    [Fact]
    public async Task Results_CarryAnETag_IfNoneMatchGives304()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var url = campaign.ResultsUrl();

        string etag;
        using (var first = await client.GetAsync(new Uri(url, UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            etag = first.Headers.ETag?.Tag ?? throw new InvalidOperationException("No ETag.");
            Assert.True(first.Headers.CacheControl?.Public, $"Cache-Control: {first.Headers.CacheControl}");
            Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        }

        using (var again = await GetWithIfNoneMatchAsync(client, url, etag))
        {
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Equal(etag, again.Headers.ETag?.Tag);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync(Ct));
        }
        using (var weak = await GetWithIfNoneMatchAsync(client, url, "W/" + etag))
        {
            Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
        }
        using (var any = await GetWithIfNoneMatchAsync(client, url, "*"))
        {
            Assert.Equal(HttpStatusCode.NotModified, any.StatusCode);
        }
        // Another filter has another tag: the whole panel's does not match it.
        var communautes = campaign.ResultsUrl(type: Communaute);
        using (var other = await GetWithIfNoneMatchAsync(client, communautes, etag))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.NotEqual(etag, other.Headers.ETag?.Tag);
            Assert.Equal(5, (await other.JsonAsync(Ct)).GetProperty("respondents").GetInt32());
        }
    }

    [Fact]
    public async Task Unpublish_HidesEverythingAgain_RepublishWithAnotherThreshold_GivesNewFigures()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var metropoles = campaign.ResultsUrl(type: Metropole);
        var communes = campaign.ResultsUrl(type: Commune);
        // Read (and cached) at N = 5.
        Assert.True((await GetJsonAsync(client, metropoles, Ct)).GetProperty("suppressed").GetBoolean());
        Assert.True((await GetJsonAsync(client, communes, Ct)).GetProperty("suppressed").GetBoolean());
        string etag;
        using (var whole = await client.GetAsync(new Uri(campaign.ResultsUrl(), UriKind.Relative), Ct))
        {
            etag = whole.Headers.ETag!.Tag;
        }

        Assert.True(await UnpublishAsync(App.Services, campaign, Ct));

        await GetTextAsync(client, campaign.ResultsUrl(), HttpStatusCode.NotFound, Ct);
        await GetTextAsync(client, metropoles, HttpStatusCode.NotFound, Ct);
        await GetTextAsync(client, campaign.DashboardUrl(), HttpStatusCode.NotFound, Ct);
        Assert.DoesNotContain(campaign.Id, (await GetJsonAsync(client, "/api/campaigns", Ct)).EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
        using (var stale = await GetWithIfNoneMatchAsync(client, campaign.ResultsUrl(), etag))
        {
            Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        }

        await PublishAsync(App.Services, campaign, 3, Ct);

        // At N = 3 the métropoles are shown, recomputed on them; the communes' « démarches » (4 levels) too.
        var model = campaign.Model;
        var metropole = await GetJsonAsync(client, metropoles, Ct);
        Assert.Equal((3, false, 3), (metropole.GetProperty("respondents").GetInt32(), metropole.GetProperty("suppressed").GetBoolean(), metropole.GetProperty("secrecy").GetProperty("threshold").GetInt32()));
        Assert.Equal(Expected.ThemeMean(model, campaign.OfType(Metropole), "gouvernance"), ById(metropole.GetProperty("themes"), "gouvernance").GetProperty("mean").GetDouble(), 9);
        var demarches = ById((await GetJsonAsync(client, communes, Ct)).GetProperty("questions"), Demarches);
        Assert.Equal(4, demarches.GetProperty("answered").GetInt32());
        Assert.Equal(Expected.Counts(model, campaign.OfType(Commune), Demarches), demarches.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));
        // Differences of 2 stay secret whatever N ≥ 3.
        Assert.True((await GetJsonAsync(client, campaign.ResultsUrl(region: Bretagne), Ct)).GetProperty("suppressed").GetBoolean());
        using (var fresh = await GetWithIfNoneMatchAsync(client, campaign.ResultsUrl(), etag))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.NotEqual(etag, fresh.Headers.ETag?.Tag);
        }
        var entry = (await GetJsonAsync(client, "/api/campaigns", Ct)).EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == campaign.Id);
        Assert.Equal(3, entry.GetProperty("secrecyThreshold").GetInt32());
    }

    [Fact]
    public async Task OpenApi_ListsThePublicTheBenchmarkAndTheOperatorOperations()
    {
        using var client = Client();

        var document = await GetJsonAsync(client, "/openapi/v1.json", Ct);

        var paths = document.GetProperty("paths");
        Assert.Equal("ListPublishedCampaigns", Operation(paths, "/api/campaigns", "get"));
        Assert.Equal("GetPublishedResults", Operation(paths, "/api/campaigns/{id}/results", "get"));
        Assert.Equal("GetBenchmark", Operation(paths, "/api/questionnaire/{token}/benchmark", "get"));
        Assert.Equal("ListCampaigns", Operation(paths, "/api/admin/campaigns", "get"));
        Assert.Equal("GetCampaign", Operation(paths, "/api/admin/campaigns/{id}", "get"));
        Assert.Equal("GetCampaignResults", Operation(paths, "/api/admin/campaigns/{id}/results", "get"));
        Assert.Equal("GetCampaignResponses", Operation(paths, "/api/admin/campaigns/{id}/responses.csv", "get"));
        var parameters = paths.GetProperty("/api/campaigns/{id}/results").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString(), p.GetProperty("in").GetString())).ToList();
        Assert.Equal([("id", "path"), ("type", "query"), ("region", "query"), ("populationBand", "query")], parameters);
    }

    private static string? Operation(JsonElement paths, string path, string method)
    {
        Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing from the OpenAPI document: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} missing");
        return operation.GetProperty("operationId").GetString();
    }

    private static async Task<HttpResponseMessage> GetWithIfNoneMatchAsync(HttpClient client, string url, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("If-None-Match", tag);
        return await client.SendAsync(request, Ct);
    }

    /// <summary>The band id of a population (the usual French size classes), written here from their definition.</summary>
    private static string Band(long population) => population switch
    {
        < 20_000 => "moins-20000",
        < 50_000 => "20000-50000",
        < 100_000 => "50000-100000",
        < 250_000 => "100000-250000",
        _ => "250000-plus",
    };

    /// <summary>
    /// Within a shown filter: every figure is either the marker (its object holds « suppressed »: true and no
    /// number) or computed on nobody or on at least N collectivités.
    /// </summary>
    private static void CheckFigures(JsonElement results, string where)
    {
        foreach (var question in results.GetProperty("questions").EnumerateArray())
        {
            if (question.TryGetProperty("suppressed", out var secret))
            {
                Assert.True(secret.GetBoolean());
                Assert.Equal(["id", "theme", "suppressed"], Keys(question));
                continue;
            }
            var answered = question.GetProperty("answered").GetInt32();
            Assert.True(answered == 0 || answered >= 5, $"{where}: question {question.GetProperty("id")} shown on {answered}.");
        }
        foreach (var indicator in results.GetProperty("indicators").EnumerateArray())
        {
            if (indicator.TryGetProperty("suppressed", out _))
            {
                Assert.Equal(["id", "question", "predicate", "suppressed"], Keys(indicator));
                continue;
            }
            var answered = indicator.GetProperty("answered").GetInt32();
            Assert.True(answered == 0 || answered >= 5, $"{where}: indicator shown on {answered}.");
        }
        foreach (var theme in results.GetProperty("themes").EnumerateArray())
        {
            if (theme.TryGetProperty("suppressed", out _))
            {
                Assert.Equal(["id", "title", "suppressed"], Keys(theme));
                Assert.Equal(JsonValueKind.True, theme.GetProperty("suppressed").ValueKind);
                continue;
            }
            var scored = theme.GetProperty("scored").GetInt32();
            Assert.True(scored == 0 || scored >= 5, $"{where}: theme {theme.GetProperty("id")} shown on {scored}.");
            var alpha = theme.GetProperty("alpha");
            Assert.True(alpha.ValueKind is JsonValueKind.Number or JsonValueKind.Null || IsSecretMarker(alpha), $"{where}: alpha {alpha}.");
        }
        var correlations = results.GetProperty("correlations");
        foreach (var matrix in new[] { "pearson", "spearman", "pValues" })
        {
            foreach (var cell in correlations.GetProperty(matrix).EnumerateArray().SelectMany(row => row.EnumerateArray()))
            {
                Assert.True(cell.ValueKind is JsonValueKind.Number or JsonValueKind.Null || IsSecretMarker(cell), $"{where}: {matrix} cell {cell}.");
            }
        }
        foreach (var group in results.GetProperty("segments").GetProperty("groups").EnumerateArray())
        {
            if (group.TryGetProperty("suppressed", out _))
            {
                Assert.Equal(["label", "suppressed"], Keys(group));
                continue;
            }
            var size = group.GetProperty("size").GetInt32();
            Assert.True(size == 0 || size >= 5, $"{where}: segment {group.GetProperty("label")} of {size} shown.");
        }
    }
}

public sealed class PublicApiTests_Sqlite(SqliteDatabase database) : PublicApiTests<SqliteDatabase>(database);

public sealed class PublicApiTests_Postgres(PostgresDatabase database) : PublicApiTests<PostgresDatabase>(database);
