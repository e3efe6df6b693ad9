using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Synthetic;
using Barometre.Core.Statistics;
using static Barometre.Reports.Tests.ReportFixtures;

namespace Barometre.Reports.Tests;

/// <summary>
/// The comparisons of the individual reports follow the campaign's secrecy plan: a group is described only
/// when the dashboard would publish it, including against differences between groups.
/// </summary>
public sealed class PanelBenchmarkSecrecyTest
{
    /// <summary>A synthetic panel's answers under new types and populations (one entry per respondent).</summary>
    private static ResponseSet Panel(List<(string? Type, long? Population)> groups, int seed = 5)
    {
        var source = SyntheticPanel.Generate(Model, new SyntheticPanelOptions { Respondents = groups.Count, Seed = seed });
        var respondents = source.Respondents.Select((r, i) => r with { Type = groups[i].Type, Population = groups[i].Population, Region = null });
        return new ResponseSet(Model, respondents, source.Cells);
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        return sorted.Length == 0 ? null : Descriptive.QuantileOfSorted(sorted, 0.5);
    }

    [Fact]
    public void OfType_GroupRevealedByDifference_IsSecretToo()
    {
        // 9 + 3: the 3 are a small group; the 9 are the panel minus those 3, so publishing them would reveal the 3.
        var responses = Panel([.. Enumerable.Repeat<(string?, long?)>(("Commune", null), 9), .. Enumerable.Repeat<(string?, long?)>(("Métropole", null), 3)]);
        var results = Barometer.Compute(responses, Options);

        var benchmark = new PanelBenchmark(responses, results);

        var small = benchmark.OfType("Métropole")!;
        var large = benchmark.OfType("Commune")!;
        Assert.True(small.Secret);
        Assert.True(large.Secret);
        Assert.Equal(0, large.Respondents);
        Assert.All(large.Medians, Assert.Null);
        Assert.Null(benchmark.TypeMedians("Commune"));
        Assert.Equal(9, benchmark.CountOfType("Commune"));
    }

    [Fact]
    public void OfTypeAndOfBand_PublishedGroups_HaveTheirMembersMedians()
    {
        // Two types of 8 and 7; two bands of 10 and 5 (crossed so that no cell is revealed by difference).
        var groups = Enumerable.Range(0, 15).Select(i => ((string?)(i < 8 ? "Commune" : "Métropole"), (long?)(i % 3 == 0 ? 30_000 : 150_000))).ToList();
        var responses = Panel(groups);
        var results = Barometer.Compute(responses, Options);
        var plan = SecrecyPlan.Build(responses, 5);

        var benchmark = new PanelBenchmark(responses, results, plan);

        foreach (var (type, comparison) in new[] { "Commune", "Métropole" }.Select(t => (t, benchmark.OfType(t)!)))
        {
            var decision = plan.Decide(new PanelFilter(Type: type));
            Assert.Equal(decision.Suppressed, comparison.Secret);
            Assert.False(comparison.Secret);
            Assert.Equal(responses.Respondents.Count(r => r.Type == type), comparison.Respondents);
            for (var t = 0; t < Model.Themes.Count; t++)
            {
                var id = Model.Themes[t].Id;
                var expected = decision.Shows(FigureId.Theme(id))
                    ? Median(results.Scores.Where((_, i) => responses.Respondents[i].Type == type).Select(s => s.Themes.GetValueOrDefault(id)))
                    : null;
                Assert.Equal(expected, comparison.Medians[t]);
                Assert.Equal(!decision.Shows(FigureId.Theme(id)), comparison.SecretThemes.Contains(t));
            }
        }

        var band = benchmark.OfBand(150_000)!;
        Assert.Equal(PopulationBands.Find("100000-250000")!.Label, band.Label);
        Assert.Equal(plan.Decide(new PanelFilter(PopulationBand: "100000-250000")).Suppressed, band.Secret);
        Assert.False(band.Secret);
        Assert.Equal(10, band.Respondents);
        var themeId = Model.Themes[0].Id;
        Assert.Equal(
            band.SecretThemes.Contains(0) ? null : Median(results.Scores.Where((_, i) => responses.Respondents[i].Population == 150_000).Select(s => s.Themes.GetValueOrDefault(themeId))),
            band.Medians[0]);
        Assert.Null(benchmark.OfBand(null));
        Assert.Null(benchmark.OfType(null));
        Assert.Null(benchmark.OfType("Syndicat"));
    }

    [Fact]
    public async Task RenderIndividualAsync_PopulationBand_IsComparedUnderSecrecy()
    {
        var groups = Enumerable.Range(0, 15).Select(i => ((string?)(i < 8 ? "Commune" : "Métropole"), (long?)(i % 3 == 0 ? 30_000 : 150_000))).ToList();
        var panel = Build(Panel(groups));
        var index = 1;

        var document = Parse(await RenderIndividualAsync(panel.Individual(index)));

        var header = document.QuerySelectorAll("table thead th").Select(th => Spaces(th.TextContent)).ToList();
        Assert.Contains("Médiane de votre strate de population (10)", header);
        Assert.Contains("Médiane de votre type (8)", header);
    }
}
