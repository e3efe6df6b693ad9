using Barometre.Core.Model;
using Barometre.Core.Results;

namespace Barometre.Core.Evolution;

/// <summary>
/// What changed between two editions of a barometer (schema <see cref="CurrentSchemaVersion"/>, documented in
/// docs/evolution-schema.md): each comparable theme, key indicator and the global index with the change's interval
/// and its paired and unpaired tests, what is not comparable and why, and each collectivité in both editions.
/// </summary>
/// <param name="SchemaVersion">The schema version of this contract.</param>
/// <param name="Before">The earlier edition.</param>
/// <param name="After">The later edition.</param>
/// <param name="Overlap">Collectivités (by code) in both editions.</param>
/// <param name="Index">The global index of each edition (its own themes).</param>
/// <param name="Themes">The later model's comparable themes, in its order.</param>
/// <param name="Indicators">The later model's comparable key indicators, in its order.</param>
/// <param name="NotComparable">What each edition has that the other cannot be compared with, and why.</param>
/// <param name="Collectivites">Each collectivité in both editions, in the later edition's order.</param>
/// <param name="Parameters">The seed and replicates of the intervals.</param>
public sealed record EvolutionResults(
    int SchemaVersion,
    EditionSummary Before,
    EditionSummary After,
    int Overlap,
    MeasureChange Index,
    IReadOnlyList<ThemeChange> Themes,
    IReadOnlyList<IndicatorChange> Indicators,
    NotComparableMeasures NotComparable,
    IReadOnlyList<CollectiviteChange> Collectivites,
    EvolutionParameters Parameters)
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The change of a theme by its id in the later model, or null when it is not compared.</summary>
    public ThemeChange? Theme(string id) => Themes.FirstOrDefault(t => t.Id == id);

    /// <summary>The change of a key indicator by its id in the later model, or null when it is not compared.</summary>
    public IndicatorChange? Indicator(string id) => Indicators.FirstOrDefault(i => i.Id == id);

    /// <summary>A collectivité's change by its code, or null when it is not in both editions.</summary>
    public CollectiviteChange? Collectivite(string code) => Collectivites.FirstOrDefault(c => c.Code == code);
}

/// <summary>One edition: its model and how many collectivités answered.</summary>
/// <param name="Model">The model id.</param>
/// <param name="Edition">The model's edition label (« 2019 »), or null.</param>
/// <param name="Respondents">Respondents of the edition.</param>
public sealed record EditionSummary(string Model, string? Edition, int Respondents);

/// <summary>A test of the change: its name, the units it ran on, its statistic and two-sided p-value.</summary>
/// <param name="Test">« wilcoxon », « mcnemar », « mann-whitney » or « two-proportions ».</param>
/// <param name="N">Units tested: collectivités with a value in both editions (paired), or in either (unpaired).</param>
/// <param name="Statistic">The test's statistic (see docs/evolution-schema.md), null when undefined.</param>
/// <param name="PValue">The two-sided p-value, null when undefined.</param>
public sealed record ChangeTest(string Test, int N, double? Statistic, double? PValue);

/// <summary>The change of one figure between the editions.</summary>
/// <param name="Before">The earlier edition's value (mean score, share), null when undefined.</param>
/// <param name="After">The later edition's value.</param>
/// <param name="Delta">After − before, null when either is undefined.</param>
/// <param name="Ci95">The stratified bootstrap 95 % interval of the change.</param>
/// <param name="Paired">The test on the collectivités with a value in both editions.</param>
/// <param name="Unpaired">The test on every respondent of each edition.</param>
public sealed record MeasureChange(double? Before, double? After, double? Delta, Interval Ci95, ChangeTest Paired, ChangeTest Unpaired)
{
    /// <summary>The conventional threshold under which a change is called significant.</summary>
    public const double SignificanceLevel = 0.05;

    /// <summary>Whether the paired test (or the unpaired one, when no collectivité is in both editions) finds the change significant at 5 %.</summary>
    public bool IsSignificant => (Paired.N > 0 ? Paired.PValue : Unpaired.PValue) is < SignificanceLevel;
}

/// <summary>A comparable theme's change.</summary>
/// <param name="Id">The theme id in the later model.</param>
/// <param name="Title">The theme's title in the later model.</param>
/// <param name="BeforeIds">The earlier themes it continues (one, or several merged).</param>
/// <param name="SameQuestions">Whether its questions are the earlier themes' very questions.</param>
/// <param name="ScoredBefore">Respondents scored on it in the earlier edition.</param>
/// <param name="ScoredAfter">Respondents scored on it in the later edition.</param>
/// <param name="Change">The change of the mean score (0–100).</param>
public sealed record ThemeChange(string Id, string Title, IReadOnlyList<string> BeforeIds, bool SameQuestions, int ScoredBefore, int ScoredAfter, MeasureChange Change)
{
    /// <summary>The earlier theme's id when it continues one theme; null for a merge.</summary>
    public string? BeforeId => BeforeIds.Count == 1 ? BeforeIds[0] : null;
}

/// <summary>A comparable key indicator's change.</summary>
/// <param name="Id">The indicator id in the later model.</param>
/// <param name="Title">Its title, or null.</param>
/// <param name="BeforeId">The earlier indicator's id.</param>
/// <param name="AnsweredBefore">Respondents who gave a level to its question in the earlier edition.</param>
/// <param name="AnsweredAfter">The same in the later edition.</param>
/// <param name="Statement">The later model's statement template (with <c>{value}</c>).</param>
/// <param name="Change">The change of the share (0–1).</param>
public sealed record IndicatorChange(string Id, string? Title, string BeforeId, int AnsweredBefore, int AnsweredAfter, string Statement, MeasureChange Change);

/// <summary>What cannot be compared: the earlier edition's measures with no comparable successor, and the later edition's with no comparable predecessor.</summary>
/// <param name="Before">Earlier themes, questions and indicators, each with its reason.</param>
/// <param name="After">Later themes, questions and indicators, each with its reason.</param>
public sealed record NotComparableMeasures(IReadOnlyList<NotComparable> Before, IReadOnlyList<NotComparable> After);

/// <summary>A value in both editions for one collectivité.</summary>
/// <param name="Before">The earlier value, null when undefined.</param>
/// <param name="After">The later value, null when undefined.</param>
public sealed record ValueChange(double? Before, double? After)
{
    /// <summary>After − before, null when either is undefined.</summary>
    public double? Delta => Before is { } b && After is { } a ? a - b : null;
}

/// <summary>One collectivité's own change.</summary>
/// <param name="Code">Its code.</param>
/// <param name="Nom">Its name in the later edition.</param>
/// <param name="Index">Its global index then and now.</param>
/// <param name="SegmentBefore">Its segment in the earlier edition, or null.</param>
/// <param name="SegmentAfter">Its segment in the later edition, or null.</param>
/// <param name="Themes">Its score on each comparable theme, in <see cref="EvolutionResults.Themes"/> order.</param>
public sealed record CollectiviteChange(string Code, string Nom, ValueChange Index, string? SegmentBefore, string? SegmentAfter, IReadOnlyList<ThemeValueChange> Themes);

/// <summary>A collectivité's score on one comparable theme, then and now.</summary>
/// <param name="Id">The theme id in the later model.</param>
/// <param name="Score">The score then and now.</param>
public sealed record ThemeValueChange(string Id, ValueChange Score);

/// <summary>The parameters of the intervals.</summary>
/// <param name="Seed">The seed of the bootstrap draws.</param>
/// <param name="Bootstrap">Bootstrap replicates.</param>
public sealed record EvolutionParameters(long Seed, int Bootstrap);
