using Barometre.Core.Publication;
using Barometre.Core.Responses;

namespace Barometre.Core.Tests.Publication;

/// <summary>
/// The secrecy properties on hostile panels, checked by <see cref="SecrecyOracle"/> over every filter
/// combination, every figure and every pair of nested groups: (a) every published group has at least N
/// respondents; (b) two nested published groups differ by 0 or at least N; (c) no hidden group, no group of 1
/// to N − 1 respondents of the lattice (« non renseigné » included), no small difference of nested groups and
/// no small « parent minus its published children » lies in the span of the published groups of its family;
/// (d) on small panels, no ±1 combination of up to 3 published groups gives such a group, nor any set of 1
/// to N − 1 respondents.
/// </summary>
public sealed class SecrecyAdversarialTest
{
    private static readonly Core.Model.MaturityModel Model = SecrecyPanels.Model(3, 2, 4);

    public static TheoryData<int, long, int> SyntheticCases => new()
    {
        { 34, 1, 5 },
        { 50, 2, 5 },
        { 75, 3, 5 },
        { 101, 4, 5 },
        { 101, 5, 5 },
        { 60, 6, 3 },
        { 101, 7, 10 },
    };

    [Trait("Size", "Large")]
    [Theory]
    [MemberData(nameof(SyntheticCases))]
    public void Build_AdversarialSyntheticPanel_NothingSmallIsPublishedOrDerivable(int respondents, long seed, int threshold)
    {
        var responses = SecrecyPanels.Adversarial(Model, respondents, seed);
        var plan = SecrecyPlan.Build(responses, threshold);

        // The panel is hostile: a type of 1 to 3 collectivités, so something must be suppressed.
        Assert.Contains(plan.All, d => d.Suppressed);
        AssertSecret(responses, plan, bruteForce: false);
    }

    // Seeds 160, 200, 214 and 116 gave, before the search for any small derivable union was added, a
    // type minus two of its published subgroups in different dimensions: a group of 3 or 4 respondents that
    // is neither a group of the lattice, nor a nested difference, nor a « parent minus its children ».
    public static TheoryData<int, long> SmallCases => new()
    {
        { 12, 11 },
        { 20, 12 },
        { 24, 13 },
        { 30, 14 },
        { 36, 15 },
        { 22, 160 },
        { 32, 200 },
        { 16, 214 },
        { 38, 116 },
    };

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void Build_SmallRandomPanel_NoCombinationOfThreeRevealsASmallGroup(int respondents, long seed)
    {
        var responses = SecrecyPanels.RandomSmall(SecrecyPanels.Model(2, 2), respondents, seed);
        var plan = SecrecyPlan.Build(responses);

        AssertSecret(responses, plan, bruteForce: true);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    public void Build_SmallRandomPanelOtherThresholds_NoCombinationOfThreeRevealsASmallGroup(int threshold)
    {
        foreach (var seed in new long[] { 41, 42, 43 })
        {
            var responses = SecrecyPanels.RandomSmall(SecrecyPanels.Model(2, 2), 30, seed);

            AssertSecret(responses, SecrecyPlan.Build(responses, threshold), bruteForce: true);
        }
    }

    [Trait("Size", "Large")]
    [Theory]
    [InlineData(40, 21L)]
    [InlineData(101, 22L)]
    public void Build_SyntheticPanelAsGenerated_KeepsTheRule(int respondents, long seed)
    {
        // SyntheticPanel's own attributes (4 types, 12 regions, real populations): many small crossings.
        var responses = Synthetic.SyntheticPanel.Generate(Model, new Synthetic.SyntheticPanelOptions { Respondents = respondents, Seed = seed });
        var plan = SecrecyPlan.Build(responses);

        AssertSecret(responses, plan, bruteForce: false);
    }

    [Fact]
    public void Build_AdversarialPanel_WholePanelStaysPublished()
    {
        var responses = SecrecyPanels.Adversarial(Model, 60, 31);
        var plan = SecrecyPlan.Build(responses);

        // Never suppress the whole panel, nor a figure of it, unless that population is itself below N.
        var panel = plan.All[0];
        Assert.True(panel.Filter.IsWholePanel);
        Assert.False(panel.Suppressed);
        var oracle = new SecrecyOracle(responses, plan);
        foreach (var (figure, member) in oracle.Families.Skip(1))
        {
            Assert.Equal(member.Count(m => m) is > 0 and < 5, panel.SuppressedFigures.Contains(figure!));
        }
    }

    [Fact]
    public void Build_ThresholdOne_SuppressesNothing()
    {
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            var plan = SecrecyPlan.Build(SecrecyPanels.Adversarial(Model, 50, seed), threshold: 1);

            // Every nonempty group has at least 1 respondent and every difference of distinct nested groups is
            // at least 1: nothing is ever below the threshold.
            Assert.All(plan.All, d => Assert.False(d.Suppressed));
            Assert.All(plan.All, d => Assert.Empty(d.SuppressedFigures));
        }
    }

