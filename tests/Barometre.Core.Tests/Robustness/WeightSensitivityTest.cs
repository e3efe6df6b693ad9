using System.Globalization;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Robustness;
using Barometre.Core.Statistics;
using Barometre.Core.Synthetic;

namespace Barometre.Core.Tests.Robustness;

/// <summary>
/// The weight-sensitivity analysis. Expected values come from factors fixed at 1 (every draw is then the
/// published computation), from hand reasoning, or from the independent numpy re-implementation below,
/// which draws each draw's factors from <c>default_rng(SeedSequence(seed, spawn_key=(d,)))</c> and
/// computes distances directly (not through ‖c‖² − 2 x·c on centred data as the engine does).
/// </summary>
/// <remarks>
/// Reference, saved as ref.py and run with /usr/bin/python3 (numpy 1.24):
/// <code>
/// import numpy as np
///
/// def analyse(cells, sizes, weights, published, seed=42, draws=200, lo=0.5, hi=1.5, L=5):
///     """cells: rows of levels, -1 = no level; sizes: questions per theme; published: segment position per row (-1 = none)."""
///     cells = np.asarray(cells, float); n, Q = cells.shape; T = len(sizes); published = np.asarray(published)
///     first = np.cumsum([0] + sizes[:-1]); ans = cells >= 0; lv = np.where(ans, cells, 0)
///     scored = np.stack([ans[:, a:a + s].sum(1) * 2 >= s for a, s in zip(first, sizes)], 1)
///     members = np.flatnonzero(published >= 0); pub = published[members]; k = pub.max() + 1 if len(pub) else 0
///     ranks, kept = [], np.zeros(len(members), int)
///     for d in range(draws):
///         rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(d,)))
///         g = np.array([lo + (hi - lo) * rng.random() for _ in range(Q)])
///         f = np.array([lo + (hi - lo) * rng.random() for _ in range(T)])
///         S = np.full((n, T), np.nan)
///         for t, (a, s) in enumerate(zip(first, sizes)):
///             w = g[a:a + s] * ans[:, a:a + s]
///             S[scored[:, t], t] = ((w * lv[:, a:a + s]).sum(1) / w.sum(1) * 100 / (L - 1))[scored[:, t]]
///         means = np.nanmean(S, 0)
///         order = sorted(range(T), key=lambda t: -round(means[t], 9))  # stable: ties in model order
///         rank = np.empty(T, int); rank[order] = np.arange(1, T + 1); ranks.append(rank)
///         if k == 0:
///             continue
///         wf = np.asarray(weights) * f
///         index = (np.nan_to_num(S) * wf).sum(1) / (~np.isnan(S) * wf).sum(1)
///         X = np.where(np.isnan(S), means, S)[members] * np.sqrt(f)
///         labels = pub.copy()
///         C = np.array([X[labels == c].mean(0) for c in range(k)])
///         for _ in range(300):
///             new = ((X[:, None, :] - C[None]) ** 2).sum(2).argmin(1)
///             if (new == labels).all():
///                 break
///             labels = new
///             C = np.array([X[labels == c].mean(0) if (labels == c).any() else C[c] for c in range(k)])
///         mean_index = [index[members][labels == c].mean() if (labels == c).any() else -np.inf for c in range(k)]
///         position = np.empty(k, int); position[sorted(range(k), key=lambda c: -mean_index[c])] = np.arange(k)
///         kept += position[labels] == pub
///     return np.array(ranks), kept
/// </code>
/// Each test pastes its call, with <c>N = -1</c> for a cell without a level.
/// </remarks>
public sealed class WeightSensitivityTest
{
    private const sbyte N = CellCode.DontKnow;
    private const int Draws = 200;

    /// <summary>Every factor 1: each draw is the published computation.</summary>
    private static readonly SensitivityOptions FactorsOne = new() { Draws = 3, MinFactor = 1, MaxFactor = 1 };

