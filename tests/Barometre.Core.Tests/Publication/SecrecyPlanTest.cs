using Barometre.Core.Publication;
using Barometre.Core.Responses;
using static Barometre.Core.Tests.Publication.SecrecyPanels;

namespace Barometre.Core.Tests.Publication;

/// <summary>
/// The secrecy plan on panels small enough to work out by hand, N = 5 unless said otherwise. Each panel is
/// also audited by <see cref="SecrecyOracle"/> (exact elimination and brute force).
/// </summary>
public sealed class SecrecyPlanTest
{
    [Fact]
    public void Build_TypesSixFourTwo_SuppressesTheTwoSmallTypesOnly()
    {
        // 12 respondents, types A = 6, B = 4, C = 2, no region nor population.
        var responses = Panel(TwoByTwo, [.. Typed("A", 6), .. Typed("B", 4), .. Typed("C", 2)]);

        var plan = SecrecyPlan.Build(responses);

        // B (4) and C (2) are below 5: primary suppression, as a whole.
        // A (6) stays: the panel minus A is B ∪ C, a group of 6 ≥ 5, and B ∪ C is not a filter anyway.
        // Nothing else is derivable: from the panel and A one gets B ∪ C (6), never B or C alone.
        Assert.Equal(
            [("ensemble du panel", 12, false), ("A", 6, false), ("B", 4, true), ("C", 2, true)],
            plan.All.Select(d => (d.Filter.Describe(), d.Respondents, d.Suppressed)));
        Assert.Empty(plan.All[0].SuppressedFigures);
        Assert.Empty(plan.All[1].SuppressedFigures);
        // A suppressed filter hides every figure.
        Assert.Equal(plan.Figures, [.. plan.All[2].SuppressedFigures]);   // in the plan's figure order
        Audit(responses, plan);
    }

    [Fact]
    public void Build_SmallTypeLeftAsTheDifference_SuppressesTheSmallestSibling()
    {
        // A = 10, B = 10, C = 3: C is below 5, but C = panel − A − B. One of its siblings must go too:
        // A and B tie at 10, so the first in the plan's order, A.
        var responses = Panel(TwoByTwo, [.. Typed("A", 10), .. Typed("B", 10), .. Typed("C", 3)]);

        var plan = SecrecyPlan.Build(responses);

        Assert.Equal([false, true, false, true], plan.All.Select(d => d.Suppressed));
        // B stays: panel − B = A ∪ C = 13, and neither A nor C alone can be derived from the panel and B.
        Audit(responses, plan);
    }

    [Fact]
    public void Build_TwoSmallTypesTogetherBelowN_SuppressesOneMoreType()
    {
        // A = 10, B = 10, C = 2, D = 2. Neither C nor D can be derived alone, but panel − A − B = C ∪ D is
        // a group of 4: the smallest sibling, A (tie with B, first in order), is suppressed too.
        var responses = Panel(TwoByTwo, [.. Typed("A", 10), .. Typed("B", 10), .. Typed("C", 2), .. Typed("D", 2)]);

        var plan = SecrecyPlan.Build(responses);

        Assert.Equal([false, true, false, true, true], plan.All.Select(d => d.Suppressed));
        // Then panel − B = A ∪ C ∪ D = 14: nothing below 5 is left to derive.
        Audit(responses, plan);
    }

    [Fact]
    public void Build_FewRespondentsWithoutType_AreProtectedLikeAGroup()
    {
        // A = 10, B = 10 and 2 collectivités without a type. « Non renseigné » is not a filter, but
        // panel − A − B would describe those 2: a type must be hidden, A (tie with B, first in order).
        var responses = Panel(TwoByTwo, [.. Typed("A", 10), .. Typed("B", 10), .. Typed(null, 2)]);

        var plan = SecrecyPlan.Build(responses);

        Assert.Equal(["A", "B"], plan.Types);
        Assert.Equal([("ensemble du panel", 22, false), ("A", 10, true), ("B", 10, false)], plan.All.Select(d => (d.Filter.Describe(), d.Respondents, d.Suppressed)));
        Audit(responses, plan);
    }

    [Fact]
    public void Build_TwoByTwoTableWithASmallCell_HidesTheFourCrossingsKeepsTheMargins()
    {
        // Types × regions: A·R1 = 10, A·R2 = 3, B·R1 = 10, B·R2 = 10 (33 respondents).
        var responses = Panel(TwoByTwo, [.. Located("A", "R1", 10), .. Located("A", "R2", 3), .. Located("B", "R1", 10), .. Located("B", "R2", 10)]);

        var plan = SecrecyPlan.Build(responses);

        // Primary: A·R2 (3). Differences: A (13) − A·R1 (10) = A·R2, so A·R1 goes; R2 (13) − B·R2 (10) = A·R2, so
        // B·R2 goes. Sums: A·R1 = R1 − B·R1 is still derivable, so B·R1 goes too — the 2 × 2 square of
        // crossings, whose alternating sum is invisible to every margin. Margins (A 13, B 20, R1 20, R2 13)
        // and the panel stay.
        var suppressed = plan.All.Where(d => d.Suppressed).Select(d => d.Filter.Describe()).ToList();
        Assert.Equal(["A · R1", "A · R2", "B · R1", "B · R2"], suppressed);
        Assert.Equal(9, plan.All.Count);
        Audit(responses, plan);
    }

