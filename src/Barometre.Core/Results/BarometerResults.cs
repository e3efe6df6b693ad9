namespace Barometre.Core.Results;

/// <summary>
/// The results of a barometer: the versioned contract (schema <see cref="CurrentSchemaVersion"/>) that
/// reports, web pages, the API and exports read. Undefined values are null, never NaN.
/// </summary>
/// <param name="SchemaVersion">The schema version of this contract.</param>
/// <param name="Referential">The id of the maturity model.</param>
/// <param name="Respondents">Number of respondents in the panel.</param>
/// <param name="Questions">Per question, in model order.</param>
/// <param name="Indicators">Per key indicator, in model order.</param>
/// <param name="Themes">Per theme, in model order.</param>
/// <param name="Correlations">Correlations between theme scores.</param>
/// <param name="Segments">The segmentation.</param>
/// <param name="Scores">Per respondent, in input order.</param>
/// <param name="Parameters">The computation parameters, for reproducibility.</param>
/// <param name="Warnings">French notes on what could not be computed (for example too few respondents to segment).</param>
public sealed record BarometerResults(
    int SchemaVersion,
    string Referential,
    int Respondents,
    IReadOnlyList<QuestionResult> Questions,
    IReadOnlyList<IndicatorResult> Indicators,
    IReadOnlyList<ThemeResult> Themes,
    CorrelationResults Correlations,
    SegmentationResult Segments,
    IReadOnlyList<RespondentScore> Scores,
    ComputationParameters Parameters,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;
}

/// <summary>The parameters a computation ran with.</summary>
/// <param name="Seed">Seed of k-means and the bootstrap.</param>
/// <param name="Bootstrap">Number of bootstrap replicates B.</param>
/// <param name="K">Number of segments asked.</param>
public sealed record ComputationParameters(long Seed, int Bootstrap, int K);

/// <summary>A closed interval whose bounds may be undefined.</summary>
public readonly record struct Interval(double? Low, double? High)
{
    /// <summary>An interval with both bounds undefined.</summary>
    public static Interval Undefined => new(null, null);
}

/// <summary>The distribution of answers to one question.</summary>
/// <param name="Id">The question id.</param>
/// <param name="Theme">Its theme id.</param>
/// <param name="Answered">Respondents who gave a level.</param>
/// <param name="Counts">Respondents per level (index = level).</param>
/// <param name="Shares">Counts / answered; null entries when nobody answered.</param>
/// <param name="AtLeast">Share with a level ≥ k, for each k; null entries when nobody answered.</param>
public sealed record QuestionResult(
    string Id,
    string Theme,
    int Answered,
    IReadOnlyList<int> Counts,
    IReadOnlyList<double?> Shares,
    IReadOnlyList<double?> AtLeast);

/// <summary>A key indicator's value.</summary>
/// <param name="Id">The indicator id.</param>
/// <param name="Question">The question counted.</param>
/// <param name="Predicate">The predicate, canonical form (<c>"&gt;= 3"</c>).</param>
/// <param name="Count">Answered respondents satisfying the predicate.</param>
/// <param name="Answered">Respondents who gave a level.</param>
/// <param name="Value">Count / answered (0..1), null when nobody answered.</param>
/// <param name="Ci95">The 95 % Wilson score interval of the value.</param>
/// <param name="Statement">The French statement with its value filled in, or "".</param>
public sealed record IndicatorResult(
    string Id,
    string Question,
    string Predicate,
    int Count,
    int Answered,
    double? Value,
    Interval Ci95,
    string Statement);

/// <summary>The distribution of one theme's scores over the panel.</summary>
/// <param name="Id">The theme id.</param>
/// <param name="Title">The theme title.</param>
/// <param name="Scored">Respondents with a score on the theme.</param>
/// <param name="Mean">Mean score (0–100), null when nobody is scored.</param>
/// <param name="Median">Median score.</param>
/// <param name="Q1">First quartile.</param>
/// <param name="Q3">Third quartile.</param>
/// <param name="Rank">1 for the highest mean; null when nobody is scored.</param>
/// <param name="Alpha">Cronbach's alpha, null when undefined.</param>
/// <param name="Ci95">Percentile bootstrap 95 % interval of the mean.</param>
public sealed record ThemeResult(
    string Id,
    string Title,
    int Scored,
    double? Mean,
    double? Median,
    double? Q1,
    double? Q3,
    int? Rank,
    double? Alpha,
    Interval Ci95);

/// <summary>Correlation matrices between theme scores, rows and columns in <see cref="Themes"/> order.</summary>
/// <param name="Themes">Theme ids.</param>
/// <param name="Pearson">Pearson's r; null when undefined.</param>
/// <param name="Spearman">Spearman's ρ; null when undefined.</param>
/// <param name="PValues">Two-sided p-values of Pearson's r; null when undefined.</param>
public sealed record CorrelationResults(
    IReadOnlyList<string> Themes,
    IReadOnlyList<IReadOnlyList<double?>> Pearson,
    IReadOnlyList<IReadOnlyList<double?>> Spearman,
    IReadOnlyList<IReadOnlyList<double?>> PValues);

/// <summary>The segmentation of respondents by their theme scores.</summary>
/// <param name="K">Number of segments asked.</param>
/// <param name="Silhouette">Mean silhouette, null when undefined.</param>
/// <param name="Inertia">Within-segment sum of squares, null when no segmentation.</param>
/// <param name="Groups">Segments, by decreasing mean global index; empty when too few respondents.</param>
public sealed record SegmentationResult(int K, double? Silhouette, double? Inertia, IReadOnlyList<Segment> Groups);

/// <summary>One segment.</summary>
/// <param name="Label">« Stratèges », « Pragmatiques », « Retardataires » for k = 3, else « Segment i ».</param>
/// <param name="Size">Number of members.</param>
/// <param name="MeanIndex">Mean global index of the members.</param>
/// <param name="Centroid">Mean theme scores of the members (imputed values included), by theme id.</param>
/// <param name="Members">Member codes, in input order.</param>
public sealed record Segment(
    string Label,
    int Size,
    double? MeanIndex,
    IReadOnlyDictionary<string, double?> Centroid,
    IReadOnlyList<string> Members);

/// <summary>One respondent's scores.</summary>
/// <param name="Code">Its code.</param>
/// <param name="Nom">Its name.</param>
/// <param name="Type">Its type, or null.</param>
/// <param name="Index">Global index (0–100), or null.</param>
/// <param name="Themes">Theme scores by theme id, null where undefined.</param>
/// <param name="Segment">Its segment's label, or null.</param>
public sealed record RespondentScore(
    string Code,
    string Nom,
    string? Type,
    double? Index,
    IReadOnlyDictionary<string, double?> Themes,
    string? Segment);