    [Fact]
    public void Analyse_FactorsAtOne_ReproducesPublishedRanksAndSegments()
    {
        var panel = SyntheticPanel(400, seed: 5);
        var published = Barometer.Compute(panel, new BarometerOptions { Bootstrap = 0 });
        // The panel exercises the thresholds: unscored themes (imputed) and respondents without an index.
        Assert.Contains(published.Scores, s => s.Index is null);
        Assert.Contains(published.Scores, s => s.Index is not null && s.Themes.Values.Any(v => v is null));

        var results = WeightSensitivity.Analyse(panel, published, FactorsOne);

        Assert.Equal(published.Themes.Select(t => t.Id), results.Themes.Select(t => t.Id));
        Assert.All(results.Themes.Zip(published.Themes), pair =>
        {
            var (stability, theme) = pair;
            Assert.Equal(theme.Rank, stability.PublishedRank);
            Assert.Equal(1.0, stability.KeepRankShare);
            Assert.Equal(
                Enumerable.Range(1, published.Themes.Count).Select(rank => rank == theme.Rank ? FactorsOne.Draws : 0),
                stability.RankCounts);
            Assert.Equal((double)theme.Rank!.Value, stability.MedianRank);
            Assert.Equal((double)theme.Rank!.Value, stability.Rank5);
            Assert.Equal((double)theme.Rank!.Value, stability.Rank95);
        });

        var segmented = published.Scores.Where(s => s.Segment is not null).ToList();
        Assert.Equal(segmented.Count, results.SegmentedRespondents);
        Assert.Equal(segmented.Select(s => (s.Code, s.Segment)), results.Respondents.Select(r => (r.Code, (string?)r.PublishedSegment)));
        Assert.All(results.Respondents, r => Assert.Equal(1.0, r.KeepShare));
        Assert.Equal(published.Segments.Groups.Select(g => (g.Label, g.Size)), results.Segments.Select(s => (s.Label, s.Size)));
        Assert.All(results.Segments, s => Assert.Equal(1.0, s.MeanKeepShare));
        Assert.Equal(1.0, results.ShareKeepingSegmentAtLeast90);
    }

    [Fact]
    public void Analyse_FactorsAtOne_KeepsTiedThemesInModelOrder()
    {
        // Themes a and b tie at 50 (see RankPanel): published ranks 2 and 3 by model order, kept at factors 1.
        var panel = RankPanel();
        var published = Barometer.Compute(panel, new BarometerOptions { K = 2, Bootstrap = 0 });
        Assert.Equal([2, 3, 1], published.Themes.Select(t => t.Rank!.Value));

        var results = WeightSensitivity.Analyse(panel, published, FactorsOne);

        Assert.All(results.Themes, t => Assert.Equal(1.0, t.KeepRankShare));
        Assert.All(results.Respondents, r => Assert.Equal(1.0, r.KeepShare));
    }

    [Fact]
    public void Analyse_QuestionWeightsDecideATie_KeepRankShareMatchesReference()
    {
        var panel = RankPanel();
        var published = Barometer.Compute(panel, new BarometerOptions { K = 2, Bootstrap = 0 });

        var results = WeightSensitivity.Analyse(panel, published, new SensitivityOptions { Draws = Draws });

        // /usr/bin/python3 -c "from ref import *; N = -1
        //   r, kept = analyse([[4,2,0,1,3,3,3], [4,1,0,3,1,3,4], [3,3,1,2,2,4,N], [N,N,4,2,2,2,3]], [3,2,2], [1,1,2], [1,0,0,1])
        //   [print((r[:, t] == [2,3,1][t]).sum(), np.bincount(r[:, t], minlength=4)[1:].tolist(), np.percentile(r[:, t], [50,5,95]).tolist()) for t in range(3)]"
        // → 99 [0, 99, 101] [3.0, 2.0, 3.0]
        //   99 [0, 101, 99] [2.0, 2.0, 3.0]
        //   200 [200, 0, 0] [1.0, 1.0, 1.0]
        var (a, b, c) = (results.Themes[0], results.Themes[1], results.Themes[2]);
        Assert.Equal(("a", 2, 99.0 / Draws), (a.Id, a.PublishedRank!.Value, a.KeepRankShare!.Value));
        Assert.Equal([0, 99, 101], a.RankCounts);
        Assert.Equal((3.0, 2.0, 3.0), (a.MedianRank!.Value, a.Rank5!.Value, a.Rank95!.Value));
        Assert.Equal(("b", 3, 99.0 / Draws), (b.Id, b.PublishedRank!.Value, b.KeepRankShare!.Value));
        Assert.Equal([0, 101, 99], b.RankCounts);
        Assert.Equal((2.0, 2.0, 3.0), (b.MedianRank!.Value, b.Rank5!.Value, b.Rank95!.Value));
        Assert.Equal(("c", 1, 1.0), (c.Id, c.PublishedRank!.Value, c.KeepRankShare!.Value));
        Assert.Equal([200, 0, 0], c.RankCounts);
        Assert.Equal((1.0, 1.0, 1.0), (c.MedianRank!.Value, c.Rank5!.Value, c.Rank95!.Value));
        // The options are echoed.
        Assert.Equal((Draws, 42L, 0.5, 1.5), (results.Draws, results.Seed, results.MinFactor, results.MaxFactor));
    }

