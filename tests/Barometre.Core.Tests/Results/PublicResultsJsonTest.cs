using System.Text;
using System.Text.Json;
using Barometre.Core.Publication;
using Barometre.Core.Results;

namespace Barometre.Core.Tests.Results;

/// <summary>
/// <see cref="PublicResultsJson"/>: the public results document — the filter and the secrecy rule, no individual
/// scores nor segment members, every suppressed figure written <c>{"suppressed": true}</c> (never 0), and a
/// wholly suppressed filter without any figure.
/// </summary>
public sealed class PublicResultsJsonTest
{
    private static string Write(PublicResults published, (int Id, string Name)? campaign = null, int threshold = 5)
    {
        using var stream = new MemoryStream();
        PublicResultsJson.Write(stream, published, campaign, threshold);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private static bool IsMarker(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && Keys(element).SequenceEqual(["suppressed"]) && element.GetProperty("suppressed").GetBoolean();

    private static IEnumerable<string> Names(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Names),
        _ => [],
    };

    [Fact]
    public void Write_NothingHidden_TheResultsSchemaWithoutIndividualResults()
    {
        var published = Disclosure.Apply(DisclosureFixtures.Results(), DisclosureFixtures.Hiding(), threshold: 3);

        var json = Write(published, (12, "Baromètre 2026"), threshold: 3);

        var root = Parse(json);
        Assert.Equal(
            ["schemaVersion", "referential", "campaign", "filter", "secrecy", "respondents", "suppressed", "questions", "indicators", "themes", "correlations", "segments", "parameters"],
            Keys(root));
        Assert.Equal((1, "disclosure", 20, false), (root.GetProperty("schemaVersion").GetInt32(), root.GetProperty("referential").GetString(), root.GetProperty("respondents").GetInt32(), root.GetProperty("suppressed").GetBoolean()));
        Assert.Equal((12, "Baromètre 2026"), (root.GetProperty("campaign").GetProperty("id").GetInt32(), root.GetProperty("campaign").GetProperty("name").GetString()));
        var filter = root.GetProperty("filter");
        Assert.Equal(["type", "region", "populationBand", "label"], Keys(filter));
        Assert.Equal("ensemble du panel", filter.GetProperty("label").GetString());
        Assert.All(new[] { "type", "region", "populationBand" }, k => Assert.Equal(JsonValueKind.Null, filter.GetProperty(k).ValueKind));
        Assert.Equal(3, root.GetProperty("secrecy").GetProperty("threshold").GetInt32());
        Assert.Equal("Aucun chiffre pour un groupe de moins de 3 collectivités, ni pour un groupe qu'une différence entre filtres révélerait.", root.GetProperty("secrecy").GetProperty("rule").GetString());

        var question = root.GetProperty("questions")[1];
        Assert.Equal(["id", "theme", "answered", "counts", "shares", "atLeast"], Keys(question));
        Assert.Equal([2, 4, 6, 4, 4], question.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));
        var theme = root.GetProperty("themes")[1];
        Assert.Equal(["id", "title", "scored", "mean", "median", "q1", "q3", "rank", "alpha", "ci95"], Keys(theme));
        Assert.Equal((70.0, 1, 0.77), (theme.GetProperty("mean").GetDouble(), theme.GetProperty("rank").GetInt32(), theme.GetProperty("alpha").GetDouble()));
        Assert.Equal([65.0, 75.0], theme.GetProperty("ci95").EnumerateArray().Select(v => v.GetDouble()));
        var indicator = root.GetProperty("indicators")[0];
        Assert.Equal(["id", "question", "predicate", "count", "answered", "value", "ci95", "statement"], Keys(indicator));
        Assert.Equal(0.4, indicator.GetProperty("value").GetDouble());
        Assert.Equal([0.6, 1.0, 0.2], root.GetProperty("correlations").GetProperty("pearson")[1].EnumerateArray().Select(v => v.GetDouble()));

        // No scores, no members; the segments' sizes, indices and centres only (4 ≥ 3: all three shown).
        var names = Names(root).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("scores", names);
        Assert.DoesNotContain("members", names);
        Assert.DoesNotContain("warnings", names);
        var segments = root.GetProperty("segments");
        Assert.Equal(["k", "silhouette", "inertia", "groups"], Keys(segments));
        var groups = segments.GetProperty("groups").EnumerateArray().ToList();
        Assert.All(groups, g => Assert.Equal(["label", "size", "meanIndex", "centroid"], Keys(g)));
        Assert.Equal([("Stratèges", 7), ("Pragmatiques", 4), ("Retardataires", 9)], groups.Select(g => (g.GetProperty("label").GetString(), g.GetProperty("size").GetInt32())));
        Assert.Equal(["a", "b", "c"], Keys(groups[0].GetProperty("centroid")));
        Assert.DoesNotContain("R01", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Collectivité 1", json, StringComparison.Ordinal);
        Assert.Contains("\"Stratèges\"", json, StringComparison.Ordinal);
        Assert.Equal((42, 1000, 3), (root.GetProperty("parameters").GetProperty("seed").GetInt32(), root.GetProperty("parameters").GetProperty("bootstrap").GetInt32(), root.GetProperty("parameters").GetProperty("k").GetInt32()));
    }

    [Fact]
    public void Write_WithoutACampaign_HasNoCampaignObject_AndTheFilterIsNamed()
    {
        var decision = new FilterDecision(new PanelFilter("commune", "Bretagne", "moins-20000"), 20, false, new HashSet<string>(StringComparer.Ordinal));
        var published = Disclosure.Apply(DisclosureFixtures.Results(), decision, threshold: 5);

        var root = Parse(Write(published));

        Assert.False(root.TryGetProperty("campaign", out _));
        var filter = root.GetProperty("filter");
        Assert.Equal(("commune", "Bretagne", "moins-20000", "commune · Bretagne · moins de 20\u202F000 habitants"),
            (filter.GetProperty("type").GetString(), filter.GetProperty("region").GetString(), filter.GetProperty("populationBand").GetString(), filter.GetProperty("label").GetString()));
    }

    [Fact]
    public void Write_HiddenFigures_AreMarkedSuppressed_NeverZero()
    {
        var published = Disclosure.Apply(
            DisclosureFixtures.Results(),
            DisclosureFixtures.Hiding(FigureId.Question("b.q1"), FigureId.Theme("a"), FigureId.Alpha("c"), FigureId.Correlation("b", "c")),
            threshold: 5);

        var json = Write(published);

        var root = Parse(json);
        var question = root.GetProperty("questions")[1];
        Assert.Equal(["id", "theme", "suppressed"], Keys(question));
        Assert.Equal(("b.q1", "b", true), (question.GetProperty("id").GetString(), question.GetProperty("theme").GetString(), question.GetProperty("suppressed").GetBoolean()));
        Assert.Equal(["id", "question", "predicate", "suppressed"], Keys(root.GetProperty("indicators")[0]));
        var themes = root.GetProperty("themes");
        Assert.Equal(["id", "title", "suppressed"], Keys(themes[0]));
        Assert.True(themes[0].GetProperty("suppressed").GetBoolean());
        // b is ranked first, c second (a is hidden); c's alpha is a marker, not a number nor null.
        Assert.Equal((1, 2), (themes[1].GetProperty("rank").GetInt32(), themes[2].GetProperty("rank").GetInt32()));
        Assert.True(IsMarker(themes[2].GetProperty("alpha")), themes[2].GetRawText());
        Assert.Equal(0.77, themes[1].GetProperty("alpha").GetDouble());
        // Correlations: the row and column of a, and the pair b–c, are markers in all three matrices.
        foreach (var name in new[] { "pearson", "spearman", "pValues" })
        {
            var matrix = root.GetProperty("correlations").GetProperty(name);
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    var secret = i == 0 || j == 0 || (i, j) is (1, 2) or (2, 1);
                    Assert.True(secret ? IsMarker(matrix[i][j]) : matrix[i][j].ValueKind == JsonValueKind.Number, $"{name}[{i}][{j}] = {matrix[i][j]}");
                }
            }
        }
        // The segment of 4 (< 5) is withheld as a whole.
        var groups = root.GetProperty("segments").GetProperty("groups");
        Assert.Equal(["label", "suppressed"], Keys(groups[1]));
        Assert.Equal(("Pragmatiques", true), (groups[1].GetProperty("label").GetString(), groups[1].GetProperty("suppressed").GetBoolean()));
        Assert.Equal(7, groups[0].GetProperty("size").GetInt32());
        // The masked record holds zeros (counts, scored, sizes): none of them is written.
        Assert.DoesNotContain("\"scored\": 0", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"size\": 0", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"answered\": 0", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CentreOfAHiddenTheme_IsMarkedSuppressed()
    {
        // Like every other figure withheld for secrecy, a segment's centre on a hidden theme should read
        // {"suppressed": true}: null says « undefined » everywhere else in the schema.
        var published = Disclosure.Apply(DisclosureFixtures.Results(), DisclosureFixtures.Hiding(FigureId.Theme("a")), threshold: 5);

        var root = Parse(Write(published));

        var centroid = root.GetProperty("segments").GetProperty("groups")[0].GetProperty("centroid");
        Assert.True(IsMarker(centroid.GetProperty("a")), centroid.GetRawText());
        Assert.Equal(90.0, centroid.GetProperty("b").GetDouble());
    }

    [Fact]
    public void Write_HiddenIndex_EverySegmentIsMarked()
    {
        // The segmentation is of the respondents with a global index: hidden with it.
        var published = Disclosure.Apply(DisclosureFixtures.Results(), DisclosureFixtures.Hiding(FigureId.Index), threshold: 5);

        var segments = Parse(Write(published)).GetProperty("segments");

        Assert.All(segments.GetProperty("groups").EnumerateArray(), g =>
        {
            Assert.Equal(["label", "suppressed"], Keys(g));
            Assert.True(g.GetProperty("suppressed").GetBoolean());
        });
        Assert.Equal(JsonValueKind.Null, segments.GetProperty("silhouette").ValueKind);
        Assert.Equal(JsonValueKind.Null, segments.GetProperty("inertia").ValueKind);
    }

    [Fact]
    public void Write_SuppressedFilter_HasNoFigureAtAll()
    {
        var decision = new FilterDecision(new PanelFilter(Type: "métropole"), 3, true, new HashSet<string>(StringComparer.Ordinal));
        var published = Disclosure.Apply(DisclosureFixtures.Results(), decision, threshold: 5);

        var json = Write(published, (7, "Baromètre"));

        var root = Parse(json);
        Assert.Equal(["schemaVersion", "referential", "campaign", "filter", "secrecy", "respondents", "suppressed", "reason"], Keys(root));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("respondents").ValueKind);
        Assert.Equal((true, "secret statistique"), (root.GetProperty("suppressed").GetBoolean(), root.GetProperty("reason").GetString()));
        Assert.Equal(("métropole", "métropole"), (root.GetProperty("filter").GetProperty("type").GetString(), root.GetProperty("filter").GetProperty("label").GetString()));
        // Not even the group's size.
        Assert.DoesNotContain("3", json.Replace("\"schemaVersion\": 1", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UndefinedValues_AreNull_AndTheTextIsValidUtf8Json()
    {
        var results = DisclosureFixtures.Results();
        results = results with { Themes = [.. results.Themes.Select(t => t.Id == "c" ? t with { Alpha = null, Ci95 = Interval.Undefined } : t)] };
        var published = Disclosure.Apply(results, DisclosureFixtures.Hiding(), threshold: 5);

        var json = Write(published);

        var c = Parse(json).GetProperty("themes")[2];
        Assert.Equal(JsonValueKind.Null, c.GetProperty("alpha").ValueKind);
        Assert.All(c.GetProperty("ci95").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }
}
