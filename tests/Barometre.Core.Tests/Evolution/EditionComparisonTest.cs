using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Responses;

namespace Barometre.Core.Tests.Evolution;

/// <summary>
/// <see cref="EditionComparison"/> on two small editions whose every figure was computed independently with numpy and
/// scipy 1.10 (the reference is in the remarks).
/// </summary>
/// <remarks>
/// Earlier model « avant » (2019): A (a1, a2), B (b1, b2), C (c1); indicator ia = A.a1 ≥ 3. Later model « apres »
/// (2021): A kept, BB renamed from B, N new (n1); ia kept. Six collectivités each: R1 only before, R7 only after, the
/// later edition in another order. The reference script (abridged; theme score = mean level × 25 when at least half
/// the questions have a level, index = mean of the theme scores when two thirds of the themes are scored):
/// <code>
/// /usr/bin/python3 -W ignore - &lt;&lt;'EOF'
/// import numpy as np, scipy.stats as st
/// # rows: A, BB, ia, index of each collectivité (see Before/After below), PB/PA the pairs in the later order
/// st.wilcoxon(np.round(PA[:, c] - PB[:, c], 9), zero_method='wilcox', correction=False, method='approx')
/// st.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic')
/// st.binomtest(b, b + c, 0.5); st.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)
/// # the interval: BootstrapTest.MeanChange's reference with B = 2000, seed 7
/// EOF
/// </code>
/// </remarks>
public sealed class EditionComparisonTest
{
    private const sbyte X = CellCode.Blank;

    private static Theme Theme(string id, params string[] questions) =>
        new(id, id, 1, questions.Select(name => new Question($"{id}.{name}", name)));

    private static Indicator AtLeastThree(string id, string question)
    {
        Assert.True(Predicate.TryParse(">= 3", out var predicate));
        return new Indicator(id, question, predicate, "{value} des collectivités");
    }

    private static readonly MaturityModel Avant = new(
        "avant", "Avant", null,
        [Theme("A", "a1", "a2"), Theme("B", "b1", "b2"), Theme("C", "c1")],
        [AtLeastThree("ia", "A.a1")],
        edition: "2019");

    private static readonly MaturityModel Apres = new(
        "apres", "Après", null,
        [Theme("A", "a1", "a2"), Theme("BB", "b1", "b2"), Theme("N", "n1")],
        [AtLeastThree("ia", "A.a1")],
        edition: "2021",
        follows: new ModelLineage(
            "avant",
            themes: [new("BB", ["B"])],
            questions: [new("BB.b1", "B.b1"), new("BB.b2", "B.b2")]));

    private static ResponseSet Before(MaturityModel model) => new(
        model,
        new[] { "R1", "R2", "R3", "R4", "R5", "R6" }.Select(code => new Respondent(code, "Collectivité " + code)),
        new sbyte[]
        {
            0, 1, 2, 2, 1,
            1, 2, 1, X, 0,
            3, 3, 2, 3, 2,
            2, X, 0, 1, 4,
            4, 4, 3, 3, 3,
            1, 0, X, X, 1,
        });

    private static ResponseSet After(MaturityModel model) => new(
        model,
        new[] { "R3", "R2", "R4", "R5", "R7", "R6" }.Select(code => new Respondent(code, "Collectivité " + code)),
        new sbyte[]
        {
            4, 3, 3, 3, 2,
            2, 2, 1, 2, 1,
            3, 2, 1, 1, X,
            4, 4, 4, 3, 4,
            0, 1, 0, 0, 0,
            1, 1, 2, X, 1,
        });

    private static readonly BarometerOptions Options = new() { Seed = 7, Bootstrap = 2000 };

    private static EvolutionResults Compare(MaturityModel earlier, MaturityModel later)
    {
        var (before, after) = (Before(earlier), After(later));
        return EditionComparison.Compare(new EditionMapping(earlier, later), before, Barometer.Compute(before, Options), after, Barometer.Compute(after, Options), Options);
    }