    [Fact]
    public void Analyse_BorderlineCollectivite_KeepShareBelowOne()
    {
        var panel = BorderlinePanel();
        var published = Barometer.Compute(panel, new BarometerOptions { K = 2, Bootstrap = 0 });
        // C09 (a = 100, b = 12.5) is nearer the high segment (squared distance ≈ 87.5² + small) than the low one (≈ 100² + 12.5²).
        Assert.Equal(
            ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09"],
            published.Segments.Groups[0].Members);
        Assert.Equal(Enumerable.Range(10, 8).Select(i => $"C{i:D2}"), published.Segments.Groups[1].Members);

        var results = WeightSensitivity.Analyse(panel, published, new SensitivityOptions { Draws = Draws });

        // /usr/bin/python3 -c "from ref import *; N = -1
        //   print(analyse([[4,4,4,4], [4,4,4,3], [4,3,4,4], [4,N,4,4], [3,4,4,4], [4,4,4,4], [4,4,4,3], [4,4,3,4], [4,4,1,0],
        //     [0,0,0,0], [0,0,0,1], [1,0,0,0], [0,0,1,0], [0,1,0,0], [0,0,0,0], [1,0,0,0], [0,0,0,0]], [2,2], [1,1], [0]*9 + [1]*8)[1].tolist())"
        // → [200, 200, 200, 200, 200, 200, 200, 200, 179, 200, 200, 200, 200, 200, 200, 200, 200]
        Assert.Equal(17, results.SegmentedRespondents);
        Assert.Equal(Enumerable.Range(1, 17).Select(i => $"C{i:D2}"), results.Respondents.Select(r => r.Code));
        var borderline = results.Respondents[8];
        Assert.Equal(("Segment 1", 179.0 / Draws), (borderline.PublishedSegment, borderline.KeepShare));
        Assert.All(results.Respondents.Where(r => r.Code != "C09"), r => Assert.Equal(1.0, r.KeepShare));
        Assert.Equal(("Segment 1", 9, (8 * 200 + 179) / (9.0 * 200)), (results.Segments[0].Label, results.Segments[0].Size, results.Segments[0].MeanKeepShare!.Value));
        Assert.Equal(("Segment 2", 8, 1.0), (results.Segments[1].Label, results.Segments[1].Size, results.Segments[1].MeanKeepShare!.Value));
        // C09 keeps its segment in 89.5 % of the draws, under 90 %: 16 of 17.
        Assert.Equal(16 / 17.0, results.ShareKeepingSegmentAtLeast90);
    }

