using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Barometre.Core.Statistics;

/// <summary>The partition found by <see cref="KMeans.Fit(ReadOnlySpan{double}, int, int, int, long)"/>.</summary>
/// <param name="Labels">The cluster of each point, 0..k−1 (some clusters may be empty when points coincide).</param>
/// <param name="Centroids">Row-major k × d: each cluster's members' mean (NaN for an empty cluster).</param>
/// <param name="Inertia">The sum of squared distances of the points to their cluster's centroid.</param>
public sealed record KMeansResult(int[] Labels, double[] Centroids, double Inertia);

/// <summary>
/// k-means clustering as scikit-learn's <c>KMeans(n_clusters=k, init="k-means++", n_init=restarts,
/// tol=0, random_state=seed)</c> runs it: greedy k-means++ seeding, Lloyd iterations to strict
/// convergence (no label changes), the best of several restarts.
/// </summary>
/// <remarks>
/// The restarts draw from one <c>RandomState(seed)</c> stream (MT19937) in scikit-learn's order, on
/// the same mean-centred data, so the same seed picks the same initial centres and reaches the same
/// partition as the reference, up to floating-point ties. The result depends on the seed and on the
/// order of the points, never on the number of threads nor on the vector width (<see cref="Kernels.Path"/>).
/// </remarks>
public static class KMeans
{
    /// <summary>Lloyd iterations allowed per restart (scikit-learn's default).</summary>
    public const int MaxIterations = 300;

    /// <summary>
    /// Clusters <paramref name="points"/> (row-major n × <paramref name="dimensions"/>) into
    /// <paramref name="k"/> groups; keeps the first restart of lowest inertia among distinct partitions.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer points than clusters, k &lt; 1, restarts &lt; 1, or a seed outside 0..2³²−1.</exception>
    public static KMeansResult Fit(ReadOnlySpan<double> points, int dimensions, int k, int restarts, long seed) =>
        Fit(points, dimensions, k, restarts, seed, maxDegreeOfParallelism: -1);

    /// <summary>As the public overload, the restarts on at most <paramref name="maxDegreeOfParallelism"/> threads (−1: as many as useful).</summary>
    /// <remarks>
    /// The number of random draws a seeding takes does not depend on the data (one index, then
    /// 2 + ⌊ln k⌋ uniforms per further centre), so all the restarts' draws are taken first, in
    /// scikit-learn's order, from the one stream; the restarts then share nothing and run in parallel,
    /// and the best is chosen in restart order as if they had run one after another.
    /// </remarks>
    internal static KMeansResult Fit(ReadOnlySpan<double> points, int dimensions, int k, int restarts, long seed, int maxDegreeOfParallelism)
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
        var data = new PointSet(points, dimensions, centre: true, Kernels.Path);
        var random = new MersenneTwister((uint)seed);
        var draws = new SeedingDraws[restarts];
        for (var r = 0; r < restarts; r++)
        {
            draws[r] = SeedingDraws.Take(random, n, k);
        }

        var results = new (int[] Labels, double Inertia)[restarts];
        Parallel.For(
            0,
            restarts,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new Workspace(data, k),
            (r, _, workspace) =>
            {
                results[r] = Lloyd(data, k, SeedPlusPlus(data, k, draws[r], workspace), workspace);
                return workspace;
            },
            _ => { });

        var best = results[0];
        for (var r = 1; r < restarts; r++)
        {
            if (results[r].Inertia < best.Inertia && !SamePartition(results[r].Labels, best.Labels, k))
            {
                best = results[r];
            }
        }
        return WithCentroids(points, dimensions, k, best.Labels);
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
    /// <returns>Row-major k × d initial centres.</returns>
    internal static double[] SeedPlusPlus(PointSet data, int k, SeedingDraws draws, Workspace workspace) => data.Path switch
    {
        VectorPath.Vector512 => Kernel<Lanes512, Vector512<double>>.SeedPlusPlus(data, k, draws, workspace),
        VectorPath.Vector256 => Kernel<Lanes256, Vector256<double>>.SeedPlusPlus(data, k, draws, workspace),
        VectorPath.Vector128 => Kernel<Lanes128, Vector128<double>>.SeedPlusPlus(data, k, draws, workspace),
        _ => Kernel<ScalarLanes, ScalarLanes.Pair>.SeedPlusPlus(data, k, draws, workspace),
    };

