using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics.Reference;

/// <summary>
/// The straightforward scalar k-means that <see cref="KMeans"/> replaced, kept verbatim as the
/// specification its optimised kernels must reproduce bit for bit.
/// </summary>
internal static class KMeansReference
{
    /// <summary>Lloyd iterations allowed per restart (scikit-learn's default).</summary>
    public const int MaxIterations = 300;

    /// <summary>
    /// Clusters <paramref name="points"/> (row-major n × <paramref name="dimensions"/>) into
    /// <paramref name="k"/> groups; keeps the first restart of lowest inertia among distinct partitions.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer points than clusters, k &lt; 1, restarts &lt; 1, or a seed outside 0..2³²−1.</exception>
    public static KMeansResult Fit(ReadOnlySpan<double> points, int dimensions, int k, int restarts, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(restarts);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seed, uint.MaxValue);
        var n = points.Length / dimensions;
        if (n < k)
        {
            throw new ArgumentException($"{n} points cannot form {k} clusters.", nameof(points));
        }

        // Centre the data, as scikit-learn does "for more accurate distance computations".
        var d = dimensions;
        var x = points.ToArray();
        var mean = new double[d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += x[(i * d) + j];
            }
        }
        for (var j = 0; j < d; j++)
        {
            mean[j] /= n;
        }
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                x[(i * d) + j] -= mean[j];
            }
        }
        var norms = new double[n];
        for (var i = 0; i < n; i++)
        {
            norms[i] = Dot(x.AsSpan(i * d, d), x.AsSpan(i * d, d));
        }

        var random = new MersenneTwister((uint)seed);
        (int[] Labels, double Inertia)? best = null;
        for (var r = 0; r < restarts; r++)
        {
            var centres = SeedPlusPlus(x, norms, d, k, random);
            var result = Lloyd(x, d, k, centres);
            if (best is null || (result.Inertia < best.Value.Inertia && !SamePartition(result.Labels, best.Value.Labels, k)))
            {
                best = result;
            }
        }
        return WithCentroids(points, d, k, best!.Value.Labels);
    }

    /// <summary>The centroids of a partition as its members' means, and its inertia, in the original coordinates.</summary>
    internal static KMeansResult WithCentroids(ReadOnlySpan<double> points, int d, int k, int[] labels)
    {
        var centroids = new double[k * d];
        var sizes = new int[k];
        for (var i = 0; i < labels.Length; i++)
        {
            sizes[labels[i]]++;
            var centroid = centroids.AsSpan(labels[i] * d, d);
            var point = points.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                centroid[j] += point[j];
            }
        }
        for (var c = 0; c < k; c++)
        {
            for (var j = 0; j < d; j++)
            {
                centroids[(c * d) + j] = sizes[c] > 0 ? centroids[(c * d) + j] / sizes[c] : double.NaN;
            }
        }
        var inertia = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            inertia += SquaredDistance(points.Slice(i * d, d), centroids.AsSpan(labels[i] * d, d));
        }
        return new KMeansResult(labels, centroids, inertia);
    }

    /// <summary>
    /// Greedy k-means++ (scikit-learn's <c>_kmeans_plusplus</c>): the first centre uniformly, then each
    /// centre the best of 2 + ⌊ln k⌋ candidates drawn in proportion to the squared distance D².
    /// </summary>
    internal static double[] SeedPlusPlus(double[] x, double[] norms, int d, int k, MersenneTwister random)
    {
        var n = norms.Length;
        var centres = new double[k * d];
        var trials = 2 + (int)Math.Log(k);
        var first = random.NextInt(n);
        Array.Copy(x, first * d, centres, 0, d);
        var closest = new double[n];
        SquaredDistances(x, norms, d, first, closest);
        var potential = DescriptiveReference.PairwiseSum(closest);

        var cumulative = new double[n];
        var candidates = new int[trials];
        var candidateDistances = new double[trials][];
        for (var t = 0; t < trials; t++)
        {
            candidateDistances[t] = new double[n];
        }
        for (var c = 1; c < k; c++)
        {
            var running = 0.0;
            for (var i = 0; i < n; i++)
            {
                running += closest[i];
                cumulative[i] = running;
            }
            for (var t = 0; t < trials; t++)
            {
                candidates[t] = Math.Min(SearchSorted(cumulative, random.NextDouble() * potential), n - 1);
            }
            var bestTrial = 0;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < trials; t++)
            {
                var distances = candidateDistances[t];
                SquaredDistances(x, norms, d, candidates[t], distances);
                for (var i = 0; i < n; i++)
                {
                    distances[i] = Math.Min(closest[i], distances[i]);
                }
                var candidatePotential = DescriptiveReference.PairwiseSum(distances);
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestTrial = t;
                }
            }
            potential = bestPotential;
            (closest, candidateDistances[bestTrial]) = (candidateDistances[bestTrial], closest);
            Array.Copy(x, candidates[bestTrial] * d, centres, c * d, d);
        }
        return centres;
    }

    /// <summary>
    /// Lloyd iterations (scikit-learn's <c>_kmeans_single_lloyd</c> with tol = 0): assign, move each centre
    /// to its members' mean, until an assignment changes nothing; an empty cluster takes the point
    /// farthest from its centre.
    /// </summary>
    internal static (int[] Labels, double Inertia) Lloyd(double[] x, int d, int k, double[] centres)
    {
        var n = x.Length / d;
        var labels = new int[n];
        var previous = new int[n];
        Array.Fill(previous, -1);
        var next = new double[k * d];
        var weights = new double[k];
        var converged = false;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Assign(x, d, k, centres, labels);
            Array.Clear(next);
            Array.Clear(weights);
            for (var i = 0; i < n; i++)
            {
                var centre = next.AsSpan(labels[i] * d, d);
                var point = x.AsSpan(i * d, d);
                for (var j = 0; j < d; j++)
                {
                    centre[j] += point[j];
                }
                weights[labels[i]]++;
            }
            RelocateEmptyClusters(x, d, centres, next, weights, labels);
            var shift = 0.0;
            for (var c = 0; c < k; c++)
            {
                if (weights[c] > 0)
                {
                    var scale = 1.0 / weights[c];
                    for (var j = 0; j < d; j++)
                    {
                        next[(c * d) + j] *= scale;
                    }
                }
                shift += SquaredDistance(centres.AsSpan(c * d, d), next.AsSpan(c * d, d));
            }
            (centres, next) = (next, centres);
            if (labels.AsSpan().SequenceEqual(previous))
            {
                converged = true;
                break;
            }
            if (shift <= 0)
            {
                break;
            }
            labels.CopyTo(previous, 0);
        }
        if (!converged)
        {
            Assign(x, d, k, centres, labels);
        }
        var inertia = 0.0;
        for (var i = 0; i < n; i++)
        {
            inertia += SquaredDistance(x.AsSpan(i * d, d), centres.AsSpan(labels[i] * d, d));
        }
        return (labels, inertia);
    }

    /// <summary>Nearest centre of each point by ‖c‖² − 2 x·c (‖x‖² is common to all centres); ties to the lowest index.</summary>
    private static void Assign(double[] x, int d, int k, double[] centres, int[] labels)
    {
        var n = labels.Length;
        Span<double> centreNorms = stackalloc double[k];
        for (var c = 0; c < k; c++)
        {
            centreNorms[c] = Dot(centres.AsSpan(c * d, d), centres.AsSpan(c * d, d));
        }
        for (var i = 0; i < n; i++)
        {
            var point = x.AsSpan(i * d, d);
            var best = 0;
            var bestDistance = centreNorms[0] - (2 * Dot(point, centres.AsSpan(0, d)));
            for (var c = 1; c < k; c++)
            {
                var distance = centreNorms[c] - (2 * Dot(point, centres.AsSpan(c * d, d)));
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
    /// Gives each empty cluster the point farthest from its current centre (scikit-learn's
    /// <c>_relocate_empty_clusters_dense</c>); labels are left as they are, only the sums move.
    /// </summary>
    private static void RelocateEmptyClusters(double[] x, int d, double[] centres, double[] sums, double[] weights, int[] labels)
    {
        var empty = Enumerable.Range(0, weights.Length).Where(c => weights[c] == 0).ToArray();
        if (empty.Length == 0)
        {
            return;
        }
        var n = labels.Length;
        var distances = new double[n];
        for (var i = 0; i < n; i++)
        {
            distances[i] = SquaredDistance(x.AsSpan(i * d, d), centres.AsSpan(labels[i] * d, d));
        }
        var farthest = Enumerable.Range(0, n).OrderByDescending(i => distances[i]).Take(empty.Length).ToArray();
        for (var e = 0; e < empty.Length; e++)
        {
            var point = x.AsSpan(farthest[e] * d, d);
            var old = labels[farthest[e]];
            for (var j = 0; j < d; j++)
            {
                sums[(old * d) + j] -= point[j];
                sums[(empty[e] * d) + j] = point[j];
            }
            weights[empty[e]] = 1;
            weights[old] -= 1;
        }
    }

    /// <summary>Whether two labelings are the same partition up to renaming (scikit-learn's <c>_is_same_clustering</c>).</summary>
    internal static bool SamePartition(int[] a, int[] b, int k)
    {
        var mapping = new int[k];
        Array.Fill(mapping, -1);
        for (var i = 0; i < a.Length; i++)
        {
            if (mapping[a[i]] == -1)
            {
                mapping[a[i]] = b[i];
            }
            else if (mapping[a[i]] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Squared distances of every point to point <paramref name="from"/>, as scikit-learn: max(0, ‖a‖² − 2 a·x + ‖x‖²).</summary>
    private static void SquaredDistances(double[] x, double[] norms, int d, int from, double[] distances)
    {
        var a = x.AsSpan(from * d, d);
        for (var i = 0; i < distances.Length; i++)
        {
            distances[i] = Math.Max(0, (-2 * Dot(a, x.AsSpan(i * d, d))) + norms[from] + norms[i]);
        }
    }

    /// <summary>The first index whose cumulative value reaches <paramref name="value"/> (numpy's searchsorted, side "left").</summary>
    private static int SearchSorted(double[] cumulative, double value)
    {
        int low = 0, high = cumulative.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (cumulative[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }
        return sum;
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