    [Fact]
    public void Build_SameCountsInAnotherOrder_SameDecisions()
    {
        var responses = SecrecyPanels.Adversarial(Model, 75, 3);
        // Reverse the respondents (rows move with them): the counts per cell do not change.
        var q = Model.Questions.Count;
        var order = Enumerable.Range(0, responses.Count).Reverse().ToArray();
        var cells = order.SelectMany(r => responses.Row(r).ToArray()).ToArray();
        var reversed = new ResponseSet(Model, order.Select(r => responses.Respondents[r]), cells);
        Assert.Equal(responses.Count * q, cells.Length);

        Assert.Equal(Describe(SecrecyPlan.Build(responses)), Describe(SecrecyPlan.Build(reversed)));
    }

    [Fact]
    public void Build_Twice_SameDecisions()
    {
        var responses = SecrecyPanels.Adversarial(Model, 101, 4);

        Assert.Equal(Describe(SecrecyPlan.Build(responses)), Describe(SecrecyPlan.Build(responses)));
    }

    [Fact]
    public void Oracle_FigurePopulations_MatchTheFilteredResults()
    {
        // The oracle's populations are those Barometer.Compute reports on the filtered panel: answered per
        // question and scored per theme, for every filter.
        var responses = SecrecyPanels.Adversarial(Model, 50, 2);
        var plan = SecrecyPlan.Build(responses);
        var oracle = new SecrecyOracle(responses, plan);
        var options = new BarometerOptions { Bootstrap = 0, K = 2 };
        foreach (var decision in plan.All.Where(d => d.Respondents > 0))
        {
            var keep = responses.Respondents.Select(decision.Filter.Matches).ToArray();
            var results = Barometer.Compute(responses.Where(decision.Filter.Matches), options);
            Assert.Equal(decision.Respondents, results.Respondents);
            foreach (var question in results.Questions)
            {
                var member = oracle.Families.Single(f => f.Figure == FigureId.Question(question.Id)).Member;
                Assert.Equal(question.Answered, Enumerable.Range(0, responses.Count).Count(r => keep[r] && member[r]));
            }
            foreach (var theme in results.Themes)
            {
                var member = oracle.Families.Single(f => f.Figure == FigureId.Theme(theme.Id)).Member;
                Assert.Equal(theme.Scored, Enumerable.Range(0, responses.Count).Count(r => keep[r] && member[r]));
            }
        }
    }

    private static void AssertSecret(ResponseSet responses, SecrecyPlan plan, bool bruteForce)
    {
        var oracle = new SecrecyOracle(responses, plan);
        var violations = oracle.Audit(bruteForce);
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(20)));
    }

    private static List<string> Describe(SecrecyPlan plan) =>
        [.. plan.All.Select(d => $"{d.Filter} {d.Respondents} {d.Suppressed} [{string.Join(",", d.SuppressedFigures)}]")];
}
