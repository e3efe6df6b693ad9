using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Statistics;

namespace Barometre.Core;

/// <summary>
/// The one entry point of the computation: a panel's answers to a maturity model in, the results
/// contract out. The CLI, the closing of a campaign and the web's filtered results and benchmarks call
/// <see cref="Compute"/> (or <see cref="Start"/>); the reports render its results. The scoring rules it applies
/// are those of <see cref="Scoring"/>.
/// </summary>
/// <remarks>
/// Deterministic: the same responses and options give the same results, bit for bit, whatever the
/// number of threads. The seeded steps draw as the reference does (numpy's <c>default_rng(seed)</c>
/// for the bootstrap, scikit-learn's <c>KMeans(random_state=seed)</c> for the segments) over the
/// respondents in input order, so that the reference's results can be reproduced exactly; every other
/// statistic is independent of the order of the respondents.
/// </remarks>
public static class Barometer
{
    /// <summary>Segment labels for k = 3, from the most to the least mature.</summary>
    public static IReadOnlyList<string> ThreeSegmentLabels { get; } = ["Stratèges", "Pragmatiques", "Retardataires"];

    /// <summary>
    /// Compiles the computation's kernels now (<see cref="Kernels.Prepare"/>): a program that reads its input first
    /// (one core) can have the other core compile them meanwhile. Changes no result.
    /// </summary>
    /// <returns>The kernels compiled, as <c>Type.Method</c>.</returns>
    public static IReadOnlyList<string> PrepareKernels() =>
        Kernels.Prepare([typeof(Barometer), typeof(Silhouette), typeof(KMeans), typeof(Bootstrap), typeof(Correlation), typeof(Descriptive),
            typeof(Reliability), typeof(SeededRandom), typeof(ResultsJson), typeof(ThemeMapWriter), typeof(NumberTextCache),
            .. Bootstrap.KernelInstantiations, .. KMeans.KernelInstantiations]).Concat(Kernels.PrepareInstantiations(Silhouette.KernelInstantiations())).ToList();

    /// <summary>Computes the barometer of <paramref name="responses"/>.</summary>
    /// <param name="responses">The panel's answers.</param>
    /// <param name="options">Seed, bootstrap replicates and number of segments; the defaults when null.</param>
    public static BarometerResults Compute(ResponseSet responses, BarometerOptions? options = null) =>
        Start(responses, options).Complete();

    /// <summary>
    /// Computes the barometer of <paramref name="responses"/> but for the silhouette, which goes on in the background
    /// once the segments are known: the phases after it, and whatever the caller does with the rest of the results
    /// (<see cref="ResultsJson.Write(PendingResults, Stream)"/> formats them), run meanwhile.
    /// </summary>
    /// <param name="responses">The panel's answers.</param>
    /// <param name="options">Seed, bootstrap replicates and number of segments; the defaults when null.</param>
    public static PendingResults Start(ResponseSet responses, BarometerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(responses);
        options ??= BarometerOptions.Default;
        var model = responses.Model;
        var warnings = new List<string>();

        var timings = options.Timings ?? ComputationTimings.None;

        var scores = timings.Measure("scores de thème", () => ThemeScores(responses));
        var index = GlobalIndex(model, scores);
        var themeMeans = new double[model.Themes.Count];
        var themes = timings.Measure("statistiques de thème et alpha", () => ThemeStatistics(responses, scores, themeMeans));
        // Before the segments: the bootstrap's parallel loop then has both cores, not a share of the silhouette's.
        themes = timings.Measure("bootstrap", () => WithBootstrapIntervals(themes, scores, model.Themes.Count, options));
        var (segmentation, segmentOf, silhouette) = Segmentation(responses, scores, index, themeMeans, options, warnings, timings);
        try
        {
            var questions = timings.Measure("distributions des questions", () => QuestionDistributions(responses));
            var indicators = timings.Measure("indicateurs clés", () => KeyIndicators(responses));
            var correlations = timings.Measure("corrélations", () => Correlations(model, scores));
            var respondentScores = timings.Measure("scores des collectivités", () => RespondentScores(responses, scores, index, segmentOf, segmentation));

            var results = new BarometerResults(
                BarometerResults.CurrentSchemaVersion,
                model.Id,
                responses.Count,
                questions,
                indicators,
                themes,
                correlations,
                segmentation,
                respondentScores,
                new ComputationParameters(options.Seed, options.Bootstrap, options.K),
                warnings);
            return new PendingResults(results, silhouette);
        }
        catch when (silhouette is not null)
        {
            // Nothing may outlive the call that failed (whatever the silhouette's own outcome).
            ((IAsyncResult)silhouette).AsyncWaitHandle.WaitOne();
            throw;
        }
    }

