using Barometre.Core.Model;
using Barometre.Core.Results;
using Barometre.Core.Robustness;

namespace Barometre.Reports;

/// <summary>What the study report shows: a model, its computed results, and the robustness analysis when the responses were at hand.</summary>
/// <param name="Model">The maturity model (labels, scale, help texts).</param>
/// <param name="Results">The computed results.</param>
/// <param name="Robustness">The weight-sensitivity analysis; null when the report is made from a results file alone.</param>
/// <param name="Date">The date printed on the report.</param>
/// <param name="Previous">The earlier edition and what changed since, or null: the study then shows no evolution.</param>
/// <param name="SeedStability">The segmentation rerun with other k-means seeds (<see cref="Core.Robustness.SeedStability"/>), or null: the study then does not say how much the segments depend on the seed.</param>
public sealed record StudyReportData(
    MaturityModel Model, BarometerResults Results, SensitivityResults? Robustness, DateOnly Date, PreviousEdition? Previous = null, SeedStabilityResults? SeedStability = null)
{
    /// <summary>Derived facts (rankings, strong correlations, commentary) shared by the components.</summary>
    public StudyFacts Facts { get; } = new(Model, Results);
}
