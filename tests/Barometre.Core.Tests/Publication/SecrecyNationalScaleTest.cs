using System.Globalization;
using Barometre.Core.Publication;

namespace Barometre.Core.Tests.Publication;

/// <summary>The plan of a national-scale panel keeps the rule and stays local (its time is measured in bench/, never asserted).</summary>
public sealed class SecrecyNationalScaleTest
{
    [Trait("Size", "Large")]
    [Fact]
    public void Build_FortyThousandRespondents_KeepsTheRuleWithLocalPatterns()
    {
        // 37 questions in 6 themes; 4 types, 13 regions (one rare), 5 bands.
        var model = SecrecyPanels.Model(6, 6, 6, 6, 6, 7);
        var responses = SecrecyPanels.Large(model, 40_000, seed: 2026);

        var plan = SecrecyPlan.Build(responses);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"40,000 × 37: {plan.All.Count} filters, {plan.All.Count(d => d.Suppressed)} suppressed, {plan.All.Sum(d => d.SuppressedFigures.Count)} figures hidden"));

        Assert.Equal((4, 13, 5), (plan.Types.Count, plan.Regions.Count, plan.PopulationBands.Count));
        Assert.Equal(5 * 14 * 6, plan.All.Count);
        // The rule still holds on the filters themselves (the full property checks run on smaller panels).
        Assert.All(plan.All.Where(d => d.Respondents > 0 && !d.Suppressed), d => Assert.True(d.Respondents >= plan.Threshold));
        Assert.False(plan.All[0].Suppressed);
        // Quality guard: the protection patterns stay local. Suppressing one sibling at a time spread here to
        // whole regions of 2,600 to 5,400 respondents; the hypercube patterns hide nothing near that size.
        Assert.True(plan.All.Where(d => d.Suppressed).Max(d => d.Respondents) < 1_000);
    }
}
