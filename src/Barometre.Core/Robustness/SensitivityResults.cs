namespace Barometre.Core.Robustness;

/// <summary>
/// How stable the published theme ranking and segments are when the question and theme weights vary
/// (<see cref="WeightSensitivity.Analyse(Responses.ResponseSet, Results.BarometerResults, SensitivityOptions?)"/>).
/// </summary>
/// <param name="Draws">Number of weight draws.</param>
/// <param name="Seed">Seed of the draws.</param>
/// <param name="MinFactor">Lower bound of the weight factors.</param>
/// <param name="MaxFactor">Upper bound of the weight factors.</param>
/// <param name="Themes">Per theme, in model order: the stability of its rank.</param>
/// <param name="SegmentedRespondents">Respondents in a published segment (0 when the panel was not segmented).</param>
/// <param name="ShareKeepingSegmentAtLeast90">
/// Share of the segmented respondents that keep their segment in at least 90 % of the draws
/// (<see cref="RespondentSegmentStability.KeepShare"/> ≥ 0.9); null when the panel was not segmented.
/// </param>
/// <param name="Segments">Per published segment, in published order; empty when the panel was not segmented.</param>
/// <param name="Respondents">Per segmented respondent, in input order; empty when the panel was not segmented.</param>
public sealed record SensitivityResults(
    int Draws,
    long Seed,
    double MinFactor,
    double MaxFactor,
    IReadOnlyList<ThemeRankStability> Themes,
    int SegmentedRespondents,
    double? ShareKeepingSegmentAtLeast90,
    IReadOnlyList<SegmentStability> Segments,
    IReadOnlyList<RespondentSegmentStability> Respondents);

/// <summary>The ranks one theme takes over the draws.</summary>
/// <param name="Id">The theme id.</param>
/// <param name="PublishedRank">Its published rank (1 = highest mean); null when the theme has no mean.</param>
/// <param name="KeepRankShare">Share of the draws that give it its published rank; null when it is unranked.</param>
/// <param name="RankCounts">
/// Draws per rank: element r − 1 counts the draws that rank the theme r, for r = 1 … number of themes;
/// all 0 when it is unranked.
/// </param>
/// <param name="MedianRank">Median of its ranks over the draws; null when it is unranked.</param>
/// <param name="Rank5">5th percentile of its ranks over the draws (linear interpolation, numpy's default); null when unranked.</param>
/// <param name="Rank95">95th percentile of its ranks over the draws (linear interpolation); null when unranked.</param>
public sealed record ThemeRankStability(
    string Id,
    int? PublishedRank,
    double? KeepRankShare,
    IReadOnlyList<int> RankCounts,
    double? MedianRank,
    double? Rank5,
    double? Rank95);

/// <summary>How often one published segment's members keep it, on average.</summary>
/// <param name="Label">The published label.</param>
/// <param name="Size">Its published number of members.</param>
/// <param name="MeanKeepShare">
/// Mean <see cref="RespondentSegmentStability.KeepShare"/> of its members (kept member-draws over
/// size × draws); null for an empty segment.
/// </param>
public sealed record SegmentStability(string Label, int Size, double? MeanKeepShare);

/// <summary>How often one segmented respondent keeps its published segment.</summary>
/// <param name="Code">The respondent's code.</param>
/// <param name="PublishedSegment">The label of its published segment.</param>
/// <param name="KeepShare">Share of the draws that give it the same label.</param>
public sealed record RespondentSegmentStability(string Code, string PublishedSegment, double KeepShare);