    [Fact]
    public void Analyse_SeparatedSegments_KeepEveryMember()
    {
        // Three groups at levels ≈ 4, 2 and 0 on both themes, centroids (93.75, 96.875), (43.75, 43.75) and
        // (6.25, 6.25) at factors 1: every member is within 11.3 of its group's centroid and at least 53.8
        // from another's, while the question factors move a score by at most 6.25 (one level apart on two
        // questions: 25·g1/(g1 + g2) ∈ [6.25, 18.75]). The reference checks every draw.
        var panel = SeparatedPanel();
        var published = Barometer.Compute(panel, new BarometerOptions { K = 3, Bootstrap = 0 });
        Assert.Equal(["C01", "C05", "C08", "C11"], published.Segments.Groups[0].Members);

        var results = WeightSensitivity.Analyse(panel, published, new SensitivityOptions { Draws = Draws });

        // /usr/bin/python3 -c "from ref import *; N = -1
        //   print(analyse([[4,4,4,3], [2,2,2,1], [0,0,0,1], [N,N,N,N], [4,3,4,4], [2,1,2,2], [1,0,0,0],
        //     [4,4,N,4], [2,2,1,2], [0,1,0,0], [3,4,4,4], [1,2,2,2], [0,0,1,0]], [2,2], [1,2], [0,1,2,-1,0,1,2,0,1,2,0,1,2])[1].tolist())"
        // → [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
        Assert.Equal(12, results.SegmentedRespondents);
        Assert.DoesNotContain(results.Respondents, r => r.Code == "C04");   // no answer: no index, no segment
        Assert.All(results.Respondents, r => Assert.Equal(1.0, r.KeepShare));
        Assert.Equal(["Stratèges", "Pragmatiques", "Retardataires"], results.Segments.Select(s => s.Label));
        Assert.All(results.Segments, s => Assert.Equal((4, 1.0), (s.Size, s.MeanKeepShare!.Value)));
        Assert.Equal(1.0, results.ShareKeepingSegmentAtLeast90);
    }

    [Fact]
    public void Analyse_SegmentsOfCloseMaturity_SwapLabelsWithThemeFactors()
    {
        // Two well-separated groups: C01, C03, C05, C07 strong on a (≈ 100) and weak on b (≈ 37.5), the others
        // the reverse (≈ 25 and ≈ 100). Their members never mix, but which group is the more mature one
        // depends on the theme factors of the global index: (100·f_a + 37.5·f_b) vs (25·f_a + 100·f_b).
        // When the order flips, both groups swap labels and every member loses its segment.
        var panel = Panel(
            Model(("a", 2, 1), ("b", 2, 1)),
            [
                [4, 4, 2, 1], [1, 1, 4, 4], [4, 4, 1, 2], [1, 1, 4, 3], [3, 4, 2, 1], [1, 1, 4, 4], [4, 4, 2, 1], [1, 2, 4, 4],
            ]);
        var published = Barometer.Compute(panel, new BarometerOptions { K = 2, Bootstrap = 0 });
        Assert.Equal(["C01", "C03", "C05", "C07"], published.Segments.Groups[0].Members);

        var results = WeightSensitivity.Analyse(panel, published, new SensitivityOptions { Draws = Draws });

        // /usr/bin/python3 -c "from ref import *
        //   print(analyse([[4,4,2,1], [1,1,4,4], [4,4,1,2], [1,1,4,3], [3,4,2,1], [1,1,4,4], [4,4,2,1], [1,2,4,4]], [2,2], [1,1], [0,1]*4)[1].tolist())"
        // → [126, 126, 126, 126, 126, 126, 126, 126]
        Assert.All(results.Respondents, r => Assert.Equal(126.0 / Draws, r.KeepShare));
        Assert.All(results.Segments, s => Assert.Equal(126.0 / Draws, s.MeanKeepShare!.Value, 1e-15));
        Assert.Equal(0.0, results.ShareKeepingSegmentAtLeast90);
    }

