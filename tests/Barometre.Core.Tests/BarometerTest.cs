using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;

namespace Barometre.Core.Tests;

/// <summary>
/// The computation contract on panels small enough to work out by hand (see <see cref="TestPanels.HandPanel"/>).
/// Larger panels are checked against the reference implementation in Barometre.Data.Tests/Conformance.
/// </summary>
public sealed class BarometerTest
{
    private const double Tolerance = 1e-12;
    private static readonly BarometerOptions TwoSegments = new() { K = 2, Bootstrap = 200 };

    [Fact]
    public void PrepareKernels_CompilesTheVectorKernelsAheadAndChangesNoResult()
    {
        var before = ResultsJson.Serialize(Barometer.Compute(TestPanels.HandPanel(), TwoSegments));

        var prepared = Barometer.PrepareKernels();

        Assert.Contains("TileInput.BlockOfRows", prepared);
        Assert.Contains("Kernel`2.Nearest", prepared);   // k-means assignment, for the path this machine takes
        Assert.Contains("Resampler`1.Sum", prepared);
        Assert.Equal(2, prepared.Count(name => name == "Resampler`1.Sum"));   // both multiplicity widths
        // The results writer's loops, wherever their types live.
        Assert.Contains("ResultsJson.WriteScores", prepared);
        Assert.Contains("ThemeMapWriter.Write", prepared);
        Assert.Contains("NumberTextCache.Text", prepared);
        Assert.Equal(before, ResultsJson.Serialize(Barometer.Compute(TestPanels.HandPanel(), TwoSegments)));
    }

    [Fact]
    public void ThemeScoreLattice_IsTheScoreFactorOverTheCommonMultipleOfTheNumbersOfAnswers()
    {
        // Two questions per theme: a score is 100/4 × levels ÷ 1 or 2 answered.
        Assert.Equal(12.5, Barometer.ThemeScoreLattice(TestPanels.TwoThemes()));
        // Themes of 3, 4 and 5 questions (2–3, 2–4 and 3–5 answered): lcm(2, 3, 4, 5) = 60.
        Assert.Equal(25.0 / 60, Barometer.ThemeScoreLattice(ModelOfThemes(3, 4, 5)));
        // 15 to 30 answers: multiples beyond the exact distances' range, no lattice.
        Assert.Null(Barometer.ThemeScoreLattice(ModelOfThemes(3, 30)));
    }

    private static MaturityModel ModelOfThemes(params int[] sizes) => new(
        "themes",
        null,
        null,
        [.. sizes.Select((size, t) => new Theme($"t{t}", $"Thème {t}", 1, Enumerable.Range(1, size).Select(q => new Question($"t{t}.q{q}", $"Q{q}"))))],
        []);

    [Fact]
    public void Compute_QuestionDistributions()
    {
        var results = Barometer.Compute(TestPanels.HandPanel(), TwoSegments);

        // a.q1 levels 4, 0, 3 (R3 is NC): counts [1, 0, 0, 1, 1] over 3 answered.
        var q = results.Questions[0];
        Assert.Equal(("a.q1", "a", 3), (q.Id, q.Theme, q.Answered));
        Assert.Equal([1, 0, 0, 1, 1], q.Counts);
        AssertClose([1 / 3.0, 0, 0, 1 / 3.0, 1 / 3.0], q.Shares);
        AssertClose([1, 2 / 3.0, 2 / 3.0, 2 / 3.0, 1 / 3.0], q.AtLeast);
        // a.q2: 2 and 3 only (NSP and blank are out of the denominator).
        Assert.Equal(2, results.Questions[1].Answered);
        Assert.Equal([0, 0, 1, 1, 0], results.Questions[1].Counts);
        Assert.Equal(4, results.Questions[2].Answered);
    }

