using Barometre.Core.Results;
using Barometre.Core.Statistics;

namespace Barometre.Core.Robustness;

/// <summary>
/// How much the published segments depend on the k-means seed: the segmentation is run again with
/// other seeds on the same points, and each partition is compared with the published one by the
/// adjusted Rand index (Hubert and Arabie 1985).
/// </summary>
/// <remarks>
/// <para>
/// The points are those the published k-means ran on, rebuilt from the published results: the theme
/// scores of the respondents with a global index, in the order of <see cref="BarometerResults.Scores"/>, a
/// missing score replaced by the theme's published mean (0 for a theme without one). Run j = 1 … runs
/// uses the seed (s + j) mod 2³², s being the published seed, with the published k and the default
/// number of restarts: scikit-learn's <c>KMeans(n_clusters=k, init="k-means++", n_init=10, tol=0,
/// random_state=(s + j) % 2**32)</c> on that matrix, compared with
/// <c>sklearn.metrics.adjusted_rand_score</c>.
/// </para>
/// <para>
/// The adjusted Rand index is 1 for the same partition (whatever the cluster numbers), about 0 for
/// partitions that agree no more than chance would, and negative below that.
/// </para>
/// </remarks>
public static class SeedStability
{
    /// <summary>Runs with other seeds made by default.</summary>
    public const int DefaultRuns = 20;

    /// <summary>
    /// Reruns the segmentation of <paramref name="published"/> with <paramref name="runs"/> other seeds.
    /// </summary>
    /// <param name="published">Results computed with their segments' members (not a public, secrecy-filtered view).</param>
    /// <param name="runs">Number of other seeds, at least 1.</param>
    /// <returns>The comparison, or null when the results have no segments (too few respondents, or members withheld).</returns>
    /// <exception cref="ArgumentException">The segments' members are not the respondents with a global index.</exception>
    public static SeedStabilityResults? Analyse(BarometerResults published, int runs = DefaultRuns)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        var groups = published.Segments.Groups;
        if (groups.Count == 0 || groups.All(g => g.Members.Count == 0))
        {
            return null;
        }
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var code in groups[g].Members)
            {
                position[code] = g;
            }
        }
        var themes = published.Themes;
        var t = themes.Count;
        var members = published.Scores.Where(s => s.Index is not null).ToList();
        if (members.Count != position.Count || members.Any(s => !position.ContainsKey(s.Code)))
        {
            throw new ArgumentException("The segments' members are not the respondents with a global index.", nameof(published));
        }
        var points = new double[members.Count * t];
        var labels = new int[members.Count];
        for (var m = 0; m < members.Count; m++)
        {
            labels[m] = position[members[m].Code];
            for (var theme = 0; theme < t; theme++)
            {
                points[(m * t) + theme] = members[m].Themes.GetValueOrDefault(themes[theme].Id) ?? themes[theme].Mean ?? 0;
            }
        }
        var seed = published.Parameters.Seed;
        var seeds = Enumerable.Range(1, runs).Select(j => (seed + j) % (BarometerOptions.MaxSeed + 1)).ToArray();
        return Analyse(points, t, labels, published.Parameters.K, seeds, BarometerOptions.Default.KMeansRestarts);
    }

    /// <summary>Clusters <paramref name="points"/> with each of <paramref name="seeds"/> and compares each partition with <paramref name="reference"/>.</summary>
    internal static SeedStabilityResults Analyse(ReadOnlySpan<double> points, int dimensions, int[] reference, int k, long[] seeds, int restarts)
    {
        var agreement = new double[seeds.Length];
        for (var j = 0; j < seeds.Length; j++)
        {
            agreement[j] = AdjustedRandIndex(KMeans.Fit(points, dimensions, k, restarts, seeds[j]).Labels, reference);
        }
        return new SeedStabilityResults(Array.AsReadOnly(seeds), Array.AsReadOnly(agreement));
    }

    /// <summary>
    /// The adjusted Rand index of two partitions of the same points (Hubert and Arabie 1985), as
    /// <c>sklearn.metrics.adjusted_rand_score</c>: 1 for the same partition, including when both put
    /// every point in one cluster or each point in its own.
    /// </summary>
    /// <param name="a">The cluster of each point, non-negative integers.</param>
    /// <param name="b">The cluster of each point in the other partition, same length.</param>
    /// <exception cref="ArgumentException">Lengths differ or a label is negative.</exception>
    public static double AdjustedRandIndex(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Both partitions must label the same points.", nameof(b));
        }
        var n = a.Length;
        var rows = 0;
        var columns = 0;
        for (var i = 0; i < n; i++)
        {
            if (a[i] < 0 || b[i] < 0)
            {
                throw new ArgumentException("Cluster labels must be non-negative.", a[i] < 0 ? nameof(a) : nameof(b));
            }
            rows = Math.Max(rows, a[i] + 1);
            columns = Math.Max(columns, b[i] + 1);
        }
        var table = new long[rows * columns];
        var rowSums = new long[rows];
        var columnSums = new long[columns];
        for (var i = 0; i < n; i++)
        {
            table[(a[i] * columns) + b[i]]++;
            rowSums[a[i]]++;
            columnSums[b[i]]++;
        }
        // Pairs counted exactly in integers; only the final ratio is a float.
        static long Pairs(long x) => x * (x - 1) / 2;
        long joint = 0, sumA = 0, sumB = 0;
        foreach (var cell in table)
        {
            joint += Pairs(cell);
        }
        foreach (var sum in rowSums)
        {
            sumA += Pairs(sum);
        }
        foreach (var sum in columnSums)
        {
            sumB += Pairs(sum);
        }
        var total = (double)Pairs(n);
        var expected = total == 0 ? 0 : sumA * (double)sumB / total;
        var max = (sumA + sumB) / 2.0;
        // Both trivial (one cluster each, or singletons each) or n < 2: the partitions cannot disagree.
        return max == expected ? 1.0 : (joint - expected) / (max - expected);
    }
}

/// <summary>The segmentation rerun with other seeds (<see cref="SeedStability.Analyse(BarometerResults, int)"/>).</summary>
/// <param name="Seeds">The seeds of the runs.</param>
/// <param name="AdjustedRand">Per run, the adjusted Rand index of its partition against the published one.</param>
public sealed record SeedStabilityResults(IReadOnlyList<long> Seeds, IReadOnlyList<double> AdjustedRand)
{
    /// <summary>Number of runs.</summary>
    public int Runs => Seeds.Count;

    /// <summary>Mean adjusted Rand index over the runs.</summary>
    public double MeanAdjustedRand => AdjustedRand.Average();

    /// <summary>Lowest adjusted Rand index over the runs.</summary>
    public double MinAdjustedRand => AdjustedRand.Min();

    /// <summary>Runs whose partition is exactly the published one (adjusted Rand index 1).</summary>
    public int IdenticalRuns => AdjustedRand.Count(ari => ari == 1.0);
}
