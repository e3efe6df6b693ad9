using System.Net;
using System.Text.Json;
using Barometre.Core.Responses;
using Barometre.Web.Tests.Infrastructure;
using static Barometre.Web.Tests.Publishing.PublicationPanels;
using static Barometre.Web.Tests.Publishing.PublicChecks;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// The change between two published editions on the public API (<c>/api/campaigns/{id}/evolution</c>) and dashboard:
/// shown only where both editions publish the figure; intervals and tests only where the collectivités in both
/// editions form a group secrecy allows, so that two editions differing by one collectivité never describe it.
/// </summary>
public abstract class EvolutionPublicationTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Evolution_EditionsDifferingByOneCollectivite_GiveTheChangeButNeverTheOverlapsStatistics()
    {
        // The same 16 collectivités answer again, differently, and one commune joins: the panels differ by one.
        var earlier = await PublishedAsync(App.Services, Ct, threshold: 5);
        var newcomer = NewMember(Commune, 9_000, Bretagne, [4, 4, 4, 4, 4]);
        var members = earlier.Members.Select(m => m with { Cells = Shifted(m.Cells) }).Append(newcomer).ToList();
        var later = await PublishedAsync(App.Services, Ct, threshold: 3, members: members, previousCampaignId: earlier.Id);
        using var client = App.Client();

        var whole = await GetJsonAsync(client, $"/api/campaigns/{later.Id}/evolution", Ct);

        foreach (var theme in new[] { "gouvernance", "services" })
        {
            var change = ById(whole.GetProperty("themes"), theme);
            var before = Expected.ThemeMean(earlier.Model, earlier.Members, theme);
            var after = Expected.ThemeMean(later.Model, members, theme);
            Assert.False(change.GetProperty("suppressed").GetBoolean());
            Assert.Equal(before, change.GetProperty("before").GetDouble(), 9);
            Assert.Equal(after, change.GetProperty("after").GetDouble(), 9);
            Assert.Equal(after - before, change.GetProperty("delta").GetDouble(), 9);
            // 16 in both editions, 17 now: the one collectivité in the later edition only is fewer than N = 5.
            Assert.True(change.GetProperty("testsSuppressed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, change.GetProperty("ci95").ValueKind);
            Assert.Equal(JsonValueKind.Null, change.GetProperty("paired").ValueKind);
            Assert.Equal(JsonValueKind.Null, change.GetProperty("significant").ValueKind);
        }
        Assert.Equal((16, 17), (whole.GetProperty("before").GetProperty("respondents").GetInt32(), whole.GetProperty("after").GetProperty("respondents").GetInt32()));
        // Métropole: 3 collectivités, published by the later edition (N = 3) but secret in the earlier one (N = 5): no change.
        var metropole = await GetJsonAsync(client, $"/api/campaigns/{later.Id}/evolution?type={Uri.EscapeDataString(Metropole)}", Ct);
        Assert.All(metropole.GetProperty("themes").EnumerateArray().Append(metropole.GetProperty("index")), change =>
        {
            Assert.True(change.GetProperty("suppressed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, change.GetProperty("before").ValueKind);
        });
        var page = await Html.GetAsync(client, $"/resultats/{later.Id}?type={Uri.EscapeDataString(Metropole)}", Ct);
        Assert.Equal("Évolution depuis 2026", page.QuerySelector("#evolution")!.TextContent);
        Assert.All(page.QuerySelectorAll("table.evolution tbody tr"), row => Assert.Equal("secret statistique", row.QuerySelector("td")!.TextContent));
        NamesNoCollectivite(await GetTextAsync(client, $"/api/campaigns/{later.Id}/evolution", HttpStatusCode.OK, Ct), members, "l'évolution publiée");
    }

    [Fact]
    public async Task Evolution_SamePanelAnsweringAgain_GivesIntervalsAndTests()
    {
        var earlier = await PublishedAsync(App.Services, Ct, threshold: 5);
        var members = earlier.Members.Select(m => m with { Cells = Shifted(m.Cells) }).ToList();
        var later = await PublishedAsync(App.Services, Ct, threshold: 5, members: members, previousCampaignId: earlier.Id);
        using var client = App.Client();

        var whole = await GetJsonAsync(client, $"/api/campaigns/{later.Id}/evolution", Ct);
        var page = await Html.GetAsync(client, $"/resultats/{later.Id}", Ct);

        var theme = ById(whole.GetProperty("themes"), "gouvernance");
        Assert.False(theme.GetProperty("testsSuppressed").GetBoolean());
        Assert.Equal(16, theme.GetProperty("paired").GetProperty("n").GetInt32());
        Assert.Equal("wilcoxon", theme.GetProperty("paired").GetProperty("test").GetString());
        var ci = theme.GetProperty("ci95");
        Assert.True(ci[0].GetDouble() <= theme.GetProperty("delta").GetDouble() && theme.GetProperty("delta").GetDouble() <= ci[1].GetDouble());
        var row = page.QuerySelector("table.evolution tbody tr[data-figure='theme:gouvernance']")!;
        Assert.Equal(6, row.Children.Length);
        Assert.DoesNotContain("secret statistique", row.TextContent, StringComparison.Ordinal);
        // Without a previous edition there is no evolution.
        using var none = await client.GetAsync(new Uri($"/api/campaigns/{earlier.Id}/evolution", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Null((await Html.GetAsync(client, $"/resultats/{earlier.Id}", Ct)).QuerySelector("#evolution"));
    }

    /// <summary>Every level one step up (4 stays 4); NSP and NC kept.</summary>
    private static sbyte[] Shifted(sbyte[] cells) => [.. cells.Select(c => CellCode.IsLevel(c) ? (sbyte)Math.Min(4, c + 1) : c)];
}

public sealed class EvolutionPublicationTests_Sqlite(SqliteDatabase database) : EvolutionPublicationTests<SqliteDatabase>(database);

public sealed class EvolutionPublicationTests_Postgres(PostgresDatabase database) : EvolutionPublicationTests<PostgresDatabase>(database);