    [Fact]
    public void Compute_KeyIndicator_CountsPredicateAmongAnswered()
    {
        var indicator = Barometer.Compute(TestPanels.HandPanel(), TwoSegments).Indicators.Single();

        Assert.Equal(("a-au-moins-2", "a.q1", ">= 2", 2, 3), (indicator.Id, indicator.Question, indicator.Predicate, indicator.Count, indicator.Answered));
        Assert.Equal(2 / 3.0, indicator.Value!.Value, Tolerance);
        // Wilson, z = 1.959964, 2 of 3:
        // /usr/bin/python3 -c "import math;z=1.959964;n=3;p=2/3;d=1+z*z/n;c=(p+z*z/(2*n))/d;h=z*math.sqrt(p*(1-p)/n+z*z/(4*n*n))/d;print(repr(c-h),repr(c+h))"
        Assert.Equal(0.2076595988078242, indicator.Ci95.Low!.Value, 1e-12);
        Assert.Equal(0.9385080559790691, indicator.Ci95.High!.Value, 1e-12);
        Assert.Equal("67\u202F% des collectivités ont au moins 2 en A1", indicator.Statement);
    }

    [Fact]
    public void Compute_ThemeScoresAndGlobalIndex_FollowThresholdsAndWeights()
    {
        var scores = Barometer.Compute(TestPanels.HandPanel(), TwoSegments).Scores;

        Assert.Equal(["R1", "R2", "R3", "R4"], scores.Select(s => s.Code));
        Assert.Equal(75.0, scores[0].Themes["a"]);
        Assert.Equal(50.0, scores[0].Themes["b"]);
        Assert.Equal(56.25, scores[0].Index);
        Assert.Equal(0.0, scores[1].Themes["a"]);      // one question of two answered: exactly half is enough
        Assert.Equal(37.5, scores[1].Index);
        Assert.Null(scores[2].Themes["a"]);            // nothing answered in theme a
        Assert.Equal(100.0, scores[2].Themes["b"]);
        Assert.Null(scores[2].Index);                  // one theme of two scored: 1 × 3 < 2 × 2
        Assert.Equal(12.5, scores[3].Themes["b"]);
        Assert.Equal(28.125, scores[3].Index);
        Assert.Equal(("Quatre", "commune"), (scores[3].Nom, scores[3].Type));
        Assert.Null(scores[2].Type);
    }

    [Fact]
    public void Compute_ThemeStatistics()
    {
        var themes = Barometer.Compute(TestPanels.HandPanel(), TwoSegments).Themes;

        // Theme a: scores 75, 0, 75 → mean 50; sorted [0, 75, 75]: q1 at h = 0.5 → 37.5, median 75, q3 75.
        var a = themes[0];
        Assert.Equal((3, 50.0, 75.0, 37.5, 75.0, 2), (a.Scored, a.Mean!.Value, a.Median!.Value, a.Q1!.Value, a.Q3!.Value, a.Rank!.Value));
        Assert.Null(a.Alpha);                          // only R1 and R4 answered both questions: fewer than 3
        // Theme b: 50, 50, 100, 12.5 → mean 53.125; sorted [12.5, 50, 50, 100]: q1 at h = 0.75 → 40.625, median 50, q3 at h = 2.25 → 62.5.
        var b = themes[1];
        Assert.Equal((4, 53.125, 50.0, 40.625, 62.5, 1), (b.Scored, b.Mean!.Value, b.Median!.Value, b.Q1!.Value, b.Q3!.Value, b.Rank!.Value));
        // Alpha of b: items [1,2,4,0] (var 35/12) and [3,2,4,1] (var 5/3), totals [4,4,8,1] (var 8.25): 2 × (1 − 4.5833/8.25) = 8/9.
        Assert.Equal(8 / 9.0, b.Alpha!.Value, Tolerance);
        Assert.Equal("Thème B", b.Title);
    }

