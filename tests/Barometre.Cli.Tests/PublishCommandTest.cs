using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Barometre.Data.Import;

namespace Barometre.Cli.Tests;

/// <summary>
/// <c>barometre campaign publish|unpublish</c> and <c>barometre apikey add|list|revoke</c>, checked through the web
/// app's public and operators' APIs on the same store, on SQLite and on PostgreSQL.
/// </summary>
public abstract class PublishCommandTest : CliStoreTest
{
    private const string Model = "maturite-numerique-2019";
    private static readonly IReadOnlyList<string> Questions = [.. ShippedModels.Load(Model).Questions.Select(q => q.Id)];

    /// <summary>The clock of the command (keys record their creation with it).</summary>
    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero));

    private Task<CliRun> RunAsync(params string[] args) => Cli.RunAsync([.. args, .. Store.Options], clock: Clock);

    private async Task<string> CreateCampaignAsync(int collectivites, bool submitAll)
    {
        var panel = "code;nom;type;population;region;email\n"
            + string.Concat(Enumerable.Range(1, collectivites).Select(n => $"PB{n:D3};Commune publiée n°{n};commune;{8_000 + n};Occitanie;mairie{n}@exemple.fr\n"));
        var created = await RunAsync("campaign", "create", "--model", Model, "--name", "Baromètre publié", "--panel", Store.File("panel.csv", panel));
        Assert.True(created.ExitCode == 0, created.Error);
        var id = created.Out.Trim();
        if (submitAll)
        {
            var responses = "code;nom;" + string.Join(';', Questions) + "\n"
                + string.Concat(Enumerable.Range(1, collectivites).Select(n => $"PB{n:D3};Commune;{string.Join(';', Questions.Select((_, q) => ((n + q) % 5).ToString(CultureInfo.InvariantCulture)))}\n"));
            var imported = await RunAsync("campaign", "import-answers", "-c", id, "--responses", Store.File("reponses.csv", responses), "--submit");
            Assert.True(imported.ExitCode == 0, imported.Error);
        }
        return id;
    }

    [Fact]
    public async Task Publish_OpenOrUnknownCampaign_IsRefusedInFrench()
    {
        var id = await CreateCampaignAsync(6, submitAll: true);

        var open = await RunAsync("campaign", "publish", "-c", id);

        Assert.Equal((ExitCodes.InvalidInput, ""), (open.ExitCode, open.Out));
        Assert.Equal("barometre : Seule une campagne close (résultats figés) peut être publiée.", open.Error.Trim());
        var unknown = await RunAsync("campaign", "publish", "-c", "987654");
        Assert.Equal((ExitCodes.InvalidInput, "barometre : aucune campagne n° 987654 (barometre campaign list)."), (unknown.ExitCode, unknown.Error.Trim()));
        // Still open, so nothing public.
        Assert.Contains("\tOpen\t", (await RunAsync("campaign", "list")).Out, StringComparison.Ordinal);
        await using var server = await Store.ServerAsync();
        await server.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.Single()) };
        Assert.Equal("[]", (await http.GetStringAsync(new Uri("/api/campaigns", UriKind.Relative), Ct)).Trim());
    }

    [Fact]
    public async Task Publish_ClosedCampaign_ThenAnotherThreshold_ThenUnpublish()
    {
        var id = await CreateCampaignAsync(6, submitAll: true);
        Assert.Equal(0, (await RunAsync("campaign", "close", "-c", id)).ExitCode);
        await using var server = await Store.ServerAsync();
        await server.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.Single()) };
        using (var before = await http.GetAsync(new Uri($"/api/campaigns/{id}/results", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        var published = await RunAsync("campaign", "publish", "-c", id);

        Assert.Equal((0, ""), (published.ExitCode, published.Error));
        Assert.Equal($"Résultats publiés (version 1, secret statistique : moins de 5 collectivités) : /resultats/{id}", published.Out.Trim());
        var entry = await ListedAsync(http, id);
        Assert.Equal((5, 6, "Baromètre publié"), (entry.GetProperty("secrecyThreshold").GetInt32(), entry.GetProperty("respondents").GetInt32(), entry.GetProperty("name").GetString()));
        var results = await ResultsAsync(http, id);
        Assert.Equal((6, 5), (results.GetProperty("respondents").GetInt32(), results.GetProperty("secrecy").GetProperty("threshold").GetInt32()));

        // A threshold out of range is a bad value: nothing changes.
        foreach (var bad in new[] { "0", "1001", "-3" })
        {
            var refused = await RunAsync("campaign", "publish", "-c", id, "--threshold", bad);
            Assert.Equal((ExitCodes.UsageError, ""), (refused.ExitCode, refused.Out));
            Assert.Contains("barometre : --threshold doit être compris entre 1 et 1000.", refused.Error, StringComparison.Ordinal);
        }
        var notANumber = await RunAsync("campaign", "publish", "-c", id, "--threshold", "cinq");
        Assert.Equal(ExitCodes.UsageError, notANumber.ExitCode);
        Assert.Equal(5, (await ListedAsync(http, id)).GetProperty("secrecyThreshold").GetInt32());

        var again = await RunAsync("campaign", "publish", "-c", id, "--threshold", "3");

        Assert.Equal($"Résultats publiés (version 2, secret statistique : moins de 3 collectivités) : /resultats/{id}", again.Out.Trim());
        Assert.Equal(3, (await ListedAsync(http, id)).GetProperty("secrecyThreshold").GetInt32());
        results = await ResultsAsync(http, id);
        Assert.Equal(3, results.GetProperty("secrecy").GetProperty("threshold").GetInt32());
        // Without --threshold, publishing again keeps the campaign's.
        var kept = await RunAsync("campaign", "publish", "-c", id);
        Assert.Equal($"Résultats publiés (version 3, secret statistique : moins de 3 collectivités) : /resultats/{id}", kept.Out.Trim());

        var withdrawn = await RunAsync("campaign", "unpublish", "-c", id);

        Assert.Equal((0, "Résultats retirés."), (withdrawn.ExitCode, withdrawn.Out.Trim()));
        using (var after = await http.GetAsync(new Uri($"/api/campaigns/{id}/results", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        }
        using (var dashboard = await http.GetAsync(new Uri($"/resultats/{id}", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
        }
        Assert.Equal("[]", (await http.GetStringAsync(new Uri("/api/campaigns", UriKind.Relative), Ct)).Trim());
        var twice = await RunAsync("campaign", "unpublish", "-c", id);
        Assert.Equal((0, "Les résultats n'étaient pas publiés."), (twice.ExitCode, twice.Out.Trim()));
    }

    [Theory]
    [InlineData("rédaction\u0000data", "name : Le nom de la clé contient un caractère de contrôle (U+0000, position 10) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("N*201", "name : Le nom de la clé dépasse 200 caractères (201).")]
    [InlineData(" ", "name : Donnez un nom à la clé (à quoi elle sert, « rédaction data »).")]
    public async Task ApiKey_AddNameWithControlCharacterTooLongOrBlank_IsAUsageErrorAndCreatesNoKey(string name, string message)
    {
        name = name == "N*201" ? new string('N', 201) : name;

        var added = await RunAsync("apikey", "add", name);

        Assert.Equal((ExitCodes.UsageError, ""), (added.ExitCode, added.Out));
        Assert.Equal($"barometre : {message}", added.Error.Split('\n')[0].TrimEnd('\r'));
        Assert.Equal("", (await RunAsync("apikey", "list")).Out);
    }

    [Fact]
    public async Task ApiKey_AddPrintsTheKeyOnce_ListDoesNot_RevokeStopsIt()
    {
        var id = await CreateCampaignAsync(2, submitAll: false);

        var added = await RunAsync("apikey", "add", "rédaction data");

        Assert.Equal(0, added.ExitCode);
        var key = added.Out.Trim();
        Assert.Matches(@"^brm_[A-Za-z0-9_-]{40,}$", key);
        Assert.Single(added.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("Clé n° 1 « rédaction data » créée : conservez-la, elle ne sera plus affichée. En-tête : Authorization: Bearer <clé>.", added.Error.Trim());
        var second = await RunAsync("apikey", "add", "tableau de bord");
        var otherKey = second.Out.Trim();
        Assert.NotEqual(key, otherKey);

        var list = await RunAsync("apikey", "list");

        Assert.Equal(0, list.ExitCode);
        Assert.Equal(["2\ttableau de bord\t2026-11-30\t\tactive\tadministrateur\ttoutes", "1\trédaction data\t2026-11-30\t\tactive\tadministrateur\ttoutes"], Lines(list.Out));
        Assert.DoesNotContain(key[ApiKeysPrefixLength..], list.Out + list.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(otherKey[ApiKeysPrefixLength..], list.Out + list.Error, StringComparison.Ordinal);

        // The key opens the operators' API; its use is recorded.
        await using var server = await Store.ServerAsync();
        await server.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.Single()) };
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, $"/api/admin/campaigns/{id}", key));
        Assert.Matches(@"^1\trédaction data\t2026-11-30\t\d{4}-\d\d-\d\d \d\d:\d\d\tactive\tadministrateur\ttoutes$", Lines((await RunAsync("apikey", "list")).Out)[1]);

        var revoked = await RunAsync("apikey", "revoke", "1");

        Assert.Equal((0, "Clé révoquée."), (revoked.ExitCode, revoked.Out.Trim()));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, $"/api/admin/campaigns/{id}", key));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, $"/api/admin/campaigns/{id}", otherKey));
        Assert.EndsWith("\trévoquée\tadministrateur\ttoutes", Lines((await RunAsync("apikey", "list")).Out)[1], StringComparison.Ordinal);
        var twice = await RunAsync("apikey", "revoke", "1");
        Assert.Equal((ExitCodes.InvalidInput, "barometre : aucune clé active de ce numéro (barometre apikey list)."), (twice.ExitCode, twice.Error.Trim()));
        var unknown = await RunAsync("apikey", "revoke", "99");
        Assert.Equal(ExitCodes.InvalidInput, unknown.ExitCode);
        Assert.Equal(ExitCodes.UsageError, (await RunAsync("apikey", "add")).ExitCode);
    }

    [Fact]
    public async Task ApiKey_List_ShowsEachKeysRoleAndCampaigns()
    {
        var first = await CreateCampaignAsync(2, submitAll: false);
        var second = await CreateCampaignAsync(2, submitAll: false);
        Assert.Equal(0, (await RunAsync("apikey", "add", "gestion", "--role", "gestionnaire", "--campaigns", second, first)).ExitCode);
        Assert.Equal(0, (await RunAsync("apikey", "add", "lecture", "--role", "analyste")).ExitCode);

        var list = await RunAsync("apikey", "list");

        Assert.Equal(0, list.ExitCode);
        var ordered = string.Join(",", new[] { int.Parse(first, CultureInfo.InvariantCulture), int.Parse(second, CultureInfo.InvariantCulture) }.Order());
        Assert.Equal([$"2\tlecture\t2026-11-30\t\tactive\tanalyste\t", $"1\tgestion\t2026-11-30\t\tactive\tgestionnaire\t{ordered}"], Lines(list.Out));
    }

    private const int ApiKeysPrefixLength = 4;

    private static string[] Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    private static async Task<JsonElement> ListedAsync(HttpClient http, string id)
    {
        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/campaigns", UriKind.Relative), Ct));
        return list.RootElement.EnumerateArray().Single(c => c.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture) == id).Clone();
    }

    private static async Task<JsonElement> ResultsAsync(HttpClient http, string id)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/campaigns/{id}/results", UriKind.Relative), Ct));
        return document.RootElement.Clone();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>A clock that stays at one instant.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class PublishCommandTest_Sqlite : PublishCommandTest
{
    protected override bool Postgres => false;
}

public sealed class PublishCommandTest_Postgres : PublishCommandTest
{
    protected override bool Postgres => true;
}
