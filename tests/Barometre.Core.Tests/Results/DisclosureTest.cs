using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;

namespace Barometre.Core.Tests.Results;

/// <summary>
/// Results written by hand for the disclosure tests: 20 respondents, three themes a, b, c of one question each
/// (means 55, 70, 30: ranks 2, 1, 3), an indicator on b.q1, three segments of 7, 4 and 9 members.
/// </summary>
internal static class DisclosureFixtures
{
    public static readonly string[] Themes = ["a", "b", "c"];

    public static BarometerResults Results()
    {
        QuestionResult Question(string theme) =>
            new($"{theme}.q1", theme, 20, [2, 4, 6, 4, 4], [0.1, 0.2, 0.3, 0.2, 0.2], [1.0, 0.9, 0.7, 0.4, 0.2]);
        double?[][] Matrix(double diagonal, double ab, double ac, double bc) =>
            [[diagonal, ab, ac], [ab, diagonal, bc], [ac, bc, diagonal]];
        Segment Group(string label, int size, double index, double a, double b, double c) =>
            new(label, size, index, new Dictionary<string, double?> { ["a"] = a, ["b"] = b, ["c"] = c }, [.. Enumerable.Range(1, size).Select(i => $"{label[0]}{i:D2}")]);
        return new BarometerResults(
            BarometerResults.CurrentSchemaVersion,
            "disclosure",
            20,
            [Question("a"), Question("b"), Question("c")],
            [new IndicatorResult("b-au-moins-3", "b.q1", ">= 3", 8, 20, 0.4, new Interval(0.22, 0.61), "40 % des collectivités sont au moins au niveau 3")],
            [
                new ThemeResult("a", "Thème A", 20, 55, 50, 40, 70, 2, 0.81, new Interval(50, 60)),
                new ThemeResult("b", "Thème B", 20, 70, 75, 60, 85, 1, 0.77, new Interval(65, 75)),
                new ThemeResult("c", "Thème C", 19, 30, 25, 10, 45, 3, 0.52, new Interval(24, 36)),
            ],
            new CorrelationResults(Themes, Matrix(1, 0.6, 0.3, 0.2), Matrix(1, 0.55, 0.25, 0.15), Matrix(0, 0.01, 0.2, 0.4)),
            new SegmentationResult(3, 0.42, 1234.5,
            [
                Group("Stratèges", 7, 80, 80, 90, 60),
                Group("Pragmatiques", 4, 50, 55, 70, 25),
                Group("Retardataires", 9, 20, 35, 50, 10),
            ]),
            [.. Enumerable.Range(1, 20).Select(i => new RespondentScore($"R{i:D2}", $"Collectivité {i}", null, 40 + i, new Dictionary<string, double?> { ["a"] = 50, ["b"] = 70, ["c"] = 30 }, "Stratèges"))],
            new ComputationParameters(42, 1000, 3),
            []);
    }

    /// <summary>The whole panel's decision hiding <paramref name="hidden"/>.</summary>
    public static FilterDecision Hiding(params string[] hidden) => new(PanelFilter.WholePanel, 20, false, new HashSet<string>(hidden, StringComparer.Ordinal));
}

