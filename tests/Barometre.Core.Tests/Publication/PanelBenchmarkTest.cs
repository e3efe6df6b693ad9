using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Statistics;
using Barometre.Core.Synthetic;

namespace Barometre.Core.Tests.Publication;

/// <summary>
/// What each collectivité is compared with: the groups follow the campaign's secrecy plan (a group is described
/// only when the dashboard would publish it, including against differences between groups), and the next steps
/// come from the levels most of the reference segment reaches.
/// </summary>
public sealed class PanelBenchmarkTest
{
    /// <summary>Six themes of two to five questions on the 0–4 scale.</summary>
    private static readonly MaturityModel Model = SecrecyPanels.Model(4, 3, 5, 3, 4, 2);

    private static readonly BarometerOptions Options = new() { Seed = 42, Bootstrap = 200 };

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

    [Theory]
    [InlineData(new sbyte[0], null)]
    [InlineData(new sbyte[] { -1, -2, -3 }, null)]
    [InlineData(new sbyte[] { 0, 0, 1 }, 0)]
    [InlineData(new sbyte[] { 3 }, 3)]
    [InlineData(new sbyte[] { 4, 4, 1 }, 4)]
    [InlineData(new sbyte[] { 1, 2, 3, 4 }, 2)]
    [InlineData(new sbyte[] { 2, 2, 4, 4 }, 2)]
    [InlineData(new sbyte[] { 3, 3, 4, 4, 4 }, 4)]
    [InlineData(new sbyte[] { -1, -2, -3, 3, 0, 4 }, 3)]
    [InlineData(new sbyte[] { 0, 1, 2, 3, 4, -1, -1, -1 }, 2)]
    public void MostReachedLevel_HandCases(sbyte[] cells, int? expected)
    {
        Assert.Equal(expected, PanelBenchmark.MostReachedLevel(cells, maxLevel: 4));
    }

    [Fact]
    public void TargetLevels_AreTheMostReachedLevelsOfTheReferenceSegment()
    {
        var responses = SyntheticPanel.Generate(Model, new SyntheticPanelOptions { Respondents = 40, Seed = 77 });
        var results = Barometer.Compute(responses, Options);
        var benchmark = new PanelBenchmark(responses, results);
        var codes = responses.Respondents.Select(r => r.Code).ToList();
        var reference = results.Segments.Groups.First(g => g.Size > 0);
        var rows = reference.Members.Select(code => codes.IndexOf(code)).ToList();
        Assert.Equal("Stratèges", benchmark.ReferenceSegment);

        for (var q = 0; q < Model.Questions.Count; q++)
        {
            var levels = rows.Select(r => responses[r, q]).Where(c => c >= 0).ToList();
            var expected = Enumerable.Range(0, 5).Where(l => levels.Count(x => x >= l) * 2 > levels.Count).DefaultIfEmpty(-1).Max();
            Assert.Equal(levels.Count == 0 ? null : expected, benchmark.TargetLevels[q]);
        }
    }

    /// <summary>Two themes, of two and three questions.</summary>
    private static readonly MaturityModel TwoThemes = SecrecyPanels.Model(2, 3);

    private static PanelBenchmark Benchmark(params sbyte[][] rows)
    {
        var responses = SecrecyPanels.Panel(TwoThemes, SecrecyPanels.Typed(null, rows.Length).ToList(), (r, q) => rows[r][q]);
        return new PanelBenchmark(responses, Barometer.Compute(responses, Options));
    }

    /// <summary>
    /// Three groups of five far apart, each alike on both themes: the five most mature (R01–R05, 87,5 and 75) form
    /// the « Stratèges ». Their levels per question: 4 4 4 3 3 → 4; 3 3 3 4 4 → 3; 4 4 2 2 2 → 2; 2 2 4 4 4 → 4;
    /// all NSP → none.
    /// </summary>
    private static PanelBenchmark ThreeClearSegments() => Benchmark(
    [
        [4, 3, 4, 2, CellCode.DontKnow], [4, 3, 4, 2, CellCode.DontKnow], [4, 3, 2, 4, CellCode.DontKnow], [3, 4, 2, 4, CellCode.DontKnow], [3, 4, 2, 4, CellCode.DontKnow],
        .. Enumerable.Repeat(new sbyte[] { 2, 2, 2, 2, 2 }, 5),
        .. Enumerable.Repeat(new sbyte[] { 0, 0, 0, 0, 0 }, 5),
    ]);

    [Fact]
    public void TargetLevels_ThreeClearSegments_AreWorkedOutByHand()
    {
        var benchmark = ThreeClearSegments();

        Assert.Equal("Stratèges", benchmark.ReferenceSegment);
        Assert.False(benchmark.ReferenceSegmentSecret);
        Assert.Equal([4, 3, 2, 4, null], benchmark.TargetLevels);
    }

    [Fact]
    public void NextStepFor_LargestGapsFirstThenModelOrder()
    {
        var benchmark = ThreeClearSegments();

        // Gaps: q0 4 − 3 = 1, q1 3 − 1 = 2, q2 2 − 1 = 1, q3 4 − 1 = 3; q4 has no target.
        Assert.Equal(
            [new NextStep(3, 1, 4), new NextStep(1, 1, 3), new NextStep(0, 3, 4), new NextStep(2, 1, 2)],
            NextStep.For([3, 1, 1, 1, 0], benchmark));
        // At or above every target, or no level (NSP, NC, blank): no step.
        Assert.Empty(NextStep.For([4, 4, 2, 4, 0], benchmark));
        Assert.Empty(NextStep.For([CellCode.DontKnow, CellCode.NotConcerned, CellCode.Blank, CellCode.DontKnow, 0], benchmark));
    }

    [Fact]
    public void Constructor_ReferenceSegmentUnderTheThreshold_HasNoTargets()
    {
        // Two at the top: a segment of 2, under the threshold of 5.
        var benchmark = Benchmark(
        [
            .. Enumerable.Repeat(new sbyte[] { 4, 4, 4, 4, 4 }, 2),
            .. Enumerable.Repeat(new sbyte[] { 2, 2, 2, 2, 2 }, 6),
            .. Enumerable.Repeat(new sbyte[] { 0, 0, 0, 0, 0 }, 6),
        ]);

        Assert.False(benchmark.PanelIndexSecret);
        Assert.True(benchmark.ReferenceSegmentSecret);
        Assert.Null(benchmark.ReferenceSegment);
        Assert.All(benchmark.TargetLevels, Assert.Null);
        Assert.Empty(NextStep.For([0, 0, 0, 0, 0], benchmark));
    }
}
