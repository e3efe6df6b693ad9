using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Robustness;

namespace Barometre.Reports;

/// <summary>What a collectivité's confidential report shows.</summary>
/// <param name="Responses">The panel's answers.</param>
/// <param name="Results">The panel's results.</param>
/// <param name="Benchmark">The panel's benchmark, computed once for all reports.</param>
/// <param name="Index">The collectivité's position in <paramref name="Responses"/> (and in the results' scores).</param>
/// <param name="Date">The date printed on the report.</param>
/// <param name="Stability">How often it keeps its segment when weights vary, or null.</param>
/// <param name="Previous">The earlier edition and what changed since, or null: the report then shows no evolution.</param>
public sealed record IndividualReportData(
    ResponseSet Responses,
    BarometerResults Results,
    PanelBenchmark Benchmark,
    int Index,
    DateOnly Date,
    RespondentSegmentStability? Stability = null,
    PreviousEdition? Previous = null)
{
    /// <summary>The maturity model.</summary>
    public MaturityModel Model => Responses.Model;

    /// <summary>The collectivité.</summary>
    public Respondent Respondent => Responses.Respondents[Index];

    /// <summary>Its scores.</summary>
    public RespondentScore Score => Results.Scores[Index];

    /// <summary>Its own change since the earlier edition; null without one, or when it did not answer the earlier edition.</summary>
    public CollectiviteChange? Change => Previous?.Collectivite(Respondent.Code);
}