    private static void AssertClose(double expected, double? actual, double relative = 1e-9) =>
        Assert.True(actual is { } a && Math.Abs(a - expected) <= relative * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Compare_EditionsAndOverlap_AreCountedByCode()
    {
        var evolution = Compare(Avant, Apres);

        Assert.Equal(new EditionSummary("avant", "2019", 6), evolution.Before);
        Assert.Equal(new EditionSummary("apres", "2021", 6), evolution.After);
        Assert.Equal(5, evolution.Overlap);
        Assert.Equal(["R3", "R2", "R4", "R5", "R6"], evolution.Collectivites.Select(c => c.Code));
    }

    [Fact]
    public void Compare_KeptTheme_MatchesScipy()
    {
        var a = Compare(Avant, Apres).Theme("A")!;

        Assert.Equal("A", a.BeforeId);
        Assert.True(a.SameQuestions);
        Assert.Equal((6, 6), (a.ScoredBefore, a.ScoredAfter));
        AssertClose(47.916666666666664, a.Change.Before);
        AssertClose(56.25, a.Change.After);
        AssertClose(56.25 - 47.916666666666664, a.Change.Delta);
        // Five pairs: four equal changes of 12.5 and one zero, which the test drops.
        Assert.Equal(new ChangeTest("wilcoxon", 5, 0, a.Change.Paired.PValue), a.Change.Paired);
        AssertClose(0.04550026389635839, a.Change.Paired.PValue);
        Assert.Equal(("mann-whitney", 12, 15.0), (a.Change.Unpaired.Test, a.Change.Unpaired.N, a.Change.Unpaired.Statistic));
        AssertClose(0.6857812652417206, a.Change.Unpaired.PValue);
        AssertClose(4.166666666666664, a.Change.Ci95.Low, 1e-12);
        AssertClose(10.416666666666671, a.Change.Ci95.High, 1e-12);
        Assert.True(a.Change.IsSignificant);
    }

    [Fact]
    public void Compare_RenamedTheme_ComparesWithItsEarlierName()
    {
        var bb = Compare(Avant, Apres).Theme("BB")!;

        Assert.Equal(["B"], bb.BeforeIds);
        Assert.Equal((5, 6), (bb.ScoredBefore, bb.ScoredAfter));
        AssertClose(45.0, bb.Change.Before);
        AssertClose(45.833333333333336, bb.Change.After);
        Assert.Equal(4, bb.Change.Paired.N);
        AssertClose(0.04550026389635839, bb.Change.Paired.PValue);
        Assert.Equal(11, bb.Change.Unpaired.N);
        AssertClose(1.0, bb.Change.Unpaired.PValue);
        AssertClose(-6.276041666666665, bb.Change.Ci95.Low, 1e-12);
        AssertClose(5.208333333333336, bb.Change.Ci95.High, 1e-12);
        // Small on average, but each of the four collectivités scored in both editions rose by 12.5: the paired test sees it.
        Assert.True(bb.Change.IsSignificant);
    }

    [Fact]
    public void Compare_Indicator_McNemarAndTwoProportions()
    {
        var ia = Compare(Avant, Apres).Indicator("ia")!;

        Assert.Equal("ia", ia.BeforeId);
        Assert.Equal((6, 6), (ia.AnsweredBefore, ia.AnsweredAfter));
        AssertClose(2.0 / 6, ia.Change.Before);
        AssertClose(0.5, ia.Change.After);
        // One collectivité went from below to at least 3 (R4), none back: p = 1.
        Assert.Equal(new ChangeTest("mcnemar", 5, 1, 1), ia.Change.Paired);
        Assert.Equal("two-proportions", ia.Change.Unpaired.Test);
        AssertClose(0.5581846494226572, ia.Change.Unpaired.PValue);
        AssertClose(0.0, ia.Change.Ci95.Low, 1e-12);
        AssertClose(0.5, ia.Change.Ci95.High, 1e-12);
    }

    [Fact]
    public void Compare_GlobalIndex_OfEachEditionsOwnThemes()
    {
        var index = Compare(Avant, Apres).Index;

        AssertClose(44.791666666666664, index.Before);
        AssertClose(47.569444444444436, index.After);
        Assert.Equal(5, index.Paired.N);
        AssertClose(2.0, index.Paired.Statistic);
        AssertClose(0.13801073756865956, index.Paired.PValue);
        AssertClose(0.8101812364104737, index.Unpaired.PValue);
        AssertClose(-5.208333333333343, index.Ci95.Low, 1e-12);
        AssertClose(8.333333333333336, index.Ci95.High, 1e-12);
    }

    [Fact]
    public void Compare_DroppedAndNewMeasures_AreListedAsNotComparable()
    {
        var evolution = Compare(Avant, Apres);

        Assert.Equal(["A", "BB"], evolution.Themes.Select(t => t.Id));
        Assert.Contains(evolution.NotComparable.Before, m => m is { Kind: MeasureKind.Theme, Id: "C" });
        Assert.Contains(evolution.NotComparable.After, m => m is { Kind: MeasureKind.Theme, Id: "N" });
        Assert.All(evolution.NotComparable.Before.Concat(evolution.NotComparable.After), m => Assert.False(string.IsNullOrWhiteSpace(m.Reason)));
    }

    [Fact]
    public void Compare_Collectivite_HasItsOwnChange()
    {
        var r6 = Compare(Avant, Apres).Collectivite("R6")!;

        Assert.Equal(new ValueChange(18.75, 33.333333333333336).Before, r6.Index.Before);
        AssertClose(33.333333333333336, r6.Index.After);
        AssertClose(33.333333333333336 - 18.75, r6.Index.Delta);
        Assert.Equal(new ValueChange(12.5, 25), r6.Themes.Single(t => t.Id == "A").Score);
        // B was not scored for R6 in 2019 (no level on either question).
        Assert.Equal(new ValueChange(null, 50), r6.Themes.Single(t => t.Id == "BB").Score);
        Assert.Null(Compare(Avant, Apres).Collectivite("R1"));
    }

    [Fact]
    public void Compare_MergedTheme_RecomputesTheEarlierScoreOverTheUnion()
    {
        var fusion = new MaturityModel(
            "fusion", "Fusion", null,
            [Theme("M", "a1", "a2", "b1", "b2"), Theme("C", "c1")],
            [],
            follows: new ModelLineage(
                "avant",
                themes: [new("M", ["A", "B"])],
                questions: [new("M.a1", "A.a1"), new("M.a2", "A.a2"), new("M.b1", "B.b1"), new("M.b2", "B.b2")]));
        var before = Before(Avant);
        var after = new ResponseSet(fusion, Before(Avant).Respondents, Before(Avant).Cells);

        var m = EditionComparison.Compare(new EditionMapping(Avant, fusion), before, Barometer.Compute(before, Options), after, Barometer.Compute(after, Options), Options).Theme("M")!;

        // Per collectivité over a1, a2, b1, b2 (at least two levels): 31.25, 33.33…, 68.75, 25, 87.5, 12.5.
        // python3 -c "print(repr((31.25 + 100/3 + 68.75 + 25 + 87.5 + 12.5) / 6))" → 43.05555555555556
        Assert.Equal(["A", "B"], m.BeforeIds);
        Assert.Null(m.BeforeId);
        AssertClose(43.05555555555556, m.Change.Before);
        // The same answers under the merged theme: no change at all.
        AssertClose(0, m.Change.Delta);
        Assert.Equal(6, m.Change.Paired.N);
        Assert.Equal(1, m.Change.Paired.PValue);
    }

    [Fact]
    public void Compare_ResultsOfAnotherModel_AreRefused()
    {
        var before = Before(Avant);
        var after = After(Apres);

        Assert.Throws<ArgumentException>(() => EditionComparison.Compare(new EditionMapping(Avant, Apres), before, Barometer.Compute(after, Options), after, Barometer.Compute(after, Options), Options));
    }

    [Fact]
    public void Compare_SameSeed_SameJson()
    {
        Assert.Equal(EvolutionJson.Serialize(Compare(Avant, Apres)), EvolutionJson.Serialize(Compare(Avant, Apres)));
    }
}