    [Fact]
    public void Build_QuestionAnsweredByFourInAPublishedFilter_HidesThatQuestion()
    {
        // A = 6, B = 6. Two respondents of A leave t1.q2 blank: 4 of A answered it, 6 of B, 10 in all.
        var responses = Panel(
            TwoByTwo,
            [.. Typed("A", 6), .. Typed("B", 6)],
            (r, q) => r < 2 && q == 1 ? CellCode.Blank : (sbyte)(1 + ((r + q) % 4)));

        var plan = SecrecyPlan.Build(responses);

        // The filters: 12, 6, 6, and 12 − 6 = 6 ≥ 5: all shown.
        Assert.All(plan.All, d => Assert.False(d.Suppressed));
        // question:t1.q2: A's 4 answers are below 5; B's 6 are enough, but the panel's 10 minus B's 6 would
        // give A's 4, so B's distribution goes too. alpha:t1 is computed on the same complete rows (4 and 6).
        // theme:t1 is defined with one question of two answered: everybody is scored, nothing is hidden.
        string[] hidden = [FigureId.Question("t1.q2"), FigureId.Alpha("t1")];
        Assert.Empty(plan.Decide(PanelFilter.WholePanel).SuppressedFigures);
        Assert.Equal(hidden, plan.Decide(new PanelFilter("A")).SuppressedFigures.ToArray());
        Assert.Equal(hidden, plan.Decide(new PanelFilter("B")).SuppressedFigures.ToArray());
        Assert.True(plan.Decide(new PanelFilter("A")).Shows(FigureId.Theme("t1")));
        Assert.False(plan.Decide(new PanelFilter("A")).Shows(FigureId.Question("t1.q2")));
        Audit(responses, plan);
    }

    [Fact]
    public void Build_ComplementBelowN_SuppressesTheLargeFilterAsAWhole()
    {
        // A = 8, B = 4: B is below 5, and panel − A = B, so A goes too, with every figure.
        var responses = Panel(TwoByTwo, [.. Typed("A", 8), .. Typed("B", 4)]);

        var plan = SecrecyPlan.Build(responses);

        var a = plan.Decide(new PanelFilter("A"));
        Assert.Equal((8, true), (a.Respondents, a.Suppressed));
        Assert.Equal(plan.Figures, [.. a.SuppressedFigures]);
        Assert.All(plan.Figures, figure => Assert.False(a.Shows(figure)));
        // The panel itself (12) is never suppressed for this: its figures are not a secret.
        Assert.False(plan.All[0].Suppressed);
        Assert.Empty(plan.All[0].SuppressedFigures);
        Audit(responses, plan);
    }

    [Fact]
    public void Build_NestedGroupsThatAreNotAncestors_AreComparedToo()
    {
        // All 6 of type A are in R1, with 2 of B; R2 has 10 of B. A ⊂ R1 as sets though neither is the
        // other's ancestor in the lattice: R1 − A would show the 2 of B in R1, so A and R1 may not both show.
        var responses = Panel(TwoByTwo, [.. Located("A", "R1", 6), .. Located("B", "R1", 2), .. Located("B", "R2", 10)]);

        var plan = SecrecyPlan.Build(responses);

        Assert.False(plan.Decide(new PanelFilter("A")) is { Suppressed: false } && plan.Decide(new PanelFilter(Region: "R1")) is { Suppressed: false });
        // A·R2 is empty: nothing to show, not secret.
        Assert.Equal((0, false), (plan.Decide(new PanelFilter("A", "R2")).Respondents, plan.Decide(new PanelFilter("A", "R2")).Suppressed));
        Audit(responses, plan);
    }

    [Fact]
    public void Build_PanelBelowN_SuppressesEverything()
    {
        var responses = Panel(TwoByTwo, [.. Typed("A", 3), .. Typed("B", 1)]);

        var plan = SecrecyPlan.Build(responses);

        // The whole panel (4) is below 5: it is suppressed, and so is every part of it.
        Assert.All(plan.All, d => Assert.True(d.Suppressed));
        Assert.Equal(4, plan.All[0].Respondents);
    }

    [Fact]
    public void Decide_EmptyCombinationsAndUnknownValues_NothingToShowNothingSecret()
    {
        var responses = Panel(TwoByTwo, [.. Located("A", "R1", 10), .. Located("B", "R1", 10), .. Located("B", "R2", 10)]);
        var plan = SecrecyPlan.Build(responses);

        PanelFilter[] empty =
        [
            new("A", "R2"),                                 // both values exist, nobody has both
            new("Z"),                                       // a type nobody has
            new(Region: "Corse"),                           // a region nobody has
            new(PopulationBand: "moins-20000"),             // a band that exists, nobody in it (no population known)
            new(PopulationBand: "pas-une-tranche"),         // not a band at all
            new(""),                                        // the empty string is a value nobody has
        ];
        foreach (var filter in empty)
        {
            var decision = plan.Decide(filter);
            Assert.Equal(filter, decision.Filter);
            Assert.Equal((0, false), (decision.Respondents, decision.Suppressed));
            Assert.Empty(decision.SuppressedFigures);
        }
        // The empty combination of values present is part of All; unknown values are not.
        Assert.Contains(plan.All, d => d.Filter == new PanelFilter("A", "R2") && d.Respondents == 0);
        Assert.DoesNotContain(plan.All, d => d.Filter.Type == "Z");
    }