/// <summary>
/// <see cref="Disclosure.Apply"/>: what public results keep of the results under a secrecy decision — hidden
/// figures undefined (null, never a zero that reads as a value), ranks recomputed among the themes shown,
/// individual scores and segment members dropped, small segments withheld.
/// </summary>
public sealed class DisclosureTest
{
    [Fact]
    public void Apply_NothingHidden_DropsScoresAndMembers_WithholdsTheSegmentBelowN()
    {
        var results = DisclosureFixtures.Results();

        var published = Disclosure.Apply(results, DisclosureFixtures.Hiding(), threshold: 5);

        var shown = published.Results;
        Assert.Empty(shown.Scores);
        Assert.All(shown.Segments.Groups, g => Assert.Empty(g.Members));
        Assert.Equal(20, shown.Respondents);
        Assert.Equal(results.Themes, shown.Themes);
        Assert.Equal(results.Questions, shown.Questions);
        Assert.Equal(results.Indicators, shown.Indicators);
        Assert.Equal(((double?)0.42, (double?)1234.5), (shown.Segments.Silhouette, shown.Segments.Inertia));
        // 7 and 9 members: shown as they are. 4 < 5: withheld, and listed as such.
        Assert.Equal([("Stratèges", 7, (double?)80), ("Pragmatiques", 0, null), ("Retardataires", 9, 20)], shown.Segments.Groups.Select(g => (g.Label, g.Size, g.MeanIndex)));
        Assert.Equal([(double?)80, 90, 60], DisclosureFixtures.Themes.Select(t => shown.Segments.Groups[0].Centroid[t]));
        Assert.All(shown.Segments.Groups[1].Centroid.Values, v => Assert.Null(v));
        Assert.Equal(["segment:Pragmatiques"], published.Suppressed);
        Assert.True(published.IsSuppressed("segment:Pragmatiques"));
        Assert.False(published.IsSuppressed("segment:Stratèges"));
        Assert.False(published.IsSuppressed(FigureId.Theme("a")));
        // The input is left as it was.
        Assert.Equal(20, results.Scores.Count);
        Assert.Equal(4, results.Segments.Groups[1].Size);
    }

    [Fact]
    public void Apply_ThresholdBelowTheSmallestSegment_WithholdsNone_AndEmptySegmentsAreNoSecret()
    {
        var results = DisclosureFixtures.Results();
        results = results with { Segments = results.Segments with { Groups = [.. results.Segments.Groups.Select(g => g.Label == "Pragmatiques" ? g with { Size = 0, MeanIndex = null, Members = [] } : g)] } };

        var published = Disclosure.Apply(results, DisclosureFixtures.Hiding(), threshold: 3);

        // An empty segment hides nobody: it is not a secret.
        Assert.Empty(published.Suppressed);
        Assert.Equal([7, 0, 9], published.Results.Segments.Groups.Select(g => g.Size));
        Assert.Equal(55.0, published.Results.Segments.Groups[1].Centroid["a"]);
    }

    [Fact]
    public void Apply_HiddenTheme_IsUndefined_AndTheOthersAreRankedAmongThemselves()
    {
        var published = Disclosure.Apply(DisclosureFixtures.Results(), DisclosureFixtures.Hiding(FigureId.Theme("b")), threshold: 5);

        var themes = published.Results.Themes;
        // b was first: a (second) becomes first and c (third) second; b has no rank.
        Assert.Equal([(int?)1, null, 2], themes.Select(t => t.Rank));
        var b = themes[1];
        Assert.Equal(("b", "Thème B"), (b.Id, b.Title));
        Assert.Equal((0, (double?)null, (double?)null, (double?)null, (double?)null, (double?)null), (b.Scored, b.Mean, b.Median, b.Q1, b.Q3, b.Alpha));
        Assert.Equal(Interval.Undefined, b.Ci95);
        // The others keep their figures.
        Assert.Equal((20, (double?)55, (double?)0.81, new Interval(50, 60)), (themes[0].Scored, themes[0].Mean, themes[0].Alpha, themes[0].Ci95));
        Assert.Equal((19, (double?)30), (themes[2].Scored, themes[2].Mean));
        // Its correlations, its diagonal included, are undefined; a–c stays.
        var correlations = published.Results.Correlations;
        foreach (var matrix in new[] { correlations.Pearson, correlations.Spearman, correlations.PValues })
        {
            Assert.All(Enumerable.Range(0, 3), i => Assert.Null(matrix[1][i]));
            Assert.All(Enumerable.Range(0, 3), i => Assert.Null(matrix[i][1]));
        }
        Assert.Equal(((double?)0.3, (double?)0.3, (double?)1.0), (correlations.Pearson[0][2], correlations.Pearson[2][0], correlations.Pearson[0][0]));
        Assert.Equal(0.25, correlations.Spearman[2][0]);
        // A segment's centre on b would tell what b's mean hides.
        Assert.All(published.Results.Segments.Groups.Where(g => g.Size > 0), g => Assert.Null(g.Centroid["b"]));
        Assert.Equal(((double?)80, (double?)60), (published.Results.Segments.Groups[0].Centroid["a"], published.Results.Segments.Groups[0].Centroid["c"]));
        Assert.Contains(FigureId.Theme("b"), published.Suppressed);
        Assert.True(published.IsSuppressed(FigureId.Theme("b")));
    }