    /// <summary>
    /// Lloyd iterations (scikit-learn's <c>_kmeans_single_lloyd</c> with tol = 0): assign, move each centre
    /// to its members' mean, until an assignment changes nothing; an empty cluster takes the point
    /// farthest from its centre.
    /// </summary>
    /// <param name="data">The points.</param>
    /// <param name="k">Number of clusters.</param>
    /// <param name="centres">Row-major k × d initial centres; overwritten.</param>
    /// <param name="workspace">Scratch buffers sized for <paramref name="data"/> and <paramref name="k"/>.</param>
    internal static (int[] Labels, double Inertia) Lloyd(PointSet data, int k, double[] centres, Workspace workspace) => data.Path switch
    {
        VectorPath.Vector512 => Kernel<Lanes512, Vector512<double>>.Lloyd(data, k, centres, workspace),
        VectorPath.Vector256 => Kernel<Lanes256, Vector256<double>>.Lloyd(data, k, centres, workspace),
        VectorPath.Vector128 => Kernel<Lanes128, Vector128<double>>.Lloyd(data, k, centres, workspace),
        _ => Kernel<ScalarLanes, ScalarLanes.Pair>.Lloyd(data, k, centres, workspace),
    };

    /// <summary>
    /// Nearest of the <paramref name="candidates"/> centres for each point by ‖c‖² − 2 x·c (‖x‖² is common to
    /// all centres), x·c summed over the dimensions in order from zero, ties to the earliest candidate.
    /// </summary>
    /// <param name="path">The vector width to compute with; every path gives the same labels.</param>
    /// <param name="columns">The points dimension by dimension: coordinate j of point i at j × <paramref name="stride"/> + i.</param>
    /// <param name="stride">The number of points rounded up to whole vectors of <paramref name="path"/> (padding is read, its labels are junk).</param>
    /// <param name="d">Number of dimensions.</param>
    /// <param name="centres">Row-major centres, d coordinates each.</param>
    /// <param name="candidates">The centres to consider, by index into <paramref name="centres"/>, in tie-breaking order.</param>
    /// <param name="labels">The chosen centre's index of each point, <paramref name="stride"/> long.</param>
    internal static void Nearest(
        VectorPath path, double[] columns, int stride, int d, ReadOnlySpan<double> centres, ReadOnlySpan<int> candidates, Span<int> labels)
    {
        switch (path)
        {
            case VectorPath.Vector512:
                Kernel<Lanes512, Vector512<double>>.Nearest(columns, stride, d, centres, candidates, labels);
                break;
            case VectorPath.Vector256:
                Kernel<Lanes256, Vector256<double>>.Nearest(columns, stride, d, centres, candidates, labels);
                break;
            case VectorPath.Vector128:
                Kernel<Lanes128, Vector128<double>>.Nearest(columns, stride, d, centres, candidates, labels);
                break;
            default:
                Kernel<ScalarLanes, ScalarLanes.Pair>.Nearest(columns, stride, d, centres, candidates, labels);
                break;
        }
    }

    /// <summary>The closed type of the generic kernels <see cref="Kernels.Path"/> takes, for <see cref="Barometer.PrepareKernels"/>.</summary>
    internal static Type[] KernelInstantiations => [Kernels.Path switch
    {
        VectorPath.Vector512 => typeof(Kernel<Lanes512, Vector512<double>>),
        VectorPath.Vector256 => typeof(Kernel<Lanes256, Vector256<double>>),
        VectorPath.Vector128 => typeof(Kernel<Lanes128, Vector128<double>>),
        _ => typeof(Kernel<ScalarLanes, ScalarLanes.Pair>),
    }];