    [Fact]
    public void Compute_Correlations_OnPairwiseCompleteObservations()
    {
        var c = Barometer.Compute(TestPanels.HandPanel(), TwoSegments).Correlations;

        // Pairs scored on both themes: R1 (75, 50), R2 (0, 50), R4 (75, 12.5).
        // Pearson: deviations (25, −50, 25) and (12.5, 12.5, −25): −937.5 / √(3750 × 937.5) = −0.5.
        // Spearman: ranks (2.5, 1, 2.5) and (2.5, 2.5, 1) also correlate at −0.5.
        // p: t = −0.5·√(1/0.75) with 1 df; P(|T| > t) = 1 − (2/π)·atan(0.57735) = 1 − 1/3 = 2/3.
        Assert.Equal(["a", "b"], c.Themes);
        Assert.Equal(-0.5, c.Pearson[0][1]!.Value, Tolerance);
        Assert.Equal(-0.5, c.Pearson[1][0]!.Value, Tolerance);
        Assert.Equal(-0.5, c.Spearman[0][1]!.Value, Tolerance);
        Assert.Equal(2 / 3.0, c.PValues[0][1]!.Value, 1e-10);
        Assert.Equal(1.0, c.Pearson[0][0]);
        Assert.Equal(0.0, c.PValues[1][1]);
    }

    [Fact]
    public void Compute_Segments_KMeansOnThemeScores()
    {
        var segments = Barometer.Compute(TestPanels.HandPanel(), TwoSegments).Segments;

        // Respondents with an index: R1 (75, 50), R2 (0, 50), R4 (75, 12.5). The 2-partition of least
        // inertia is {R1, R4} | {R2}: 2 × 18.75² = 703.125, against 2812.5 and 3515.6 for the others.
        // Mean indices 42.1875 and 37.5 put {R1, R4} first.
        Assert.Equal(2, segments.K);
        Assert.Equal(["Segment 1", "Segment 2"], segments.Groups.Select(g => g.Label));
        Assert.Equal(["R1", "R4"], segments.Groups[0].Members);
        Assert.Equal(["R2"], segments.Groups[1].Members);
        Assert.Equal(42.1875, segments.Groups[0].MeanIndex);
        Assert.Equal(75.0, segments.Groups[0].Centroid["a"]);
        Assert.Equal(31.25, segments.Groups[0].Centroid["b"]);
        Assert.Equal(703.125, segments.Inertia!.Value, 1e-9);
        // Silhouettes: R1 (75 − 37.5)/75 = 0.5; R4 (√7031.25 − 37.5)/√7031.25; R2 alone in its segment: 0.
        var r4 = (Math.Sqrt(7031.25) - 37.5) / Math.Sqrt(7031.25);
        Assert.Equal((0.5 + r4 + 0) / 3, segments.Silhouette!.Value, Tolerance);
    }

    [Fact]
    public void Compute_AsManySegmentsAsRespondents_SilhouetteUndefined()
    {
        var results = Barometer.Compute(TestPanels.HandPanel(), new BarometerOptions { Bootstrap = 0 });

        Assert.Equal(["Stratèges", "Pragmatiques", "Retardataires"], results.Segments.Groups.Select(g => g.Label));
        Assert.All(results.Segments.Groups, g => Assert.Equal(1, g.Size));
        Assert.Null(results.Segments.Silhouette);      // 3 non-empty segments for 3 respondents: needs ≤ n − 1
        Assert.Equal(0.0, results.Segments.Inertia);
        Assert.Equal(["Stratèges", "Pragmatiques", null, "Retardataires"], results.Scores.Select(s => s.Segment));
    }

    [Fact]
    public void Compute_FewerSegmentableThanK_LeavesSegmentsEmptyWithAWarning()
    {
        var results = Barometer.Compute(TestPanels.HandPanel(), new BarometerOptions { K = 4, Bootstrap = 0 });

        Assert.Empty(results.Segments.Groups);
        Assert.Null(results.Segments.Silhouette);
        Assert.Null(results.Segments.Inertia);
        Assert.All(results.Scores, s => Assert.Null(s.Segment));
        var warning = Assert.Single(results.Warnings);
        Assert.Contains("3 collectivité(s)", warning, StringComparison.Ordinal);
        Assert.Contains("au moins 4", warning, StringComparison.Ordinal);
        // Everything else is still computed.
        Assert.Equal(53.125, results.Themes[1].Mean);
        Assert.Equal(-0.5, results.Correlations.Pearson[0][1]!.Value, Tolerance);
    }

