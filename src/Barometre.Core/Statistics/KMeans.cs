namespace Barometre.Core.Statistics;

/// <summary>The partition found by <see cref="KMeans.Fit"/>.</summary>
/// <param name="Labels">The cluster of each point, 0..k−1.</param>
/// <param name="Centroids">Row-major k × d centroids: the means of their members.</param>
/// <param name="Inertia">The sum of squared distances of the points to their centroid.</param>
public sealed record KMeansResult(int[] Labels, double[] Centroids, double Inertia);

/// <summary>
/// k-means clustering: greedy k-means++ seeding and Lloyd iterations to strict convergence, the best
/// of several seeded restarts — the procedure of scikit-learn's <c>KMeans(init="k-means++", tol=0)</c>.
/// </summary>
public static class KMeans
{
    /// <summary>Lloyd iterations allowed per restart (scikit-learn's default).</summary>
    public const int MaxIterations = 300;

    /// <summary>
    /// Clusters <paramref name="points"/> (row-major n × <paramref name="dimensions"/>) into
    /// <paramref name="k"/> groups; keeps the restart with the lowest inertia (the first on ties).
    /// </summary>
    /// <remarks>
    /// Restart r draws from <c>SeededRandom.ForStream(seed, r)</c>, so the result depends on the seed
    /// and on the order of the points only.
    /// </remarks>
    /// <exception cref="ArgumentException">Fewer points than clusters, k &lt; 1 or restarts &lt; 1.</exception>
    public static KMeansResult Fit(ReadOnlySpan<double> points, int dimensions, int k, int restarts, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(restarts);
        var n = points.Length / dimensions;
        if (n < k)
        {
            throw new ArgumentException($"{n} points cannot form {k} clusters.", nameof(points));
        }
        KMeansResult? best = null;
        for (var r = 0; r < restarts; r++)
        {
            var rng = SeededRandom.ForStream(seed, r);
            var centres = SeedPlusPlus(points, dimensions, k, rng);
            var result = Lloyd(points, dimensions, k, centres);
            if (best is null || result.Inertia < best.Inertia)
            {
                best = result;
            }
        }
        return best!;
    }

