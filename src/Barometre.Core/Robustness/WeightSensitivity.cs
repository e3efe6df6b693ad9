using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Statistics;

namespace Barometre.Core.Robustness;

/// <summary>
/// Weight-sensitivity (robustness) analysis of a published barometer, as composite-indicator handbooks
/// ask (OECD/JRC 2008): how stable the theme ranking and each collectivité's segment are when the
/// question and theme weights vary at random around the published ones.
/// </summary>
/// <remarks>
/// <para>
/// Each draw d has its own generator <c>SeededRandom.ForStream(seed, d)</c> — numpy's
/// <c>default_rng(SeedSequence(seed, spawn_key=(d,)))</c> — which draws, with <c>random()</c>, a factor
/// g_q = min + (max − min)·u for every question in model order, then a factor f_t the same way for
/// every theme. In the draw:
/// </para>
/// <list type="number">
/// <item>a respondent's theme score is Σ g_q·level / Σ g_q over its answered questions of the theme,
/// × 100/(L − 1) (<see cref="Scoring.ThemeScore(ReadOnlySpan{sbyte}, ReadOnlySpan{double}, double)"/>); it is
/// undefined under the published threshold (<see cref="Scoring.IsThemeScored"/>: counts and not weights, so the
/// same cells are defined in every draw);</item>
/// <item>theme means over the scored respondents are ranked as published (<see cref="Scoring.RankThemes(ReadOnlySpan{double}, Span{int})"/>);</item>
/// <item>the global index is Σ w_t·f_t·S_t / Σ w_t·f_t over the respondent's scored themes (w_t the
/// model's weight; <see cref="Scoring.GlobalIndex"/>), undefined under the published threshold
/// (<see cref="Scoring.HasGlobalIndex"/>);</item>
/// <item>the respondents of the published segments — exactly those with a global index — are
/// re-segmented without random restart, so that labels stay comparable: missing theme scores imputed
/// with the draw's theme means, theme t scaled by √f_t (a weighted Euclidean distance), Lloyd
/// iterations started from the centroids of the published segments' members (nearest centroid, ties to
/// the lowest published position; new means, kept as coordinate sums from which the reassigned points
/// move; until no assignment changes, at most <see cref="MaxIterations"/> assignments; a segment that
/// empties keeps its centroid, a segment empty in the published results stays empty); the segments are
/// then ordered by decreasing mean global index of the draw and take the published labels in that order.
/// A respondent keeps its segment when its label is the published one.</item>
/// </list>
/// <para>
/// With every factor equal to 1 (MinFactor = MaxFactor = 1) a draw reproduces the published ranks and
/// segments: the scores, means and centred points are computed in the same order as
/// <see cref="Barometer.Compute"/> and <see cref="KMeans"/>, and the published k-means partition is a
/// fixed point of Lloyd's iterations. (The only exception would be a point exactly equidistant from two
/// centroids, which the published k-means breaks by scikit-learn's cluster numbers, unknown here.)
/// </para>
/// <para>
/// Draws run in parallel; every draw writes its own results and the per-respondent counts are integer
/// sums, so the results depend on the seed only, not on the number of threads.
/// </para>
/// </remarks>
public static class WeightSensitivity
{
    /// <summary>Lloyd assignments allowed per draw (as scikit-learn's default).</summary>
    public const int MaxIterations = 300;

    /// <summary>Analyses how the published theme ranking and segments of <paramref name="published"/> resist weight changes.</summary>
    /// <param name="responses">The panel's answers, as given to <see cref="Barometer.Compute"/>.</param>
    /// <param name="published">The published results computed from <paramref name="responses"/>.</param>
    /// <param name="options">Number of draws, seed and factor range; <see cref="SensitivityOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="published"/> was not computed from <paramref name="responses"/>: other themes, other
    /// respondents, or segments whose members are not the respondents with a global index.
    /// </exception>
    public static SensitivityResults Analyse(ResponseSet responses, BarometerResults published, SensitivityOptions? options = null) =>
        Analyse(responses, published, options, maxDegreeOfParallelism: -1);