    [Fact]
    public void Decide_KnownFilter_ReturnsTheDecisionOfAll()
    {
        var responses = Adversarial(TwoByTwo, 60, 3);
        var plan = SecrecyPlan.Build(responses);

        foreach (var decision in plan.All)
        {
            var decided = plan.Decide(decision.Filter with { });
            Assert.Same(decision, decided);
            Assert.Equal(responses.Respondents.Count(decision.Filter.Matches), decided.Respondents);
        }
    }

    [Fact]
    public void Build_ValuesPresent_OrderedAndBlanksLeftOut()
    {
        (string?, string?, long?)[] who =
        [
            ("Métropole", "Occitanie", 300_000),
            ("Commune", "Île-de-France", 10_000),
            ("Communauté d'agglomération", "Bretagne", 60_000),
            ("  ", " ", null),
            (null, null, -5),
        ];
        var plan = SecrecyPlan.Build(Panel(TwoByTwo, who));

        // Alphabetical ignoring accents (Île with the I, not after Occitanie); blanks are « non renseigné ».
        Assert.Equal(["Communauté d'agglomération", "Commune", "Métropole"], plan.Types);
        Assert.Equal(["Bretagne", "Île-de-France", "Occitanie"], plan.Regions);
        // Bands by population, only those present; a negative population has no band.
        Assert.Equal(["moins-20000", "50000-100000", "250000-plus"], plan.PopulationBands);
        Assert.Equal(4 * 4 * 4, plan.All.Count);
        Assert.True(plan.All[0].Filter.IsWholePanel);
        Assert.Equal(new PanelFilter(null, null, "moins-20000"), plan.All[1].Filter);
        Assert.Equal(new PanelFilter("Métropole", "Occitanie", "250000-plus"), plan.All[^1].Filter);
    }

    [Fact]
    public void Build_Figures_QuestionsThemesAlphasCorrelationsIndex()
    {
        var plan = SecrecyPlan.Build(Panel(SecrecyPanels.Model(2, 1, 1), [.. Typed("A", 5)]));

        Assert.Equal(
            [
                "question:t1.q1", "question:t1.q2", "question:t2.q1", "question:t3.q1",
                "theme:t1", "theme:t2", "theme:t3",
                "alpha:t1", "alpha:t2", "alpha:t3",
                "correlation:t1:t2", "correlation:t1:t3", "correlation:t2:t3",
                "index",
            ],
            plan.Figures);
        Assert.Equal(SecrecyPlan.DefaultThreshold, plan.Threshold);
    }

    [Fact]
    public void Build_ThresholdBelowOne_Throws()
    {
        var responses = Panel(TwoByTwo, [.. Typed("A", 5)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => SecrecyPlan.Build(responses, 0));
        Assert.Throws<ArgumentNullException>(() => SecrecyPlan.Build(null!));
    }

    [Fact]
    public void Build_ThresholdOne_HandPanelSuppressesNothing()
    {
        var responses = Panel(TwoByTwo, [.. Located("A", "R1", 1), .. Located("B", "R2", 1), .. Located(null, null, 1)]);

        var plan = SecrecyPlan.Build(responses, threshold: 1);

        // With N = 1 no nonempty group, and no nonzero difference, is below N.
        Assert.All(plan.All, d => Assert.False(d.Suppressed));
        Assert.All(plan.All, d => Assert.Empty(d.SuppressedFigures));
        Assert.Equal(1, plan.Threshold);
    }

    [Fact]
    public void Build_EveryIndexUndefined_IndexHiddenNowhere()
    {
        // Nobody answers theme t2: no theme score, hence no global index (1 theme of 2 < two thirds), and
        // every group of the index family is empty: nothing to show, nothing secret.
        var responses = Panel(TwoByTwo, [.. Typed("A", 6), .. Typed("B", 2)], (_, q) => q >= 2 ? CellCode.Blank : (sbyte)2);

        var plan = SecrecyPlan.Build(responses);

        Assert.DoesNotContain(FigureId.Index, plan.Decide(PanelFilter.WholePanel).SuppressedFigures);
        Assert.DoesNotContain(FigureId.Theme("t2"), plan.Decide(PanelFilter.WholePanel).SuppressedFigures);
        Audit(responses, plan);
    }

    private static void Audit(ResponseSet responses, SecrecyPlan plan)
    {
        var violations = new SecrecyOracle(responses, plan).Audit(bruteForce: true);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
