using Barometre.Core.Publication;
using static Barometre.Core.Tests.Publication.SecrecyPanels;

namespace Barometre.Core.Tests.Publication;

/// <summary>
/// <see cref="SecrecyPlan.ForResults"/>: the whole panel decided from a results file alone is the whole panel of the plan
/// built on the answers, on hostile panels (small groups, a question most leave blank) at every threshold — alphas aside,
/// whose populations the results do not record and which it withholds.
/// </summary>
public sealed class SecrecyPlanForResultsTest
{
    [Theory]
    [InlineData(12, 3L)]
    [InlineData(25, 11L)]
    [InlineData(40, 2019L)]
    public void ForResults_DecidesTheWholePanelAsBuildDoes(int respondents, long seed)
    {
        var model = SecrecyPanels.Model(3, 2, 4);
        var responses = Adversarial(model, respondents, seed);
        var results = Barometer.Compute(responses, new BarometerOptions { Bootstrap = 0 });
        var decided = 0;
        foreach (var threshold in new[] { 1, 2, 3, 5, 8, 13, respondents, respondents + 1 })
        {
            var expected = SecrecyPlan.Build(responses, threshold).Decide(PanelFilter.WholePanel);

            var plan = SecrecyPlan.ForResults(results, model, threshold);

            var whole = Assert.Single(plan.All);
            Assert.Equal(PanelFilter.WholePanel, whole.Filter);
            Assert.Equal((expected.Respondents, expected.Suppressed), (whole.Respondents, whole.Suppressed));
            var alphas = plan.Figures.Where(f => f.StartsWith(FigureId.AlphaPrefix, StringComparison.Ordinal)).ToList();
            Assert.Equal(expected.SuppressedFigures.Except(alphas).Order(), whole.SuppressedFigures.Except(alphas).Order());
            Assert.All(alphas, alpha => Assert.Contains(alpha, whole.SuppressedFigures));
            decided += expected.SuppressedFigures.Count(f => !f.StartsWith(FigureId.AlphaPrefix, StringComparison.Ordinal)) is > 0 and var n && n < plan.Figures.Count - alphas.Count ? 1 : 0;
        }
        Assert.True(decided > 0, "No threshold hides some figures and shows others: the comparison proves little.");
    }

    [Fact]
    public void ForResults_WithoutScoresOrOfAnotherModel_IsRefused()
    {
        var model = SecrecyPanels.Model(2, 2);
        var results = Barometer.Compute(Adversarial(model, 10, 1), new BarometerOptions { Bootstrap = 0 });

        Assert.Throws<ArgumentException>(() => { _ = SecrecyPlan.ForResults(results with { Scores = [] }, model); });
        Assert.Throws<ArgumentException>(() => { _ = SecrecyPlan.ForResults(results, SecrecyPanels.Model(2, 3)); });
    }
}
