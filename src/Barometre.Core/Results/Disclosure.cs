using Barometre.Core.Publication;
using Barometre.Core.Responses;

namespace Barometre.Core.Results;

/// <summary>Results as they may be shown to the public: figures under secrecy removed and listed.</summary>
/// <param name="Results">The results with every suppressed figure undefined, no individual score and no segment member.</param>
/// <param name="Suppressed">The ids of the suppressed figures (<see cref="FigureId"/>, plus « segment:&lt;label&gt; »).</param>
/// <param name="Decision">The secrecy decision of the filter.</param>
public sealed record PublicResults(BarometerResults Results, IReadOnlySet<string> Suppressed, FilterDecision Decision)
{
    /// <summary>Whether a figure is suppressed.</summary>
    public bool IsSuppressed(string figure) => Decision.Suppressed || Suppressed.Contains(figure);
}

/// <summary>
/// Applies a secrecy decision to results: the one place where figures are withheld, so that the
/// dashboard, the API and the exports show exactly the same things.
/// </summary>
public static class Disclosure
{
    /// <summary>The prefix of segment figures: a segment of fewer members than the threshold is withheld.</summary>
    public const string SegmentPrefix = "segment:";

    /// <summary>
    /// One filter of a published panel as the public sees it: the panel's frozen results for the whole panel,
    /// else the computation on the filter's respondents with the same seed, replicates and k (without the
    /// exact silhouette: O(n²), and nothing readers use for a selection), the plan's decision applied.
    /// </summary>
    public static PublicResults ForFilter(ResponseSet responses, BarometerResults wholePanel, SecrecyPlan plan, PanelFilter filter)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(wholePanel);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(filter);
        var decision = plan.Decide(filter);
        var parameters = wholePanel.Parameters;
        var results = filter.IsWholePanel
            ? wholePanel
            : Barometer.Compute(responses.Where(filter.Matches), new BarometerOptions { Seed = parameters.Seed, Bootstrap = parameters.Bootstrap, K = parameters.K, Silhouette = false });
        return Apply(results, decision, plan.Threshold);
    }

    /// <summary>
    /// The public form of <paramref name="results"/> (computed on the respondents of the decision's filter):
    /// individual scores and segment members dropped; suppressed questions (with their key indicators),
    /// themes, alphas and correlations undefined; theme ranks recomputed among the themes shown, so that a
    /// rank says nothing of a withheld mean; segments of fewer than <paramref name="threshold"/> members
    /// withheld.
    /// </summary>
    public static PublicResults Apply(BarometerResults results, FilterDecision decision, int threshold)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(decision);
        var hidden = new HashSet<string>(decision.SuppressedFigures, StringComparer.Ordinal);

        var questions = results.Questions.Select(q => decision.Shows(FigureId.Question(q.Id))
            ? q
            : q with { Answered = 0, Counts = [.. q.Counts.Select(_ => 0)], Shares = [.. q.Shares.Select(_ => (double?)null)], AtLeast = [.. q.AtLeast.Select(_ => (double?)null)] }).ToList();
        var indicators = results.Indicators.Select(i => decision.Shows(FigureId.Question(i.Question))
            ? i
            : i with { Count = 0, Answered = 0, Value = null, Ci95 = Interval.Undefined, Statement = "" }).ToList();

        var themes = results.Themes.Select(t => decision.Shows(FigureId.Theme(t.Id))
            ? t with { Alpha = decision.Shows(FigureId.Alpha(t.Id)) ? t.Alpha : null }
            : t with { Scored = 0, Mean = null, Median = null, Q1 = null, Q3 = null, Rank = null, Alpha = null, Ci95 = Interval.Undefined }).ToList();
        var ranked = themes.Select((t, i) => (t, i)).Where(x => x.t.Rank is not null).OrderBy(x => x.t.Rank).Select(x => x.i).ToList();
        for (var position = 0; position < ranked.Count; position++)
        {
            themes[ranked[position]] = themes[ranked[position]] with { Rank = position + 1 };
        }

        var secretCells = SecretCorrelations(results.Correlations.Themes, figure => !decision.Shows(figure));
        double?[][] Mask(IReadOnlyList<IReadOnlyList<double?>> matrix) =>
            [.. matrix.Select((row, i) => row.Select((value, j) => secretCells[i][j] ? null : value).ToArray())];
        var indexHidden = !decision.Shows(FigureId.Index);
        var groups = results.Segments.Groups.Select(g =>
        {
            if (HidesSegment(indexHidden, g.Size, threshold))
            {
                hidden.Add(SegmentPrefix + g.Label);
                return g with { Size = 0, MeanIndex = null, Centroid = g.Centroid.ToDictionary(c => c.Key, _ => (double?)null), Members = [] };
            }
            // A segment's centre on a withheld theme would say what the theme's mean hides.
            return g with { Members = [], Centroid = g.Centroid.ToDictionary(c => c.Key, c => decision.Shows(FigureId.Theme(c.Key)) ? c.Value : null) };
        }).ToList();

        var masked = results with
        {
            Respondents = decision.Suppressed ? 0 : results.Respondents,
            Questions = questions,
            Indicators = indicators,
            Themes = themes,
            Correlations = results.Correlations with { Pearson = Mask(results.Correlations.Pearson), Spearman = Mask(results.Correlations.Spearman), PValues = Mask(results.Correlations.PValues) },
            Segments = indexHidden ? results.Segments with { Silhouette = null, Inertia = null, Groups = groups } : results.Segments with { Groups = groups },
            Scores = [],
        };
        return new PublicResults(masked, hidden, decision);
    }

    /// <summary>
    /// Which cells of a correlation matrix between <paramref name="themes"/> are secret: those of a secret
    /// theme, and those of a secret pair off the diagonal (a theme with itself is no pair, so the diagonal
    /// depends on the theme alone). Every reader of correlations masks by this rule, so that none shows
    /// what another withholds.
    /// </summary>
    /// <param name="themes">The theme ids in model order, as the matrix rows and columns are.</param>
    /// <param name="isSuppressed">Whether a figure id (<see cref="FigureId"/>) is suppressed.</param>
    /// <returns>For each row then column, whether the cell is secret.</returns>
    public static bool[][] SecretCorrelations(IReadOnlyList<string> themes, Func<string, bool> isSuppressed)
    {
        ArgumentNullException.ThrowIfNull(themes);
        ArgumentNullException.ThrowIfNull(isSuppressed);
        var secretTheme = themes.Select(id => isSuppressed(FigureId.Theme(id))).ToArray();
        var cells = new bool[themes.Count][];
        for (var i = 0; i < themes.Count; i++)
        {
            cells[i] = new bool[themes.Count];
            for (var j = 0; j < themes.Count; j++)
            {
                cells[i][j] = secretTheme[i] || secretTheme[j]
                    || (i != j && isSuppressed(FigureId.Correlation(themes[Math.Min(i, j)], themes[Math.Max(i, j)])));
            }
        }
        return cells;
    }

    /// <summary>
    /// Whether a segment is withheld: the segmentation is of the respondents with a global index, so it is
    /// hidden with the index; and a segment of 1 to N − 1 members would describe a group below the threshold
    /// (an empty one describes nobody).
    /// </summary>
    /// <param name="indexHidden">Whether the global index of the segmented respondents is secret.</param>
    /// <param name="size">The segment's number of members.</param>
    /// <param name="threshold">The secrecy threshold N.</param>
    public static bool HidesSegment(bool indexHidden, int size, int threshold) => indexHidden || (size > 0 && size < threshold);
}