    /// <summary>Points per register on <paramref name="path"/>: the padding of every layout the kernels read.</summary>
    internal static int LaneCount(VectorPath path) => path switch
    {
        VectorPath.Vector512 => Lanes512.Count,
        VectorPath.Vector256 => Lanes256.Count,
        VectorPath.Vector128 => Lanes128.Count,
        _ => ScalarLanes.Count,
    };
    /// <summary>numpy's cumsum: running sums from the first value on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CumulativeSums(ReadOnlySpan<double> values, Span<double> cumulative)
    {
        var running = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            running += values[i];
            cumulative[i] = running;
        }
    }

    /// <summary>
    /// Row-major vectors (m × d) as groups of four: group g holds, for each dimension j, coordinate j of
    /// vectors 4g..4g+3 side by side; missing vectors are zeros.
    /// </summary>
    private static void Interleave(ReadOnlySpan<double> vectors, int d, Span<double> groups)
    {
        groups.Clear();
        var m = vectors.Length / d;
        for (var v = 0; v < m; v++)
        {
            for (var j = 0; j < d; j++)
            {
                groups[((v / 4) * d * 4) + (j * 4) + (v % 4)] = vectors[(v * d) + j];
            }
        }
    }

    /// <summary>Σ over the points, in index order, of the squared distance to their centre (each a sum over the dimensions in order).</summary>
    /// <remarks>
    /// One pass of n × d operations after up to 300 of n × k × d: plain scalar code on every path. The order of the
    /// additions is fixed (points in index order), so the vector width cannot change the sum.
    /// </remarks>
    private static double Inertia(PointSet data, double[] centres, int[] labels)
    {
        var d = data.Dimensions;
        var inertia = 0.0;
        for (var i = 0; i < data.Count; i++)
        {
            inertia += SquaredDistance(data.Point(i), centres.AsSpan(labels[i] * d, d));
        }
        return inertia;
    }
    /// <summary>
    /// Gives each empty cluster the point farthest from its current centre (scikit-learn's
    /// <c>_relocate_empty_clusters_dense</c>); labels are left as they are, only the sums move.
    /// </summary>
    private static void RelocateEmptyClusters(PointSet data, double[] centres, double[] sums, double[] weights, int[] labels)
    {
        // Allocated only when a cluster is empty: most iterations have none.
        List<int>? empty = null;
        for (var c = 0; c < weights.Length; c++)
        {
            if (weights[c] == 0)
            {
                (empty ??= []).Add(c);
            }
        }
        if (empty is null)
        {
            return;
        }
        var n = data.Count;
        var d = data.Dimensions;
        var padded = data.PaddedDimensions;
        var distances = new double[n];
        for (var i = 0; i < n; i++)
        {
            distances[i] = SquaredDistance(data.Point(i), centres.AsSpan(labels[i] * d, d));
        }
        var farthest = Enumerable.Range(0, n).OrderByDescending(i => distances[i]).Take(empty.Count).ToArray();
        for (var e = 0; e < empty.Count; e++)
        {
            var point = data.Point(farthest[e]);
            var old = labels[farthest[e]];
            for (var j = 0; j < d; j++)
            {
                sums[(old * padded) + j] -= point[j];
                sums[(empty[e] * padded) + j] = point[j];
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

    /// <summary>The first index whose cumulative value reaches <paramref name="value"/> (numpy's searchsorted, side "left").</summary>
    private static int SearchSorted(ReadOnlySpan<double> cumulative, double value)
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

    /// <summary>
    /// The points in the layouts the kernels of one <see cref="VectorPath"/> read: row by row with each row
    /// padded to whole registers, and dimension by dimension with the point count padded to whole registers
    /// (padding is zeros); with each point's squared norm.
    /// </summary>
    internal sealed class PointSet
    {
        /// <summary>
        /// Copies <paramref name="points"/> (row-major n × <paramref name="dimensions"/>), minus their mean if
        /// <paramref name="centre"/>, laid out for <paramref name="path"/> (<see cref="Kernels.Path"/> when null).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public PointSet(ReadOnlySpan<double> points, int dimensions, bool centre, VectorPath? path = null)
        {
            Path = path ?? Kernels.Path;
            var width = LaneCount(Path);
            var d = dimensions;
            var n = points.Length / d;
            Dimensions = d;
            Count = n;
            Stride = (n + width - 1) / width * width;
            PaddedDimensions = (d + width - 1) / width * width;
            var mean = new double[d];
            if (centre)
            {
                for (var i = 0; i < n; i++)
                {
                    var point = points.Slice(i * d, d);
                    for (var j = 0; j < d; j++)
                    {
                        mean[j] += point[j];
                    }
                }
                for (var j = 0; j < d; j++)
                {
                    mean[j] /= n;
                }
            }
            Columns = new double[d * Stride];
            PaddedRows = new double[n * PaddedDimensions];
            for (var i = 0; i < n; i++)
            {
                var point = points.Slice(i * d, d);
                var row = PaddedRows.AsSpan(i * PaddedDimensions, d);
                for (var j = 0; j < d; j++)
                {
                    // Subtracting a zero mean leaves every value as it is (−0 included: −0 − 0 = −0).
                    var value = point[j] - mean[j];
                    row[j] = value;
                    Columns[(j * Stride) + i] = value;
                }
            }
            Norms = new double[Stride];
            for (var i = 0; i < n; i++)
            {
                Norms[i] = Dot(Point(i), Point(i));
            }
        }

        /// <summary>The vector width the kernels take on these points.</summary>
        public VectorPath Path { get; }

        /// <summary>Number of points n.</summary>
        public int Count { get; }

        /// <summary>Number of coordinates d.</summary>
        public int Dimensions { get; }

        /// <summary>n rounded up to whole registers of <see cref="Path"/>: the length of a column.</summary>
        public int Stride { get; }

        /// <summary>d rounded up to whole registers of <see cref="Path"/>: the length of a padded row.</summary>
        public int PaddedDimensions { get; }

        /// <summary>Row-major n × <see cref="PaddedDimensions"/>.</summary>
        public double[] PaddedRows { get; }

        /// <summary>Dimension-major d × <see cref="Stride"/>.</summary>
        public double[] Columns { get; }

        /// <summary>‖x‖² of each point (<see cref="Stride"/> long).</summary>
        public double[] Norms { get; }

        /// <summary>The coordinates of point <paramref name="i"/>.</summary>
        public ReadOnlySpan<double> Point(int i) => PaddedRows.AsSpan(i * PaddedDimensions, Dimensions);
    }

    /// <summary>The random numbers one k-means++ seeding consumes, taken in scikit-learn's order.</summary>
    internal sealed class SeedingDraws
    {
        private readonly double[] _uniforms;
        private readonly int _trials;

        private SeedingDraws(int first, double[] uniforms, int trials)
        {
            First = first;
            _uniforms = uniforms;
            _trials = trials;
        }

        /// <summary>The index of the first centre.</summary>
        public int First { get; }

        /// <summary>Candidates drawn per centre after the first: 2 + ⌊ln k⌋ (scikit-learn's choice).</summary>
        public static int Trials(int k) => 2 + (int)Math.Log(k);

        /// <summary>Takes a seeding's draws from <paramref name="random"/>: <c>randint(n)</c>, then the candidates' uniforms centre by centre.</summary>
        public static SeedingDraws Take(MersenneTwister random, int n, int k)
        {
            var first = random.NextInt(n);
            var trials = Trials(k);
            var uniforms = new double[(k - 1) * trials];
            for (var i = 0; i < uniforms.Length; i++)
            {
                uniforms[i] = random.NextDouble();
            }
            return new SeedingDraws(first, uniforms, trials);
        }

        /// <summary>The uniform of candidate <paramref name="trial"/> for centre <paramref name="centre"/> (1..k−1).</summary>
        public double Uniform(int centre, int trial) => _uniforms[((centre - 1) * _trials) + trial];
    }

    /// <summary>One thread's scratch buffers, reused from restart to restart.</summary>
    internal sealed class Workspace
    {
        public Workspace(PointSet data, int k)
        {
            var stride = data.Stride;
            Closest = new double[stride];
            Cumulative = new double[stride];
            CandidateDistances = new double[SeedingDraws.Trials(k)][];
            for (var t = 0; t < CandidateDistances.Length; t++)
            {
                CandidateDistances[t] = new double[stride];
            }
            Labels = new int[stride];
            PreviousLabels = new int[stride];
            AllCentres = [.. Enumerable.Range(0, k)];
            Sums = new double[k * data.PaddedDimensions];
            Weights = new double[k];
        }

        public double[] Closest { get; set; }

        public double[] Cumulative { get; }

        public double[][] CandidateDistances { get; }

        public int[] Labels { get; set; }

        public int[] PreviousLabels { get; set; }

        public double[] Sums { get; }

        public double[] Weights { get; }

        /// <summary>0..k−1: every centre is a candidate in Lloyd's assignment.</summary>
        public int[] AllCentres { get; }
    }

    /// <summary>
    /// The k-means kernels written once over the lanes of a <see cref="VectorPath"/>: each lane is one point (or,
    /// in <see cref="SumByCluster"/>, one coordinate) and performs the scalar sequence of operations, and no sum
    /// runs across lanes, so the width changes the speed and never the bits.
    /// </summary>
    private static class Kernel<TLanes, TVector>
        where TLanes : struct, IDoubleLanes<TVector>
        where TVector : struct
    {
        // Compiled ahead with the kernels (Barometer.PrepareKernels): a generic instantiation has no precompiled code to fall back on.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static double[] SeedPlusPlus(PointSet data, int k, SeedingDraws draws, Workspace workspace)
        {
            var n = data.Count;
            var d = data.Dimensions;
            var centres = new double[k * d];
            var trials = SeedingDraws.Trials(k);
            data.Point(draws.First).CopyTo(centres);
            var closest = workspace.Closest;
            SquaredDistances(data, [draws.First], [closest], nearestSoFar: null);
            var potential = Descriptive.PairwiseSum(closest.AsSpan(0, n));

            var cumulative = workspace.Cumulative;
            var candidates = new int[trials];
            var candidateDistances = workspace.CandidateDistances;
            for (var c = 1; c < k; c++)
            {
                CumulativeSums(closest.AsSpan(0, n), cumulative);
                for (var t = 0; t < trials; t++)
                {
                    candidates[t] = Math.Min(SearchSorted(cumulative.AsSpan(0, n), draws.Uniform(c, t) * potential), n - 1);
                }
                SquaredDistances(data, candidates, candidateDistances, nearestSoFar: closest);
                var bestTrial = 0;
                var bestPotential = double.PositiveInfinity;
                for (var t = 0; t < trials; t++)
                {
                    var candidatePotential = Descriptive.PairwiseSum(candidateDistances[t].AsSpan(0, n));
                    if (candidatePotential < bestPotential)
                    {
                        bestPotential = candidatePotential;
                        bestTrial = t;
                    }
                }
                potential = bestPotential;
                (closest, candidateDistances[bestTrial]) = (candidateDistances[bestTrial], closest);
                data.Point(candidates[bestTrial]).CopyTo(centres.AsSpan(c * d, d));
            }
            // The swaps above may have moved the buffers around; the workspace keeps whichever it now holds.
            workspace.Closest = closest;
            return centres;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static (int[] Labels, double Inertia) Lloyd(PointSet data, int k, double[] centres, Workspace workspace)
        {
            var n = data.Count;
            var d = data.Dimensions;
            var padded = data.PaddedDimensions;
            var labels = workspace.Labels;
            var previous = workspace.PreviousLabels;
            Array.Fill(previous, -1);
            var next = new double[k * d];
            var sums = workspace.Sums;
            var weights = workspace.Weights;
            var converged = false;
            for (var iteration = 0; iteration < MaxIterations; iteration++)
            {
                Nearest(data.Columns, data.Stride, d, centres, workspace.AllCentres, labels);
                SumByCluster(data, labels, sums, weights);
                RelocateEmptyClusters(data, centres, sums, weights, labels);
                var shift = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var sum = sums.AsSpan(c * padded, d);
                    var centre = next.AsSpan(c * d, d);
                    if (weights[c] > 0)
                    {
                        var scale = 1.0 / weights[c];
                        for (var j = 0; j < d; j++)
                        {
                            centre[j] = sum[j] * scale;
                        }
                    }
                    else
                    {
                        sum.CopyTo(centre);
                    }
                    shift += SquaredDistance(centres.AsSpan(c * d, d), centre);
                }
                (centres, next) = (next, centres);
                if (labels.AsSpan(0, n).SequenceEqual(previous.AsSpan(0, n)))
                {
                    converged = true;
                    break;
                }
                if (shift <= 0)
                {
                    break;
                }
                (labels, previous) = (previous, labels);
            }
            if (!converged)
            {
                Nearest(data.Columns, data.Stride, d, centres, workspace.AllCentres, labels);
            }
            var inertia = Inertia(data, centres, labels);
            // The swaps above may have exchanged the buffers; the workspace keeps whichever it now holds.
            workspace.Labels = labels;
            workspace.PreviousLabels = previous;
            return (labels[..n], inertia);
        }

        /// <summary>See <see cref="KMeans.Nearest"/>.</summary>
        /// <remarks>
        /// A register of points at a time, coordinates read dimension by dimension, four centres at a time (four
        /// independent sums in flight); the running best distance and its centre's index kept per lane.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Nearest(double[] columns, int stride, int d, ReadOnlySpan<double> centres, ReadOnlySpan<int> candidates, Span<int> labels)
        {
            var count = candidates.Length;
            var groups = (count + 3) / 4;
            Span<double> norms = stackalloc double[groups * 4];
            Span<double> rows = stackalloc double[count * d];
            // The labels ride in double lanes as the bits of a long: they are only ever selected, never computed
            // with, and come out as integers without a conversion.
            Span<double> labelBits = stackalloc double[groups * 4];
            for (var a = 0; a < count; a++)
            {
                var centre = centres.Slice(candidates[a] * d, d);
                norms[a] = Dot(centre, centre);
                centre.CopyTo(rows[(a * d)..]);
                labelBits[a] = BitConverter.Int64BitsToDouble(candidates[a]);
            }
            Span<double> coefficients = stackalloc double[groups * d * 4];
            Interleave(rows, d, coefficients);
            var width = TLanes.Count;
            Span<long> chosen = stackalloc long[width];
            ref var column0 = ref MemoryMarshal.GetArrayDataReference(columns);
            ref var coefficient0 = ref MemoryMarshal.GetReference(coefficients);
            ref var chosen0 = ref Unsafe.As<long, double>(ref MemoryMarshal.GetReference(chosen));
            ref var label0 = ref MemoryMarshal.GetReference(labels[..stride]);
            var firstLabel = TLanes.Create(labelBits[0]);
            for (var block = 0; block < stride; block += width)
            {
                var best = default(TVector);
                var bestLabel = firstLabel;
                for (var g = 0; g < groups; g++)
                {
                    var first = g * 4;
                    Dots(ref column0, stride, block, d, ref Unsafe.Add(ref coefficient0, first * d), count - first, out var dot0, out var dot1, out var dot2, out var dot3);
                    Consider(dot0, norms[first], first, labelBits[first], ref best, ref bestLabel);
                    if (first + 1 < count)
                    {
                        Consider(dot1, norms[first + 1], first + 1, labelBits[first + 1], ref best, ref bestLabel);
                    }
                    if (first + 2 < count)
                    {
                        Consider(dot2, norms[first + 2], first + 2, labelBits[first + 2], ref best, ref bestLabel);
                    }
                    if (first + 3 < count)
                    {
                        Consider(dot3, norms[first + 3], first + 3, labelBits[first + 3], ref best, ref bestLabel);
                    }
                }
                TLanes.Store(bestLabel, ref chosen0, 0);
                for (var lane = 0; lane < width; lane++)
                {
                    Unsafe.Add(ref label0, block + lane) = (int)chosen[lane];
                }
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static void Consider(TVector dot, double norm, int position, double label, ref TVector best, ref TVector bestLabel)
            {
                var distance = TLanes.Subtract(TLanes.Create(norm), TLanes.Multiply(dot, TLanes.Create(2.0)));
                if (position == 0)
                {
                    best = distance;
                    return;
                }
                bestLabel = TLanes.SelectWhereLess(distance, best, TLanes.Create(label), bestLabel);
                best = TLanes.SelectWhereLess(distance, best, distance, best);
            }
        }

        /// <summary>
        /// x·a, x·b, x·c, x·e for the points of one block, <paramref name="count"/> (at most four) interleaved
        /// vectors given by <paramref name="coefficients"/> (d × 4); each sum over the dimensions in order, from zero.
        /// With three vectors (k = 3, the barometer's case) no fourth sum is computed for nothing.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Dots(
            ref double column0, int stride, int block, int d, ref double coefficients, int count,
            out TVector dot0, out TVector dot1, out TVector dot2, out TVector dot3)
        {
            if (count == 3)
            {
                Sums(ref column0, stride, block, d, ref coefficients, fourth: false, out dot0, out dot1, out dot2, out dot3);
            }
            else
            {
                Sums(ref column0, stride, block, d, ref coefficients, fourth: true, out dot0, out dot1, out dot2, out dot3);
            }
        }

        /// <summary>The sums of <see cref="Dots"/>; inlined with a constant <paramref name="fourth"/>, the test leaves the loop.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Sums(
            ref double column0, int stride, int block, int d, ref double coefficients, bool fourth,
            out TVector dot0, out TVector dot1, out TVector dot2, out TVector dot3)
        {
            dot0 = dot1 = dot2 = dot3 = TLanes.Create(0.0);
            for (var j = 0; j < d; j++)
            {
                var coordinate = TLanes.Load(ref column0, (nuint)((j * stride) + block));
                ref var row = ref Unsafe.Add(ref coefficients, j * 4);
                dot0 = TLanes.Add(dot0, TLanes.Multiply(coordinate, TLanes.Create(row)));
                dot1 = TLanes.Add(dot1, TLanes.Multiply(coordinate, TLanes.Create(Unsafe.Add(ref row, 1))));
                dot2 = TLanes.Add(dot2, TLanes.Multiply(coordinate, TLanes.Create(Unsafe.Add(ref row, 2))));
                if (fourth)
                {
                    dot3 = TLanes.Add(dot3, TLanes.Multiply(coordinate, TLanes.Create(Unsafe.Add(ref row, 3))));
                }
            }
        }

        /// <summary>
        /// Each cluster's coordinate sums and member count: the points added in index order, as one
        /// scalar pass would, a point's coordinates a register at a time (each lane one coordinate).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void SumByCluster(PointSet data, int[] labels, double[] sums, double[] weights)
        {
            Array.Clear(sums);
            var n = data.Count;
            var padded = data.PaddedDimensions;
            var width = TLanes.Count;
            ref var row0 = ref MemoryMarshal.GetArrayDataReference(data.PaddedRows);
            ref var sum0 = ref MemoryMarshal.GetArrayDataReference(sums);
            ref var label0 = ref MemoryMarshal.GetArrayDataReference(labels);
            // Counted in integers: a member count is the same in a double, without a chain of dependent additions.
            Span<int> counts = stackalloc int[weights.Length];
            for (var i = 0; i < n; i++)
            {
                var label = Unsafe.Add(ref label0, i);
                ref var sum = ref Unsafe.Add(ref sum0, label * padded);
                ref var row = ref Unsafe.Add(ref row0, i * padded);
                for (var j = 0; j < padded; j += width)
                {
                    TLanes.Store(TLanes.Add(TLanes.Load(ref sum, (nuint)j), TLanes.Load(ref row, (nuint)j)), ref sum, (nuint)j);
                }
                counts[label]++;
            }
            for (var c = 0; c < weights.Length; c++)
            {
                weights[c] = counts[c];
            }
        }

        /// <summary>
        /// Squared distances of every point to each point of <paramref name="sources"/>, as scikit-learn:
        /// max(0, −2 a·x + ‖a‖² + ‖x‖²), then the smaller of that and <paramref name="nearestSoFar"/> if given.
        /// </summary>
        /// <remarks>A register of points at a time and four sources at a time, each lane the scalar sequence of operations.</remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void SquaredDistances(PointSet data, ReadOnlySpan<int> sources, double[][] distances, double[]? nearestSoFar)
        {
            var d = data.Dimensions;
            var stride = data.Stride;
            var width = TLanes.Count;
            var groups = (sources.Length + 3) / 4;
            Span<double> sourceRows = stackalloc double[groups * 4 * d];
            Span<double> sourceNorms = stackalloc double[groups * 4];
            for (var s = 0; s < sources.Length; s++)
            {
                data.Point(sources[s]).CopyTo(sourceRows[(s * d)..]);
                sourceNorms[s] = data.Norms[sources[s]];
            }
            Span<double> coefficients = stackalloc double[groups * d * 4];
            Interleave(sourceRows, d, coefficients);
            ref var column0 = ref MemoryMarshal.GetArrayDataReference(data.Columns);
            ref var coefficient0 = ref MemoryMarshal.GetReference(coefficients);
            ref var norm0 = ref MemoryMarshal.GetArrayDataReference(data.Norms);
            for (var g = 0; g < groups; g++)
            {
                var first = g * 4;
                var count = Math.Min(4, sources.Length - first);
                for (var block = 0; block < stride; block += width)
                {
                    Dots(ref column0, stride, block, d, ref Unsafe.Add(ref coefficient0, first * d), count, out var dot0, out var dot1, out var dot2, out var dot3);
                    var norms = TLanes.Load(ref norm0, (nuint)block);
                    Store(dot0, sourceNorms[first], norms, distances[first], block, nearestSoFar);
                    if (count > 1)
                    {
                        Store(dot1, sourceNorms[first + 1], norms, distances[first + 1], block, nearestSoFar);
                    }
                    if (count > 2)
                    {
                        Store(dot2, sourceNorms[first + 2], norms, distances[first + 2], block, nearestSoFar);
                    }
                    if (count > 3)
                    {
                        Store(dot3, sourceNorms[first + 3], norms, distances[first + 3], block, nearestSoFar);
                    }
                }
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static void Store(TVector dot, double sourceNorm, TVector norms, double[] destination, int block, double[]? nearestSoFar)
            {
                var distance = TLanes.Max(
                    TLanes.Create(0.0),
                    TLanes.Add(TLanes.Add(TLanes.Multiply(dot, TLanes.Create(-2.0)), TLanes.Create(sourceNorm)), norms));
                if (nearestSoFar is not null)
                {
                    distance = TLanes.Min(TLanes.Load(ref MemoryMarshal.GetArrayDataReference(nearestSoFar), (nuint)block), distance);
                }
                TLanes.Store(distance, ref MemoryMarshal.GetArrayDataReference(destination), (nuint)block);
            }
        }
    }
}