    [Fact]
    public void Apply_TwoHiddenThemes_TheLastShownIsFirst()
    {
        var published = Disclosure.Apply(DisclosureFixtures.Results(), DisclosureFixtures.Hiding(FigureId.Theme("a"), FigureId.Theme("b")), threshold: 5);

        Assert.Equal([(int?)null, null, 1], published.Results.Themes.Select(t => t.Rank));
        Assert.Equal([(double?)null, null, 30], published.Results.Themes.Select(t => t.Mean));
    }

    [Fact]
    public void Apply_HiddenQuestion_NullsItsDistributionAndItsIndicator()
    {
        var results = DisclosureFixtures.Results();

        var published = Disclosure.Apply(results, DisclosureFixtures.Hiding(FigureId.Question("b.q1")), threshold: 5);

        var b = published.Results.Questions[1];
        Assert.Equal("b.q1", b.Id);
        Assert.All(b.Shares, s => Assert.Null(s));
        Assert.All(b.AtLeast, s => Assert.Null(s));
        Assert.Equal(5, b.Shares.Count);
        var indicator = published.Results.Indicators.Single();
        Assert.Equal(("b-au-moins-3", "b.q1", ">= 3"), (indicator.Id, indicator.Question, indicator.Predicate));
        Assert.Null(indicator.Value);
        Assert.Equal(Interval.Undefined, indicator.Ci95);
        Assert.Equal("", indicator.Statement);
        // The public form says which: the counts that remain in the record are not figures.
        Assert.True(published.IsSuppressed(FigureId.Question("b.q1")));
        // The other questions and the theme of b are untouched.
        Assert.Same(results.Questions[0], published.Results.Questions[0]);
        Assert.Equal((double?)70, published.Results.Themes[1].Mean);
    }

    [Fact]
    public void Apply_HiddenAlphaOrCorrelation_OnlyThatFigureGoes()
    {
        var published = Disclosure.Apply(
            DisclosureFixtures.Results(),
            DisclosureFixtures.Hiding(FigureId.Alpha("c"), FigureId.Correlation("a", "c")),
            threshold: 5);

        var c = published.Results.Themes[2];
        Assert.Equal(((double?)30, (int?)3, (double?)null), (c.Mean, c.Rank, c.Alpha));
        var correlations = published.Results.Correlations;
        foreach (var matrix in new[] { correlations.Pearson, correlations.Spearman, correlations.PValues })
        {
            Assert.Null(matrix[0][2]);
            Assert.Null(matrix[2][0]);
            Assert.NotNull(matrix[0][1]);
            Assert.NotNull(matrix[1][2]);
            Assert.NotNull(matrix[2][2]);
        }
    }

    [Fact]
    public void Apply_HiddenIndex_NullsTheSegmentsMeanIndex()
    {
        var published = Disclosure.Apply(DisclosureFixtures.Results(), DisclosureFixtures.Hiding(FigureId.Index), threshold: 5);

        Assert.All(published.Results.Segments.Groups, g => Assert.Null(g.MeanIndex));
        Assert.True(published.IsSuppressed(FigureId.Index));
    }

    [Fact]
    public void Apply_HiddenIndex_WithholdsTheSegmentation()
    {
        // FigureId.Index covers « the global index … and the segmentation, over the respondents with a global
        // index ». The segment sizes add up to that very group: shown while the index is hidden (for example
        // because a parent filter's group differs from it by fewer than N), they give its size away, and the
        // centres of the segments its members' theme scores. Every segment should be withheld.
        var published = Disclosure.Apply(DisclosureFixtures.Results(), DisclosureFixtures.Hiding(FigureId.Index), threshold: 5);

        Assert.All(published.Results.Segments.Groups, g => Assert.True(published.IsSuppressed(Disclosure.SegmentPrefix + g.Label), $"segment {g.Label} of {g.Size} shown while « index » is hidden."));
        Assert.All(published.Results.Segments.Groups, g => Assert.Equal(0, g.Size));
    }

