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
        bool Shown(string figure) => !decision.Suppressed && !hidden.Contains(figure);

        var questions = results.Questions.Select(q => Shown(FigureId.Question(q.Id))
            ? q
            : q with { Answered = 0, Counts = [.. q.Counts.Select(_ => 0)], Shares = [.. q.Shares.Select(_ => (double?)null)], AtLeast = [.. q.AtLeast.Select(_ => (double?)null)] }).ToList();
        var indicators = results.Indicators.Select(i => Shown(FigureId.Question(i.Question))
            ? i
            : i with { Count = 0, Answered = 0, Value = null, Ci95 = Interval.Undefined, Statement = "" }).ToList();

        var themes = results.Themes.Select(t => Shown(FigureId.Theme(t.Id))
            ? t with { Alpha = Shown(FigureId.Alpha(t.Id)) ? t.Alpha : null }
            : t with { Scored = 0, Mean = null, Median = null, Q1 = null, Q3 = null, Rank = null, Alpha = null, Ci95 = Interval.Undefined }).ToList();
        var ranked = themes.Select((t, i) => (t, i)).Where(x => x.t.Rank is not null).OrderBy(x => x.t.Rank).Select(x => x.i).ToList();
        for (var position = 0; position < ranked.Count; position++)
        {
            themes[ranked[position]] = themes[ranked[position]] with { Rank = position + 1 };
        }

        var ids = results.Correlations.Themes;
        double?[][] Mask(IReadOnlyList<IReadOnlyList<double?>> matrix) =>
            [.. matrix.Select((row, i) => row.Select((value, j) =>
                Shown(FigureId.Theme(ids[i])) && Shown(FigureId.Theme(ids[j])) && (i == j || Shown(FigureId.Correlation(ids[Math.Min(i, j)], ids[Math.Max(i, j)]))) ? value : null).ToArray())];
        var groups = results.Segments.Groups.Select(g =>
        {
            // The segmentation is of the respondents with a global index: hidden with it.
            if (decision.Suppressed || !Shown(FigureId.Index) || (g.Size > 0 && g.Size < threshold))
            {
                hidden.Add(SegmentPrefix + g.Label);
                return g with { Size = 0, MeanIndex = null, Centroid = g.Centroid.ToDictionary(c => c.Key, _ => (double?)null), Members = [] };
            }
            // A segment's centre on a withheld theme would say what the theme's mean hides.
            return g with { Members = [], Centroid = g.Centroid.ToDictionary(c => c.Key, c => Shown(FigureId.Theme(c.Key)) ? c.Value : null) };
        }).ToList();

        var masked = results with
        {
            Respondents = decision.Suppressed ? 0 : results.Respondents,
            Questions = questions,
            Indicators = indicators,
            Themes = themes,
            Correlations = results.Correlations with { Pearson = Mask(results.Correlations.Pearson), Spearman = Mask(results.Correlations.Spearman), PValues = Mask(results.Correlations.PValues) },
            Segments = decision.Suppressed || !Shown(FigureId.Index) ? results.Segments with { Silhouette = null, Inertia = null, Groups = groups } : results.Segments with { Groups = groups },
            Scores = [],
        };
        return new PublicResults(masked, hidden, decision);
    }
}