    /// <summary>As the public overload, on at most <paramref name="maxDegreeOfParallelism"/> threads (−1: as many as useful).</summary>
    internal static SensitivityResults Analyse(ResponseSet responses, BarometerResults published, SensitivityOptions? options, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(published);
        options ??= SensitivityOptions.Default;
        var panel = new Panel(responses, published);
        var draws = options.Draws;
        var t = panel.ThemeCount;
        var ranks = new int[draws * t];
        var kept = new int[panel.Members.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var path = Kernels.Path;
        Parallel.For(
            0,
            draws,
            parallel,
            () => new Workspace(panel, path),
            (d, _, workspace) =>
            {
                workspace.Run(SeededRandom.ForStream(options.Seed, d), options.MinFactor, options.MaxFactor, ranks.AsSpan(d * t, t));
                return workspace;
            },
            workspace =>
            {
                lock (kept)
                {
                    for (var i = 0; i < kept.Length; i++)
                    {
                        kept[i] += workspace.Kept[i];
                    }
                }
            });
        return Summarise(panel, options, ranks, kept);
    }

    private static SensitivityResults Summarise(Panel panel, SensitivityOptions options, int[] ranks, int[] kept)
    {
        var draws = options.Draws;
        var t = panel.ThemeCount;
        var themes = new ThemeRankStability[t];
        var sorted = new double[draws];
        for (var theme = 0; theme < t; theme++)
        {
            var counts = new int[t];
            var same = 0;
            var ranked = 0;
            for (var d = 0; d < draws; d++)
            {
                var rank = ranks[(d * t) + theme];
                if (rank > 0)
                {
                    counts[rank - 1]++;
                    sorted[ranked++] = rank;
                    if (rank == panel.PublishedRanks[theme])
                    {
                        same++;
                    }
                }
            }
            var values = sorted.AsSpan(0, ranked);
            values.Sort();
            themes[theme] = new ThemeRankStability(
                panel.ThemeIds[theme],
                panel.PublishedRanks[theme],
                panel.PublishedRanks[theme] is null ? null : (double)same / draws,
                Array.AsReadOnly(counts),
                ranked > 0 ? Descriptive.QuantileOfSorted(values, 0.5) : null,
                ranked > 0 ? Descriptive.QuantileOfSorted(values, 0.05) : null,
                ranked > 0 ? Descriptive.QuantileOfSorted(values, 0.95) : null);
        }

        var m = panel.Members.Length;
        var respondents = new RespondentSegmentStability[m];
        var keptBySegment = new long[panel.SegmentLabels.Length];
        var stable = 0;
        for (var i = 0; i < m; i++)
        {
            var segment = panel.PublishedSegments[i];
            respondents[i] = new RespondentSegmentStability(panel.MemberCodes[i], panel.SegmentLabels[segment], (double)kept[i] / draws);
            keptBySegment[segment] += kept[i];
            // KeepShare ≥ 0.9, on integers: kept / draws ≥ 9 / 10.
            if ((long)kept[i] * 10 >= (long)draws * 9)
            {
                stable++;
            }
        }
        var segments = new SegmentStability[panel.SegmentLabels.Length];
        for (var g = 0; g < segments.Length; g++)
        {
            var size = panel.SegmentSizes[g];
            segments[g] = new SegmentStability(
                panel.SegmentLabels[g],
                size,
                size > 0 ? keptBySegment[g] / ((double)size * draws) : null);
        }
        return new SensitivityResults(
            draws,
            options.Seed,
            options.MinFactor,
            options.MaxFactor,
            Array.AsReadOnly(themes),
            m,
            m > 0 ? (double)stable / m : null,
            Array.AsReadOnly(segments),
            Array.AsReadOnly(respondents));
    }

    /// <summary>What every draw reads: the panel's levels, the count-based thresholds and the published results. Read-only once built.</summary>
    internal sealed class Panel
    {
        public Panel(ResponseSet responses, BarometerResults published)
        {
            var model = responses.Model;
            Count = responses.Count;
            QuestionCount = model.Questions.Count;
            ThemeCount = model.Themes.Count;
            ScoreFactor = model.Scale.ScoreFactor;
            int n = Count, q = QuestionCount, t = ThemeCount;

            ThemeIds = [.. model.Themes.Select(theme => theme.Id)];
            ThemeWeights = [.. model.Themes.Select(theme => theme.Weight)];
            FirstQuestion = [.. model.FirstQuestionOfTheme];
            ThemeSizes = [.. model.Themes.Select(theme => theme.Questions.Count)];

            // A theme score depends only on the answers to the theme's questions: each theme's distinct
            // answer patterns are scored once per draw, and every respondent points to its pattern.
            var cells = responses.Cells;
            PatternOf = new int[n * t];
            PatternLevels = new double[t][];
            PatternPresent = new double[t][];
            PatternScored = new bool[t][];
            ThemeHasScore = new bool[t];
            var scoredThemes = new int[n];
            for (var theme = 0; theme < t; theme++)
            {
                var size = ThemeSizes[theme];
                var first = FirstQuestion[theme];
                var ids = new Dictionary<string, int>(StringComparer.Ordinal);
                var lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
                var key = new char[size];
                var levels = new List<double>();
                var present = new List<double>();
                var scored = new List<bool>();
                for (var r = 0; r < n; r++)
                {
                    var answers = cells.Slice((r * q) + first, size);
                    for (var j = 0; j < size; j++)
                    {
                        key[j] = (char)('A' + answers[j] - CellCode.NotConcerned);
                    }
                    if (!lookup.TryGetValue(key.AsSpan(), out var id))
                    {
                        id = scored.Count;
                        lookup.TryAdd(key.AsSpan(), id);
                        var answered = 0;
                        foreach (var cell in answers)
                        {
                            levels.Add(cell >= 0 ? cell : 0);
                            present.Add(cell >= 0 ? 1 : 0);
                            answered += cell >= 0 ? 1 : 0;
                        }
                        scored.Add(Scoring.IsThemeScored(answered, size));
                    }
                    PatternOf[(theme * n) + r] = id;
                    if (scored[id])
                    {
                        ThemeHasScore[theme] = true;
                        scoredThemes[r]++;
                    }
                }
                PatternLevels[theme] = [.. levels];
                PatternPresent[theme] = [.. present];
                PatternScored[theme] = [.. scored];
            }
            var hasIndex = new bool[n];
            for (var r = 0; r < n; r++)
            {
                hasIndex[r] = Scoring.HasGlobalIndex(scoredThemes[r], t);
            }

            if (published.Themes.Count != t)
            {
                throw new ArgumentException($"The published results have {published.Themes.Count} themes, the model {model.Id} has {t}.", nameof(published));
            }
            PublishedRanks = new int?[t];
            for (var theme = 0; theme < t; theme++)
            {
                var result = published.Themes[theme];
                if (!string.Equals(result.Id, ThemeIds[theme], StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Published theme {theme + 1} is {result.Id}, the model's is {ThemeIds[theme]}.", nameof(published));
                }
                if (result.Rank.HasValue != ThemeHasScore[theme])
                {
                    throw new ArgumentException($"Theme {result.Id}: the published rank does not match the responses.", nameof(published));
                }
                PublishedRanks[theme] = result.Rank;
            }
            if (published.Respondents != n)
            {
                throw new ArgumentException($"The published results count {published.Respondents} respondents, the responses {n}.", nameof(published));
            }

            // Published segments by position (decreasing maturity), their members mapped to rows.
            var groups = published.Segments.Groups;
            SegmentLabels = [.. groups.Select(group => group.Label)];
            SegmentSizes = [.. groups.Select(group => group.Size)];
            var segmentOf = new int[n];
            Array.Fill(segmentOf, -1);
            if (groups.Count > 0)
            {
                var row = new Dictionary<string, int>(n, StringComparer.Ordinal);
                for (var r = 0; r < n; r++)
                {
                    row[responses.Respondents[r].Code] = r;
                }
                for (var g = 0; g < groups.Count; g++)
                {
                    if (groups[g].Members.Count != groups[g].Size)
                    {
                        throw new ArgumentException($"Published segment {groups[g].Label} lists {groups[g].Members.Count} members for a size of {groups[g].Size}.", nameof(published));
                    }
                    foreach (var code in groups[g].Members)
                    {
                        if (!row.TryGetValue(code, out var r) || !hasIndex[r] || segmentOf[r] >= 0)
                        {
                            throw new ArgumentException($"Published segment member {code} is not a respondent with a global index, or is in two segments.", nameof(published));
                        }
                        segmentOf[r] = g;
                    }
                }
                for (var r = 0; r < n; r++)
                {
                    if (hasIndex[r] && segmentOf[r] < 0)
                    {
                        throw new ArgumentException($"Respondent {responses.Respondents[r].Code} has a global index but no published segment.", nameof(published));
                    }
                }
            }
            var members = new List<int>();
            for (var r = 0; r < n; r++)
            {
                if (segmentOf[r] >= 0)
                {
                    members.Add(r);
                }
            }
            Members = [.. members];
            PublishedSegments = [.. members.Select(r => segmentOf[r])];
            MemberCodes = [.. members.Select(r => responses.Respondents[r].Code)];
        }

        public int Count { get; }

        public int QuestionCount { get; }

        public int ThemeCount { get; }

        public double ScoreFactor { get; }

        public string[] ThemeIds { get; }

        public double[] ThemeWeights { get; }

        public int[] FirstQuestion { get; }

        public int[] ThemeSizes { get; }

        /// <summary>Theme-major (theme × respondent): the index of the respondent's answer pattern in its theme.</summary>
        public int[] PatternOf { get; }

        /// <summary>Per theme, pattern-major (pattern × question of the theme) levels, 0 where no level was given.</summary>
        public double[][] PatternLevels { get; }

        /// <summary>Per theme, pattern-major: 1 where a level was given, else 0.</summary>
        public double[][] PatternPresent { get; }

        /// <summary>Per theme and pattern: whether the pattern is scored (<see cref="Scoring.IsThemeScored"/>).</summary>
        public bool[][] PatternScored { get; }

        public bool[] ThemeHasScore { get; }

        public int?[] PublishedRanks { get; }

        public string[] SegmentLabels { get; }

        public int[] SegmentSizes { get; }

        /// <summary>Rows of the segmented respondents, in input order.</summary>
        public int[] Members { get; }

        /// <summary>Published segment position (0 = most mature) of each member.</summary>
        public int[] PublishedSegments { get; }

        public string[] MemberCodes { get; }
    }

    /// <summary>
    /// One thread's buffers, reused from draw to draw, and its count of kept segments per member. The scores are the
    /// fast path of <see cref="Scoring"/>'s functions: each answer pattern scored once, in columns (a test checks
    /// them against the plain functions).
    /// </summary>
    internal sealed class Workspace
    {
        private readonly Panel _panel;
        private readonly double[] _questionFactors;
        private readonly double[] _themeFactors;
        private readonly double[] _weightedThemes;
        private readonly double[] _scales;
        private readonly double[] _scores;
        private readonly double[][] _patternScores;
        private readonly double[] _column;
        private readonly double[] _means;
        private readonly double[] _keys;
        private readonly int[] _order;
        private readonly double[] _index;
        private readonly VectorPath _path;
        private readonly int _stride;
        private readonly double[] _points;
        private readonly int[] _labels;
        private readonly int[] _nearest;
        private readonly double[] _centroids;
        private readonly double[] _sums;
        private readonly int[] _sizes;
        private readonly int[] _activeSegments;
        private readonly double[] _segmentIndex;
        private readonly int[] _segmentOrder;
        private readonly int[] _position;

        /// <param name="panel">The panel every draw reads.</param>
        /// <param name="path">The vector width of the assignment step (<see cref="Kernels.Path"/> when null); every path gives the same bits.</param>
        public Workspace(Panel panel, VectorPath? path = null)
        {
            _panel = panel;
            _path = path ?? Kernels.Path;
            int n = panel.Count, t = panel.ThemeCount, m = panel.Members.Length, k = panel.SegmentLabels.Length;
            _questionFactors = new double[panel.QuestionCount];
            _themeFactors = new double[t];
            _weightedThemes = new double[t];
            _scales = new double[t];
            _scores = new double[n * t];
            _patternScores = [.. panel.PatternScored.Select(scored => new double[scored.Length])];
            _column = new double[Math.Max(n, m)];
            _means = new double[t];
            _keys = new double[t];
            _order = new int[t];
            _index = new double[m];
            // Points in columns padded to whole registers of the path; the padding's nearest centroids are never read.
            var lanes = KMeans.LaneCount(_path);
            _stride = (m + lanes - 1) / lanes * lanes;
            _points = new double[t * _stride];
            _labels = new int[m];
            _nearest = new int[_stride];
            _centroids = new double[k * t];
            _sums = new double[k * t];
            _sizes = new int[k];
            _activeSegments = [.. Enumerable.Range(0, k).Where(c => panel.SegmentSizes[c] > 0)];
            _segmentIndex = new double[k];
            _segmentOrder = new int[k];
            _position = new int[k];
            Kept = new int[m];
        }

        /// <summary>Per member, the draws of this thread that kept its published segment.</summary>
        public int[] Kept { get; }

        /// <summary>The last draw's theme scores, theme-major (theme × respondent), NaN where unscored.</summary>
        internal ReadOnlySpan<double> Scores => _scores;

        /// <summary>The last draw's global index of each member (when there are segments).</summary>
        internal ReadOnlySpan<double> Indexes => _index;

        /// <summary>Runs one draw: writes the theme ranks (0 = unranked) to <paramref name="ranks"/> and counts kept segments.</summary>
        public void Run(SeededRandom rng, double minFactor, double maxFactor, Span<int> ranks)
        {
            var width = maxFactor - minFactor;
            for (var j = 0; j < _questionFactors.Length; j++)
            {
                _questionFactors[j] = minFactor + (width * rng.NextDouble());
            }
            for (var theme = 0; theme < _themeFactors.Length; theme++)
            {
                _themeFactors[theme] = minFactor + (width * rng.NextDouble());
                _weightedThemes[theme] = _panel.ThemeWeights[theme] * _themeFactors[theme];
                _scales[theme] = Math.Sqrt(_themeFactors[theme]);
            }
            ThemeScores();
            Scoring.RankThemes(_means, ranks, _keys, _order);
            if (_panel.Members.Length > 0)
            {
                Segment();
            }
        }

        /// <summary>
        /// Theme-major (theme × respondent) scores (<see cref="Scoring.ThemeScore(ReadOnlySpan{sbyte}, ReadOnlySpan{double}, double)"/>),
        /// NaN where unscored, through the answer patterns (each summed over its questions in model order, as the
        /// published scores; an unanswered question adds 0 to both sums); then each theme's mean over its scored
        /// respondents (numpy's pairwise sum, in input order, as published), NaN when nobody is scored.
        /// </summary>
        private void ThemeScores()
        {
            var panel = _panel;
            int n = panel.Count, t = panel.ThemeCount;
            var g = _questionFactors;
            var factor = panel.ScoreFactor;
            for (var theme = 0; theme < t; theme++)
            {
                var size = panel.ThemeSizes[theme];
                var first = panel.FirstQuestion[theme];
                var levels = panel.PatternLevels[theme];
                var present = panel.PatternPresent[theme];
                var scored = panel.PatternScored[theme];
                var patternScores = _patternScores[theme];
                for (var p = 0; p < patternScores.Length; p++)
                {
                    if (!scored[p])
                    {
                        patternScores[p] = double.NaN;
                        continue;
                    }
                    double weighted = 0, weights = 0;
                    var offset = p * size;
                    for (var j = 0; j < size; j++)
                    {
                        weighted += levels[offset + j] * g[first + j];
                        weights += present[offset + j] * g[first + j];
                    }
                    patternScores[p] = Scoring.ThemeScore(weighted, weights, factor);
                }

                var patternOf = panel.PatternOf.AsSpan(theme * n, n);
                var scores = _scores.AsSpan(theme * n, n);
                var count = 0;
                for (var r = 0; r < n; r++)
                {
                    var score = patternScores[patternOf[r]];
                    scores[r] = score;
                    if (!double.IsNaN(score))
                    {
                        _column[count++] = score;
                    }
                }
                _means[theme] = Descriptive.Mean(_column.AsSpan(0, count));
            }
        }

        private void Segment()
        {
            var panel = _panel;
            var m = panel.Members.Length;
            var k = _sizes.Length;
            IndexAndPoints();
            for (var i = 0; i < m; i++)
            {
                _labels[i] = panel.PublishedSegments[i];
            }
            SumMembers();
            SetCentroids();
            for (var iteration = 0; iteration < MaxIterations; iteration++)
            {
                if (Assign() == 0)
                {
                    break;
                }
                SetCentroids();
            }

            // Segments by decreasing mean index of the draw (stable: ties keep the published order), then
            // published labels in that order; each segment's indexes gathered in member order for numpy's mean.
            Span<int> next = stackalloc int[k];
            var start = 0;
            for (var c = 0; c < k; c++)
            {
                next[c] = start;
                start += _sizes[c];
            }
            for (var i = 0; i < m; i++)
            {
                _column[next[_labels[i]]++] = _index[i];
            }
            start = 0;
            for (var c = 0; c < k; c++)
            {
                _segmentIndex[c] = _sizes[c] > 0 ? Descriptive.Mean(_column.AsSpan(start, _sizes[c])) : double.NegativeInfinity;
                start += _sizes[c];
                var position = c;
                while (position > 0 && _segmentIndex[_segmentOrder[position - 1]] < _segmentIndex[c])
                {
                    _segmentOrder[position] = _segmentOrder[position - 1];
                    position--;
                }
                _segmentOrder[position] = c;
            }
            for (var p = 0; p < k; p++)
            {
                _position[_segmentOrder[p]] = p;
            }
            var published = panel.PublishedSegments;
            for (var i = 0; i < m; i++)
            {
                if (_position[_labels[i]] == published[i])
                {
                    Kept[i]++;
                }
            }
        }

        /// <summary>
        /// The members' global index with the draw's theme weights w·f (<see cref="Scoring.GlobalIndex"/>; every
        /// member has one: the thresholds are counts), and their points in columns (theme × member): theme scores,
        /// missing ones imputed with the draw's theme mean (0 when the theme has none, as published), scaled by √f,
        /// then centred as <see cref="KMeans"/> does (column sums in member order, divided by the count).
        /// </summary>
        private void IndexAndPoints()
        {
            var members = _panel.Members;
            int n = _panel.Count, m = members.Length, t = _panel.ThemeCount;
            Span<double> imputed = stackalloc double[t];
            Span<double> sums = stackalloc double[t];
            Span<double> memberScores = stackalloc double[t];
            for (var theme = 0; theme < t; theme++)
            {
                imputed[theme] = double.IsNaN(_means[theme]) ? 0 : _means[theme];
                sums[theme] = 0;
            }
            var scores = _scores;
            var points = _points;
            for (var i = 0; i < m; i++)
            {
                var row = members[i];
                for (var theme = 0; theme < t; theme++)
                {
                    var score = scores[(theme * n) + row];
                    memberScores[theme] = score;
                    var value = (double.IsNaN(score) ? imputed[theme] : score) * _scales[theme];
                    points[(theme * _stride) + i] = value;
                    sums[theme] += value;
                }
                _index[i] = Scoring.GlobalIndex(memberScores, _weightedThemes);
            }
            for (var theme = 0; theme < t; theme++)
            {
                var mean = sums[theme] / m;
                foreach (ref var value in points.AsSpan(theme * _stride, m))
                {
                    value -= mean;
                }
            }
        }

        /// <summary>Each segment's size and coordinate sums over its members, in member order (as <see cref="KMeans"/>).</summary>
        private void SumMembers()
        {
            int m = _panel.Members.Length, t = _panel.ThemeCount;
            Array.Clear(_sizes);
            Array.Clear(_sums);
            for (var i = 0; i < m; i++)
            {
                var c = _labels[i];
                _sizes[c]++;
                for (var theme = 0; theme < t; theme++)
                {
                    _sums[(c * t) + theme] += _points[(theme * _stride) + i];
                }
            }
        }

        /// <summary>
        /// Each non-empty segment's centroid as its members' mean (sums times 1/size, as <see cref="KMeans"/>);
        /// an empty segment keeps its centroid.
        /// </summary>
        private void SetCentroids()
        {
            var t = _panel.ThemeCount;
            foreach (var c in _activeSegments)
            {
                if (_sizes[c] == 0)
                {
                    continue;
                }
                var scale = 1.0 / _sizes[c];
                for (var theme = 0; theme < t; theme++)
                {
                    _centroids[(c * t) + theme] = _sums[(c * t) + theme] * scale;
                }
            }
        }

        /// <summary>
        /// Assigns every point to its nearest active centroid (<see cref="KMeans.Nearest"/>, the assignment of
        /// <see cref="KMeans"/>), ties to the lowest position, and moves each reassigned point's coordinates from its
        /// old segment's sums to its new one's (in member order), so that the next centroids are the new means;
        /// returns the number of changed assignments.
        /// </summary>
        private int Assign()
        {
            KMeans.Nearest(_path, _points, _stride, _panel.ThemeCount, _centroids, _activeSegments, _nearest);
            var changes = 0;
            for (var i = 0; i < _labels.Length; i++)
            {
                var label = _nearest[i];
                if (label != _labels[i])
                {
                    Move(i, _labels[i], label);
                    _labels[i] = label;
                    changes++;
                }
            }
            return changes;
        }

        private void Move(int point, int from, int to)
        {
            var t = _panel.ThemeCount;
            _sizes[from]--;
            _sizes[to]++;
            for (var theme = 0; theme < t; theme++)
            {
                var value = _points[(theme * _stride) + point];
                _sums[(from * t) + theme] -= value;
                _sums[(to * t) + theme] += value;
            }
        }
    }
}