    [Fact]
    public void Apply_SuppressedFilter_HidesEverything()
    {
        var decision = new FilterDecision(new PanelFilter(Type: "métropole"), 3, true, new HashSet<string>(StringComparer.Ordinal));

        var published = Disclosure.Apply(DisclosureFixtures.Results(), decision, threshold: 5);

        var results = published.Results;
        Assert.Equal(0, results.Respondents);
        Assert.All(results.Themes, t => Assert.Equal((0, (double?)null, (int?)null, (double?)null, Interval.Undefined), (t.Scored, t.Mean, t.Rank, t.Alpha, t.Ci95)));
        Assert.All(results.Questions, q => Assert.All(q.Shares, s => Assert.Null(s)));
        Assert.All(results.Indicators, i => Assert.Null(i.Value));
        Assert.All(results.Correlations.Pearson.SelectMany(row => row), v => Assert.Null(v));
        Assert.Equal(((double?)null, (double?)null), (results.Segments.Silhouette, results.Segments.Inertia));
        Assert.All(results.Segments.Groups, g => Assert.Equal((0, (double?)null), (g.Size, g.MeanIndex)));
        Assert.All(results.Segments.Groups, g => Assert.All(g.Centroid.Values, v => Assert.Null(v)));
        Assert.Equal(["segment:Stratèges", "segment:Pragmatiques", "segment:Retardataires"], published.Suppressed.Where(s => s.StartsWith(Disclosure.SegmentPrefix, StringComparison.Ordinal)));
        Assert.True(published.IsSuppressed(FigureId.Theme("a")));
        Assert.True(published.IsSuppressed(FigureId.Question("c.q1")));
        Assert.Empty(results.Scores);
    }

    [Fact]
    public void Apply_WithARealPlan_HidesWhatThePlanHides()
    {
        // Two themes of two questions; 8 « commune » (4 without a level on b.q1) and 9 « métropole ».
        var model = new MaturityModel("m", "M", null,
        [
            new Theme("a", "Thème A", 1, [new Question("a.q1", "A1"), new Question("a.q2", "A2")]),
            new Theme("b", "Thème B", 1, [new Question("b.q1", "B1"), new Question("b.q2", "B2")]),
        ], []);
        var respondents = Enumerable.Range(0, 17).Select(i => new Respondent($"R{i:D2}", $"Nom {i}", i < 8 ? "commune" : "métropole")).ToList();
        var cells = new List<sbyte>();
        for (var i = 0; i < respondents.Count; i++)
        {
            cells.AddRange([(sbyte)(i % 5), (sbyte)((i + 2) % 5), i < 4 ? CellCode.DontKnow : (sbyte)((i + 1) % 5), (sbyte)((i * 3) % 5)]);
        }
        var responses = new ResponseSet(model, respondents, [.. cells]);
        var plan = SecrecyPlan.Build(responses, 5);
        var filter = new PanelFilter(Type: "commune");
        var decision = plan.Decide(filter);

        var published = Disclosure.Apply(Barometer.Compute(responses.Where(filter.Matches), new BarometerOptions { Bootstrap = 0 }), decision, 5);

        // 4 levels on b.q1 among the communes: the question and the alpha of b are hidden, b's mean is not.
        Assert.False(decision.Suppressed);
        Assert.Equal(8, published.Results.Respondents);
        Assert.Contains(FigureId.Question("b.q1"), decision.SuppressedFigures);
        Assert.All(published.Results.Questions[2].Shares, s => Assert.Null(s));
        Assert.NotNull(published.Results.Questions[0].Shares[0]);
        Assert.Null(published.Results.Themes[1].Alpha);
        Assert.NotNull(published.Results.Themes[1].Mean);
        Assert.Equal(decision.SuppressedFigures.Order(StringComparer.Ordinal), published.Suppressed.Where(s => !s.StartsWith(Disclosure.SegmentPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Empty(published.Results.Scores);
    }
}