    [Fact]
    public void Compute_AllDontKnow_LeavesEveryStatisticUndefined()
    {
        var results = Barometer.Compute(TestPanels.Uniform(5, CellCode.DontKnow));

        Assert.Equal(5, results.Respondents);
        Assert.All(results.Questions, q =>
        {
            Assert.Equal(0, q.Answered);
            Assert.All(q.Shares, Assert.Null);
            Assert.All(q.AtLeast, Assert.Null);
        });
        var indicator = Assert.Single(results.Indicators);
        Assert.Null(indicator.Value);
        Assert.Equal(Interval.Undefined, indicator.Ci95);
        Assert.Equal("", indicator.Statement);
        Assert.All(results.Themes, t =>
        {
            Assert.Equal(0, t.Scored);
            Assert.Null(t.Mean);
            Assert.Null(t.Rank);
            Assert.Null(t.Median);
            Assert.Equal(Interval.Undefined, t.Ci95);
        });
        Assert.All(results.Correlations.Pearson.SelectMany(row => row), Assert.Null);
        Assert.Empty(results.Segments.Groups);
        Assert.Single(results.Warnings);
    }

    [Fact]
    public void Compute_OneRespondent_QuartilesAreItsScore()
    {
        var panel = TestPanels.HandPanel().Where(r => r.Code == "R1");

        var results = Barometer.Compute(panel);

        var a = results.Themes[0];
        Assert.Equal((75.0, 75.0, 75.0, 75.0), (a.Mean!.Value, a.Median!.Value, a.Q1!.Value, a.Q3!.Value));
        Assert.Equal((75.0, 75.0), (a.Ci95.Low!.Value, a.Ci95.High!.Value));   // every resample is R1
        Assert.Null(a.Alpha);
        Assert.All(results.Correlations.Spearman.SelectMany(row => row), Assert.Null);
        Assert.Empty(results.Segments.Groups);
        Assert.Equal(56.25, results.Scores.Single().Index);
    }

    [Fact]
    public void Compute_ConstantAnswers_NullCorrelationsAndAlphaOneSegment()
    {
        var results = Barometer.Compute(TestPanels.Uniform(6, 2), new BarometerOptions { Bootstrap = 100 });

        Assert.All(results.Themes, t => Assert.Equal((50.0, 50.0), (t.Mean!.Value, t.Median!.Value)));
        Assert.All(results.Themes, t => Assert.Null(t.Alpha));            // the totals do not vary
        Assert.All(results.Correlations.Pearson.SelectMany(row => row), Assert.Null);
        Assert.Equal([1, 2], results.Themes.Select(t => t.Rank!.Value));     // tied means rank in model order
        // Six identical points are one segment; the others stay empty and the silhouette is undefined.
        Assert.Equal([6, 0, 0], results.Segments.Groups.Select(g => g.Size));
        Assert.Null(results.Segments.Silhouette);
        Assert.Equal(0.0, results.Segments.Inertia);
        Assert.All(results.Segments.Groups[1].Centroid.Values, Assert.Null);
    }

    [Fact]
    public void Compute_TiedThemeMeans_RankInModelOrder()
    {
        var themes = Barometer.Compute(TestPanels.Uniform(4, 3), new BarometerOptions { Bootstrap = 0 }).Themes;

        Assert.Equal([1, 2], themes.Select(t => t.Rank!.Value));
    }