    [Fact]
    public void Analyse_FewerSegmentableThanK_LeavesSegmentPartsEmpty()
    {
        // HandPanel: three respondents with an index, four segments asked → no published segment.
        var panel = TestPanels.HandPanel();
        var published = Barometer.Compute(panel, new BarometerOptions { K = 4, Bootstrap = 0 });
        Assert.Empty(published.Segments.Groups);

        var results = WeightSensitivity.Analyse(panel, published, new SensitivityOptions { Draws = 20 });

        Assert.Equal(0, results.SegmentedRespondents);
        Assert.Empty(results.Respondents);
        Assert.Empty(results.Segments);
        Assert.Null(results.ShareKeepingSegmentAtLeast90);
        // The ranking is still analysed: b (53.125) leads a (50); a's scores (75, 0, 75) and b's (50, 50,
        // 100, 12.5) move with the question factors, but the ranks are those of some draw in every draw.
        Assert.Equal(["a", "b"], results.Themes.Select(t => t.Id));
        Assert.Equal([2, 1], results.Themes.Select(t => t.PublishedRank!.Value));
        Assert.All(results.Themes, t => Assert.Equal(20, t.RankCounts.Sum()));
        Assert.Equal(results.Themes[0].RankCounts, results.Themes[1].RankCounts.Reverse());
    }

    [Fact]
    public void Analyse_SameSeed_IsDeterministicAndThreadCountDoesNotMatter()
    {
        var panel = SyntheticPanel(300, seed: 11);
        var published = Barometer.Compute(panel, new BarometerOptions { Bootstrap = 0 });
        var options = new SensitivityOptions { Draws = 64, Seed = 7, MinFactor = 0.25, MaxFactor = 2 };

        var single = Describe(WeightSensitivity.Analyse(panel, published, options, maxDegreeOfParallelism: 1));
        var four = Describe(WeightSensitivity.Analyse(panel, published, options, maxDegreeOfParallelism: 4));
        var unbounded = Describe(WeightSensitivity.Analyse(panel, published, options));
        var again = Describe(WeightSensitivity.Analyse(panel, published, options));

        Assert.Equal(single, four);
        Assert.Equal(single, unbounded);
        Assert.Equal(single, again);
        // The factors do move something on this panel, so the comparison is not of constant results.
        Assert.Contains(WeightSensitivity.Analyse(panel, published, options).Respondents, r => r.KeepShare < 1);
    }

    [Fact]
    public void Analyse_EveryPath_SameResultsAsScalar()
    {
        // 203 respondents, some unsegmented: a member count that fills no whole register of 2, 4 or 8 points.
        var panel = SyntheticPanel(203, seed: 5);
        var published = Barometer.Compute(panel, new BarometerOptions { Bootstrap = 0 });
        var options = new SensitivityOptions { Draws = 24, Seed = 3, MinFactor = 0.25, MaxFactor = 2 };
        List<string> Run(VectorPath path)
        {
            using (Kernels.ForcePath(path))
            {
                return Describe(WeightSensitivity.Analyse(panel, published, options));
            }
        }

        var scalar = Run(VectorPath.Scalar);
        Assert.Equal(scalar, Run(VectorPath.Vector128));
        Assert.Equal(scalar, Run(VectorPath.Vector256));
        Assert.Equal(scalar, Run(VectorPath.Vector512));
        // Segments do move in these draws, so the assignment step's paths are compared on real work.
        using (Kernels.ForcePath(VectorPath.Scalar))
        {
            Assert.Contains(WeightSensitivity.Analyse(panel, published, options).Respondents, r => r.KeepShare is > 0 and < 1);
        }
    }