    /// <summary>Greedy k-means++: each new centre is the best of 2 + ⌊ln k⌋ candidates drawn in proportion to D².</summary>
    internal static double[] SeedPlusPlus(ReadOnlySpan<double> points, int d, int k, SeededRandom rng)
    {
        var n = points.Length / d;
        var centres = new double[k * d];
        var trials = 2 + (int)Math.Log(k);
        var first = rng.NextInt(n);
        points.Slice(first * d, d).CopyTo(centres);
        var closest = new double[n];
        var potential = 0.0;
        for (var i = 0; i < n; i++)
        {
            closest[i] = SquaredDistance(points.Slice(i * d, d), centres.AsSpan(0, d));
            potential += closest[i];
        }
        var cumulative = new double[n];
        var candidateDistances = new double[n];
        var bestDistances = new double[n];
        for (var c = 1; c < k; c++)
        {
            var running = 0.0;
            for (var i = 0; i < n; i++)
            {
                running += closest[i];
                cumulative[i] = running;
            }
            var bestPotential = double.PositiveInfinity;
            var bestCandidate = -1;
            for (var t = 0; t < trials; t++)
            {
                var candidate = SearchSorted(cumulative, rng.NextDouble() * potential);
                var candidatePoint = points.Slice(candidate * d, d);
                var candidatePotential = 0.0;
                for (var i = 0; i < n; i++)
                {
                    candidateDistances[i] = Math.Min(closest[i], SquaredDistance(points.Slice(i * d, d), candidatePoint));
                    candidatePotential += candidateDistances[i];
                }
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCandidate = candidate;
                    (bestDistances, candidateDistances) = (candidateDistances, bestDistances);
                }
            }
            points.Slice(bestCandidate * d, d).CopyTo(centres.AsSpan(c * d, d));
            (closest, bestDistances) = (bestDistances, closest);
            potential = bestPotential;
        }
        return centres;
    }

    /// <summary>Lloyd iterations until no label changes; centroids end as their members' means.</summary>
    internal static KMeansResult Lloyd(ReadOnlySpan<double> points, int d, int k, double[] centres)
    {
        var n = points.Length / d;
        var labels = new int[n];
        var next = new int[n];
        Assign(points, d, k, centres, labels);
        var sizes = new int[k];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            UpdateCentres(points, d, k, labels, centres, sizes);
            Assign(points, d, k, centres, next);
            var changed = !next.AsSpan().SequenceEqual(labels);
            (labels, next) = (next, labels);
            if (!changed)
            {
                break;
            }
        }
        UpdateCentres(points, d, k, labels, centres, sizes);
        var inertia = 0.0;
        for (var i = 0; i < n; i++)
        {
            inertia += SquaredDistance(points.Slice(i * d, d), centres.AsSpan(labels[i] * d, d));
        }
        return new KMeansResult(labels, centres, inertia);
    }

    private static void Assign(ReadOnlySpan<double> points, int d, int k, double[] centres, int[] labels)
    {
        var n = points.Length / d;
        for (var i = 0; i < n; i++)
        {
            var point = points.Slice(i * d, d);
            var best = 0;
            var bestDistance = SquaredDistance(point, centres.AsSpan(0, d));
            for (var c = 1; c < k; c++)
            {
                var distance = SquaredDistance(point, centres.AsSpan(c * d, d));
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }
            labels[i] = best;
        }
    }

    /// <summary>
    /// Sets each centre to its members' mean. An empty cluster first takes the point farthest from its
    /// centre; when every point sits on its centre (duplicated points) it stays empty and keeps its centre.
    /// </summary>
    private static void UpdateCentres(ReadOnlySpan<double> points, int d, int k, int[] labels, double[] centres, int[] sizes)
    {
        var n = points.Length / d;
        for (var c = 0; c < k; c++)
        {
            if (!labels.AsSpan().Contains(c))
            {
                RelocateToFarthestPoint(points, d, labels, centres, c);
            }
        }
        Array.Clear(sizes);
        var sums = new double[centres.Length];
        for (var i = 0; i < n; i++)
        {
            var sum = sums.AsSpan(labels[i] * d, d);
            var point = points.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                sum[j] += point[j];
            }
            sizes[labels[i]]++;
        }
        for (var c = 0; c < k; c++)
        {
            if (sizes[c] == 0)
            {
                continue;
            }
            var centre = centres.AsSpan(c * d, d);
            var sum = sums.AsSpan(c * d, d);
            for (var j = 0; j < d; j++)
            {
                centre[j] = sum[j] / sizes[c];
            }
        }
    }

    private static void RelocateToFarthestPoint(ReadOnlySpan<double> points, int d, int[] labels, double[] centres, int emptyCluster)
    {
        var n = points.Length / d;
        var sizes = new int[centres.Length / d];
        foreach (var label in labels)
        {
            sizes[label]++;
        }
        var farthest = -1;
        var farthestDistance = -1.0;
        for (var i = 0; i < n; i++)
        {
            if (sizes[labels[i]] < 2)
            {
                continue;
            }
            var distance = SquaredDistance(points.Slice(i * d, d), centres.AsSpan(labels[i] * d, d));
            if (distance > farthestDistance)
            {
                farthestDistance = distance;
                farthest = i;
            }
        }
        if (farthest >= 0 && farthestDistance > 0)
        {
            labels[farthest] = emptyCluster;
        }
    }

    /// <summary>The first index whose cumulative value reaches <paramref name="value"/> (numpy's searchsorted, side "left"), clipped to the last index.</summary>
    private static int SearchSorted(double[] cumulative, double value)
    {
        var index = Array.BinarySearch(cumulative, value);
        if (index < 0)
        {
            index = ~index;
        }
        else
        {
            while (index > 0 && cumulative[index - 1] == value)
            {
                index--;
            }
        }
        return Math.Min(index, cumulative.Length - 1);
    }

    internal static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            var diff = a[j] - b[j];
            sum += diff * diff;
        }
        return sum;
    }
}