    [Fact]
    public void Compute_ThreeLevelScale_ScoresOnHundred()
    {
        var scale = new Scale([new ScaleLevel(0, "Non"), new ScaleLevel(1, "En partie"), new ScaleLevel(2, "Oui")]);
        var model = TestPanels.TwoThemes(scale);
        var panel = new ResponseSet(model, [new Respondent("X", "X"), new Respondent("Y", "Y")], [2, 1, 0, 0, 1, 1, 2, CellCode.Blank]);

        var results = Barometer.Compute(panel, new BarometerOptions { Bootstrap = 0 });

        Assert.Equal(3, results.Questions[0].Counts.Count);
        Assert.Equal(75.0, results.Scores[0].Themes["a"]);    // (2 + 1)/2 × 100/2
        Assert.Equal(100.0, results.Scores[1].Themes["b"]);   // 2/1 × 50
    }

    [Fact]
    public void Compute_SameSeed_SameResults_BootstrapDependsOnSeed()
    {
        var panel = Synthetic.SyntheticPanel.Generate(TestPanels.TwoThemes(), new() { Respondents = 60, Seed = 5 });

        var first = ResultsJson.Serialize(Barometer.Compute(panel, new BarometerOptions { Seed = 7 }));
        var second = ResultsJson.Serialize(Barometer.Compute(panel, new BarometerOptions { Seed = 7 }));
        var other = Barometer.Compute(panel, new BarometerOptions { Seed = 8 });

        Assert.Equal(first, second);
        Assert.NotEqual(first, ResultsJson.Serialize(other));
        Assert.Equal(8, other.Parameters.Seed);
    }

    [Fact]
    public void Compute_RowOrder_ChangesNoDeterministicStatistic()
    {
        // Counts and shares are exact; sums over respondents may differ in their last bit with the order.
        var model = TestPanels.TwoThemes();
        var panel = Synthetic.SyntheticPanel.Generate(model, new() { Respondents = 50, Seed = 11 });
        var options = new BarometerOptions { Bootstrap = 0 };
        var expected = Barometer.Compute(panel, options);

        for (var seed = 1; seed <= 5; seed++)
        {
            var order = Enumerable.Range(0, panel.Count).ToArray();
            new Random(seed).Shuffle(order);
            var shuffled = new ResponseSet(model, order.Select(r => panel.Respondents[r]), order.SelectMany(r => panel.Row(r).ToArray()).ToArray());

            var actual = Barometer.Compute(shuffled, options);

            // Segments are seeded draws over the rows in order: see Barometre.Data.Tests' PermutationPropertyTest.
            var noSegments = new SegmentationResult(options.K, null, null, []);
            Assert.Equal(ResultsJson.Serialize(expected with { Themes = [], Correlations = actual.Correlations, Segments = noSegments, Scores = [] }),
                ResultsJson.Serialize(actual with { Themes = [], Segments = noSegments, Scores = [] }));
            Assert.All(
                expected.Correlations.Pearson.SelectMany(row => row).Zip(actual.Correlations.Pearson.SelectMany(row => row)),
                p => Assert.Equal(p.First!.Value, p.Second!.Value, 1e-12));
            Assert.All(
                expected.Correlations.Spearman.SelectMany(row => row).Zip(actual.Correlations.Spearman.SelectMany(row => row)),
                p => Assert.Equal(p.First!.Value, p.Second!.Value, 1e-12));
            Assert.Equal(expected.Themes.Select(t => (t.Scored, t.Rank, t.Median, t.Q1, t.Q3)), actual.Themes.Select(t => (t.Scored, t.Rank, t.Median, t.Q1, t.Q3)));
            Assert.All(expected.Themes.Zip(actual.Themes), p => Assert.Equal(p.First.Mean!.Value, p.Second.Mean!.Value, 1e-12));
            Assert.All(expected.Themes.Zip(actual.Themes), p => Assert.Equal(p.First.Alpha!.Value, p.Second.Alpha!.Value, 1e-12));
            Assert.Equal(expected.Scores.OrderBy(s => s.Code).Select(s => s.Index), actual.Scores.OrderBy(s => s.Code).Select(s => s.Index));
        }
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BarometerOptions { K = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BarometerOptions { Bootstrap = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BarometerOptions { KMeansRestarts = 0 });
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double?> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]!.Value, Tolerance);
        }
    }
}