    internal static List<QuestionResult> QuestionDistributions(ResponseSet responses)
    {
        var model = responses.Model;
        var q = model.Questions.Count;
        var levels = model.Scale.Count;
        var counts = new int[q * levels];
        var cells = responses.Cells;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            if (cell >= 0)
            {
                counts[((i % q) * levels) + cell]++;
            }
        }
        var results = new List<QuestionResult>(q);
        for (var j = 0; j < q; j++)
        {
            var row = counts.AsSpan(j * levels, levels).ToArray();
            var answered = row.Sum();
            var shares = new double?[levels];
            var atLeast = new double?[levels];
            var cumulative = 0;
            for (var level = levels - 1; level >= 0; level--)
            {
                cumulative += row[level];
                shares[level] = answered > 0 ? (double)row[level] / answered : null;
                atLeast[level] = answered > 0 ? (double)cumulative / answered : null;
            }
            var question = model.Questions[j];
            results.Add(new QuestionResult(question.Id, model.Themes[model.ThemeOfQuestion[j]].Id, answered, row, shares, atLeast));
        }
        return results;
    }

    private static List<IndicatorResult> KeyIndicators(ResponseSet responses)
    {
        var model = responses.Model;
        var results = new List<IndicatorResult>(model.Indicators.Count);
        foreach (var indicator in model.Indicators)
        {
            var question = model.IndexOfQuestion(indicator.QuestionId);
            int count = 0, answered = 0;
            for (var r = 0; r < responses.Count; r++)
            {
                var cell = responses[r, question];
                if (cell >= 0)
                {
                    answered++;
                    if (indicator.Predicate.IsSatisfiedBy(cell))
                    {
                        count++;
                    }
                }
            }
            double? value = answered > 0 ? (double)count / answered : null;
            var (low, high) = Proportion.Wilson(count, answered);
            results.Add(new IndicatorResult(
                indicator.Id,
                indicator.QuestionId,
                indicator.Predicate.ToString(),
                count,
                answered,
                value,
                new Interval(Defined(low), Defined(high)),
                indicator.FormatStatement(value)));
        }
        return results;
    }

    /// <summary>Row-major respondent × theme scores (<see cref="Scoring.ThemeScore(ReadOnlySpan{sbyte}, double)"/>), NaN where unscored.</summary>
    internal static double[] ThemeScores(ResponseSet responses)
    {
        var model = responses.Model;
        var t = model.Themes.Count;
        var factor = model.Scale.ScoreFactor;
        var scores = new double[responses.Count * t];
        for (var c = 0; c < responses.Count; c++)
        {
            var row = responses.Row(c);
            for (var theme = 0; theme < t; theme++)
            {
                scores[(c * t) + theme] = Scoring.ThemeScore(row.Slice(model.FirstQuestionOfTheme[theme], model.Themes[theme].Questions.Count), factor);
            }
        }
        return scores;
    }

    /// <summary>
    /// The step of which every theme score is a whole multiple — a score is 100/(L−1) × levels summed ÷ questions
    /// answered, so 100/(L−1) ÷ the least common multiple of the possible numbers of answers — or null when the
    /// multiples would be too large for <see cref="Silhouette"/>'s exact lattice distances.
    /// </summary>
    internal static double? ThemeScoreLattice(MaturityModel model)
    {
        long multiple = 1;
        foreach (var theme in model.Themes)
        {
            var size = theme.Questions.Count;
            for (var answered = Scoring.AnswersToScore(size); answered <= size && answered > 0; answered++)
            {
                multiple = multiple / (long)BigInteger.GreatestCommonDivisor(multiple, answered) * answered;
                if (multiple * model.Scale.MaxLevel > Silhouette.MaxLatticeCoordinate(model.Themes.Count))
                {
                    return null;
                }
            }
        }
        return model.Scale.ScoreFactor / multiple;
    }

    /// <summary>Each respondent's global index (<see cref="Scoring.GlobalIndex"/>), NaN where there is none.</summary>
    private static double[] GlobalIndex(MaturityModel model, double[] scores)
    {
        var t = model.Themes.Count;
        var weights = new double[t];
        for (var theme = 0; theme < t; theme++)
        {
            weights[theme] = model.Themes[theme].Weight;
        }
        var index = new double[scores.Length / t];
        for (var c = 0; c < index.Length; c++)
        {
            index[c] = Scoring.GlobalIndex(scores.AsSpan(c * t, t), weights);
        }
        return index;
    }

    internal static List<ThemeResult> ThemeStatistics(ResponseSet responses, double[] scores, double[] means)
    {
        var model = responses.Model;
        var t = model.Themes.Count;
        var n = responses.Count;
        var column = new double[n];
        var codes = new int[n];
        var results = new ThemeResult[t];
        for (var theme = 0; theme < t; theme++)
        {
            var count = DefinedScores(scores, t, theme, column);
            var values = column.AsSpan(0, count);
            means[theme] = Descriptive.Mean(values);
            // Scores take few distinct values: count them rather than sort the column for its quartiles.
            var distinct = Descriptive.CodeByDistinctValue(values, codes);
            var cumulative = Descriptive.CumulativeCounts(codes.AsSpan(0, count), distinct.Length);
            results[theme] = new ThemeResult(
                model.Themes[theme].Id,
                model.Themes[theme].Title,
                count,
                Defined(means[theme]),
                Defined(Descriptive.QuantileOfCounted(distinct, cumulative, 0.5)),
                Defined(Descriptive.QuantileOfCounted(distinct, cumulative, 0.25)),
                Defined(Descriptive.QuantileOfCounted(distinct, cumulative, 0.75)),
                Rank: null,
                // Over the respondents who answered all the theme's questions.
                Defined(Reliability.CronbachAlphaOfLevels(responses.Cells, model.Questions.Count, model.FirstQuestionOfTheme[theme], model.Themes[theme].Questions.Count)),
                Interval.Undefined);
        }

        var ranks = new int[t];
        Scoring.RankThemes(means, ranks);
        for (var theme = 0; theme < t; theme++)
        {
            if (ranks[theme] > 0)
            {
                results[theme] = results[theme] with { Rank = ranks[theme] };
            }
        }
        return [.. results];
    }

    /// <summary>The defined scores of a theme, in respondent order, written to <paramref name="into"/>; returns their number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DefinedScores(double[] scores, int t, int theme, double[] into)
    {
        var count = 0;
        for (var i = theme; i < scores.Length; i += t)
        {
            if (!double.IsNaN(scores[i]))
            {
                into[count++] = scores[i];
            }
        }
        return count;
    }

    internal static CorrelationResults Correlations(MaturityModel model, double[] scores)
    {
        var t = model.Themes.Count;
        var pearson = NewMatrix(t);
        var spearman = NewMatrix(t);
        var pValues = NewMatrix(t);
        // Pairwise complete observations: respondents scored on both themes.
        var correlations = Correlation.PairwiseComplete(scores, t);
        for (var i = 0; i < t; i++)
        {
            for (var j = i; j < t; j++)
            {
                var r = correlations.Pearson(i, j);
                if (double.IsNaN(r))
                {
                    continue;
                }
                if (i == j)
                {
                    pearson[i][i] = 1.0;
                    spearman[i][i] = 1.0;
                    pValues[i][i] = 0.0;
                    continue;
                }
                pearson[i][j] = pearson[j][i] = r;
                spearman[i][j] = spearman[j][i] = Defined(correlations.Spearman(i, j));
                pValues[i][j] = pValues[j][i] = Defined(Correlation.PValue(r, correlations.Pairs(i, j)));
            }
        }
        return new CorrelationResults(
            [.. model.Themes.Select(theme => theme.Id)],
            pearson,
            spearman,
            pValues);

        static double?[][] NewMatrix(int size) => [.. Enumerable.Range(0, size).Select(_ => new double?[size])];
    }

    /// <summary>
    /// k-means on the theme-score vectors of respondents with a global index (missing theme scores
    /// imputed with the panel's theme mean); segments ordered by decreasing mean global index.
    /// </summary>
    /// <returns>The segments (their silhouette null) and the silhouette being computed, when there is one to compute.</returns>
    private static (SegmentationResult Result, int[] SegmentOfRespondent, Task<double?>? Silhouette) Segmentation(
        ResponseSet responses, double[] scores, double[] index, double[] themeMeans, BarometerOptions options, List<string> warnings, ComputationTimings timings)
    {
        var model = responses.Model;
        var t = model.Themes.Count;
        var k = options.K;
        var segmentOf = new int[responses.Count];
        Array.Fill(segmentOf, -1);
        // The respondents with a global index, in panel order (a loop: LINQ over 40,000 values is not precompiled).
        var withIndex = 0;
        foreach (var value in index)
        {
            withIndex += double.IsNaN(value) ? 0 : 1;
        }
        var members = new int[withIndex];
        for (int c = 0, m = 0; c < responses.Count; c++)
        {
            if (!double.IsNaN(index[c]))
            {
                members[m++] = c;
            }
        }
        if (members.Length < k)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Segmentation impossible : {members.Length} collectivité(s) ont un indice global, il en faut au moins {k} pour former {k} segments. Les segments sont laissés vides ; le reste des résultats est calculé."));
            return (new SegmentationResult(k, null, null, []), segmentOf, null);
        }

        var points = new double[members.Length * t];
        for (var m = 0; m < members.Length; m++)
        {
            for (var theme = 0; theme < t; theme++)
            {
                var score = scores[(members[m] * t) + theme];
                points[(m * t) + theme] = !double.IsNaN(score) ? score : double.IsNaN(themeMeans[theme]) ? 0 : themeMeans[theme];
            }
        }
        var fit = timings.Measure("k-means", () => KMeans.Fit(points, t, k, options.KMeansRestarts, options.Seed));

        // Each cluster's members in panel order, in one pass; the clusters ranked by their members' mean global index.
        var clusterStarts = new int[k + 1];
        foreach (var cluster in fit.Labels)
        {
            clusterStarts[cluster + 1]++;
        }
        for (var cluster = 0; cluster < k; cluster++)
        {
            clusterStarts[cluster + 1] += clusterStarts[cluster];
        }
        var byCluster = new int[members.Length];
        var next = clusterStarts[..k];
        for (var m = 0; m < members.Length; m++)
        {
            byCluster[next[fit.Labels[m]]++] = m;
        }
        var clusterMeanIndex = new double[k];
        var indexValues = new double[members.Length];
        for (var cluster = 0; cluster < k; cluster++)
        {
            var values = indexValues.AsSpan(clusterStarts[cluster], clusterStarts[cluster + 1] - clusterStarts[cluster]);
            for (var v = 0; v < values.Length; v++)
            {
                values[v] = index[members[byCluster[clusterStarts[cluster] + v]]];
            }
            clusterMeanIndex[cluster] = values.Length > 0 ? Descriptive.Mean(values) : double.NegativeInfinity;
        }
        var byMaturity = Enumerable.Range(0, k).OrderByDescending(cluster => clusterMeanIndex[cluster]).ToArray();
        var position = new int[k];
        for (var p = 0; p < k; p++)
        {
            position[byMaturity[p]] = p;
        }
        var labels = new int[members.Length];
        for (var m = 0; m < members.Length; m++)
        {
            labels[m] = position[fit.Labels[m]];
        }

        // The silhouette needs only the labels: it starts before the segments are described.
        var nonEmpty = Enumerable.Range(0, k).Count(cluster => clusterStarts[cluster + 1] > clusterStarts[cluster]);
        var silhouette = options.Silhouette && nonEmpty >= 2 && nonEmpty <= members.Length - 1
            ? SilhouetteInBackground(points, t, labels, k, ThemeScoreLattice(model), timings.Begin("silhouette"))
            : null;

        var groups = new List<Segment>(k);
        for (var g = 0; g < k; g++)
        {
            var cluster = byMaturity[g];
            var inGroup = byCluster.AsSpan(clusterStarts[cluster], clusterStarts[cluster + 1] - clusterStarts[cluster]);
            var codes = new string[inGroup.Length];
            for (var i = 0; i < inGroup.Length; i++)
            {
                segmentOf[members[inGroup[i]]] = g;
                codes[i] = responses.Respondents[members[inGroup[i]]].Code;
            }
            var centroidByTheme = new Dictionary<string, double?>(t, StringComparer.Ordinal);
            for (var theme = 0; theme < t; theme++)
            {
                centroidByTheme[model.Themes[theme].Id] = double.IsNaN(themeMeans[theme]) ? null : Defined(fit.Centroids[(cluster * t) + theme]);
            }
            groups.Add(new Segment(
                k == 3 ? ThreeSegmentLabels[g] : string.Create(CultureInfo.InvariantCulture, $"Segment {g + 1}"),
                inGroup.Length,
                inGroup.Length > 0 ? clusterMeanIndex[cluster] : null,
                centroidByTheme,
                codes));
        }
        return (new SegmentationResult(k, null, fit.Inertia, groups), segmentOf, silhouette);
    }

    private static Task<double?> SilhouetteInBackground(double[] points, int t, int[] labels, int k, double? latticeUnit, ComputationTimings.RunningPhase phase) =>
        Task.Run(() =>
        {
            try
            {
                return Defined(Silhouette.Mean(points, t, labels, k, latticeUnit, maxDegreeOfParallelism: -1));
            }
            finally
            {
                phase.End();
            }
        });

    private static List<ThemeResult> WithBootstrapIntervals(List<ThemeResult> themes, double[] scores, int t, BarometerOptions options)
    {
        var intervals = Bootstrap.MeanIntervals(scores, t, options.Bootstrap, options.Seed);
        return [.. themes.Select((theme, i) => theme with { Ci95 = new Interval(Defined(intervals[i].Low), Defined(intervals[i].High)) })];
    }

    private static List<RespondentScore> RespondentScores(
        ResponseSet responses, double[] scores, double[] index, int[] segmentOf, SegmentationResult segmentation)
    {
        var model = responses.Model;
        // The respondents' theme scores are rows of one shared table, not a dictionary each. The table keeps
        // the score array itself: ThemeScores sized it exactly respondents × themes and nothing writes to it
        // after this last step.
        var themeScores = new ThemeScoreTable([.. model.Themes.Select(theme => theme.Id)], scores);
        var results = new List<RespondentScore>(responses.Count);
        for (var r = 0; r < responses.Count; r++)
        {
            var respondent = responses.Respondents[r];
            results.Add(new RespondentScore(
                respondent.Code,
                respondent.Name,
                respondent.Type,
                Defined(index[r]),
                themeScores.Row(r),
                segmentOf[r] >= 0 ? segmentation.Groups[segmentOf[r]].Label : null));
        }
        return results;
    }

    private static double? Defined(double value) => double.IsNaN(value) || double.IsInfinity(value) ? null : value;
}