    [Fact]
    public void Workspace_Draw_MatchesThePlainScoringFunctions()
    {
        // The draws score answer patterns in columns, for speed: each draw's scores, ranks and indexes must be
        // those of Scoring's plain functions applied to every respondent with the draw's factors, bit for bit.
        var panel = SyntheticPanel(300, seed: 3);
        var model = panel.Model;
        var published = Barometer.Compute(panel, new BarometerOptions { Bootstrap = 0 });
        var sensitivity = new WeightSensitivity.Panel(panel, published);
        var workspace = new WeightSensitivity.Workspace(sensitivity);
        int n = panel.Count, q = model.Questions.Count, t = model.Themes.Count;
        var members = published.Segments.Groups.SelectMany(g => g.Members).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(members);

        for (var draw = 0; draw < 5; draw++)
        {
            var ranks = new int[t];
            workspace.Run(SeededRandom.ForStream(9, draw), 0.5, 1.5, ranks);

            // The draw's factors, drawn as documented: one per question in model order, then one per theme.
            var rng = SeededRandom.ForStream(9, draw);
            var g = Enumerable.Range(0, q).Select(_ => 0.5 + rng.NextDouble()).ToArray();
            var f = Enumerable.Range(0, t).Select(_ => 0.5 + rng.NextDouble()).ToArray();
            var weights = model.Themes.Select((theme, i) => theme.Weight * f[i]).ToArray();
            var scores = new double[n, t];
            var means = new double[t];
            for (var theme = 0; theme < t; theme++)
            {
                var first = model.FirstQuestionOfTheme[theme];
                var size = model.Themes[theme].Questions.Count;
                for (var r = 0; r < n; r++)
                {
                    scores[r, theme] = Scoring.ThemeScore(panel.Row(r).Slice(first, size), g.AsSpan(first, size), model.Scale.ScoreFactor);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(scores[r, theme]), BitConverter.DoubleToInt64Bits(workspace.Scores[(theme * n) + r]));
                }
                means[theme] = Descriptive.Mean([.. Enumerable.Range(0, n).Select(r => scores[r, theme]).Where(s => !double.IsNaN(s))]);
            }
            var expectedRanks = new int[t];
            Scoring.RankThemes(means, expectedRanks);
            Assert.Equal(expectedRanks, ranks);

            var indexes = Enumerable.Range(0, n)
                .Where(r => members.Contains(panel.Respondents[r].Code))
                .Select(r => Scoring.GlobalIndex(Enumerable.Range(0, t).Select(theme => scores[r, theme]).ToArray(), weights));
            Assert.Equal(indexes, workspace.Indexes.ToArray());
        }
    }

    [Fact]
    public void Analyse_ResultsOfOtherResponses_Throw()
    {
        var borderline = BorderlinePanel();
        var separated = SeparatedPanel();
        var published = Barometer.Compute(separated, new BarometerOptions { K = 3, Bootstrap = 0 });
        var otherModel = Barometer.Compute(RankPanel(), new BarometerOptions { K = 2, Bootstrap = 0 });
        // Same model and codes, other answers: the published members are no longer the respondents with an index.
        var changed = new ResponseSet(separated.Model, separated.Respondents, [.. separated.Cells[..12], .. Enumerable.Repeat((sbyte)4, 4), .. separated.Cells[16..]]);

        Assert.Throws<ArgumentException>(() => WeightSensitivity.Analyse(borderline, published));
        Assert.Throws<ArgumentException>(() => WeightSensitivity.Analyse(separated, otherModel));
        Assert.Throws<ArgumentException>(() => WeightSensitivity.Analyse(changed, published));
        Assert.Throws<ArgumentNullException>(() => WeightSensitivity.Analyse(null!, published));
        Assert.Throws<ArgumentNullException>(() => WeightSensitivity.Analyse(separated, null!));
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = new SensitivityOptions();
        Assert.Equal((1000, 42L, 0.5, 1.5), (options.Draws, options.Seed, options.MinFactor, options.MaxFactor));
        Assert.Equal(options, SensitivityOptions.Default);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { Draws = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { Seed = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { Seed = 1L << 32 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { MinFactor = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { MinFactor = -0.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { MinFactor = 1.01 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { MinFactor = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { MaxFactor = 0.99 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { MaxFactor = double.PositiveInfinity });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SensitivityOptions { MaxFactor = double.NaN });
        // The bounds themselves are allowed.
        var extreme = new SensitivityOptions { Draws = 1, Seed = uint.MaxValue, MinFactor = 1, MaxFactor = 1 };
        Assert.Equal((1, 4294967295L), (extreme.Draws, extreme.Seed));
    }

    /// <summary>
    /// Themes a (3 questions), b (2) and c (2, weight 2). At factors 1, a scores 50, 41.67 and 58.33 (R4
    /// answers one question of three: unscored), mean 50; b scores 50 for all (1+3, 3+1, 2+2, 2+2), mean 50;
    /// c 75, 87.5, 100, 62.5, mean 81.25. a and b tie: published ranks c 1, a 2, b 3. Under question
    /// factors b's mean stays 50 (R1 and R2 mirror each other), a's moves around 50.
    /// </summary>
    private static ResponseSet RankPanel() => Panel(
        Model(("a", 3, 1), ("b", 2, 1), ("c", 2, 2)),
        [
            [4, 2, 0, 1, 3, 3, 3],
            [4, 1, 0, 3, 1, 3, 4],
            [3, 3, 1, 2, 2, 4, N],
            [N, N, 4, 2, 2, 2, 3],
        ]);

    /// <summary>
    /// Two themes of two questions. C01–C08 near (100, 100), C10–C17 near (0, 0), and C09 at (100, 12.5):
    /// its nearest segment depends on the theme factors and on its b score, 25·g1/(g1 + g2).
    /// </summary>
    private static ResponseSet BorderlinePanel() => Panel(
        Model(("a", 2, 1), ("b", 2, 1)),
        [
            [4, 4, 4, 4], [4, 4, 4, 3], [4, 3, 4, 4], [4, N, 4, 4], [3, 4, 4, 4], [4, 4, 4, 4], [4, 4, 4, 3], [4, 4, 3, 4],
            [4, 4, 1, 0],
            [0, 0, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0],
        ]);

    /// <summary>Three groups of four at levels ≈ 4, 2, 0, interleaved; C04 answers nothing.</summary>
    private static ResponseSet SeparatedPanel() => Panel(
        Model(("a", 2, 1), ("b", 2, 2)),
        [
            [4, 4, 4, 3], [2, 2, 2, 1], [0, 0, 0, 1], [N, N, N, N],
            [4, 3, 4, 4], [2, 1, 2, 2], [1, 0, 0, 0],
            [4, 4, N, 4], [2, 2, 1, 2], [0, 1, 0, 0],
            [3, 4, 4, 4], [1, 2, 2, 2], [0, 0, 1, 0],
        ]);

    /// <summary>A synthetic panel on a five-theme model (1 to 5 questions, unequal weights) with many missing answers.</summary>
    private static ResponseSet SyntheticPanel(int respondents, long seed) => Synthetic.SyntheticPanel.Generate(
        Model(("strategie", 3, 1), ("services", 4, 2), ("donnee", 2, 1), ("territoire", 5, 0.5), ("securite", 1, 1.5)),
        new SyntheticPanelOptions { Respondents = respondents, Seed = seed, Missing = (0.15, 0.05, 0.05) });

    private static MaturityModel Model(params (string Id, int Questions, double Weight)[] themes) => new(
        "sensibilite",
        "Sensibilité",
        null,
        themes.Select(theme => new Theme(
            theme.Id,
            theme.Id,
            theme.Weight,
            Enumerable.Range(1, theme.Questions).Select(q => new Question($"{theme.Id}.q{q}", $"{theme.Id} {q}")))),
        []);

    private static ResponseSet Panel(MaturityModel model, sbyte[][] rows) => new(
        model,
        rows.Select((_, i) => new Respondent($"C{i + 1:D2}", $"Collectivité {i + 1}")),
        rows.SelectMany(row => row).ToArray());

    /// <summary>Every value of the results as text, for exact comparison (records hold lists by reference).</summary>
    private static List<string> Describe(SensitivityResults results)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{results.Draws} {results.Seed} {results.MinFactor:R} {results.MaxFactor:R} {results.SegmentedRespondents} {results.ShareKeepingSegmentAtLeast90:R}"),
        };
        lines.AddRange(results.Themes.Select(t => string.Create(
            CultureInfo.InvariantCulture,
            $"{t.Id} {t.PublishedRank} {t.KeepRankShare:R} [{string.Join(",", t.RankCounts)}] {t.MedianRank:R} {t.Rank5:R} {t.Rank95:R}")));
        lines.AddRange(results.Segments.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Label} {s.Size} {s.MeanKeepShare:R}")));
        lines.AddRange(results.Respondents.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Code} {r.PublishedSegment} {r.KeepShare:R}")));
        return lines;
    }
}
