using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Barometre.Core.Statistics;

/// <summary>The silhouette of a partition, exact (every pairwise Euclidean distance, no sampling).</summary>
public static class Silhouette
{
    /// <summary>Rows and columns of a tile of the distance matrix (a multiple of every vector width).</summary>
    private const int Tile = 2048;

    /// <summary>
    /// The mean silhouette coefficient of a partition, as scikit-learn's <c>silhouette_score</c>:
    /// s = (b − a) / max(a, b) with a the mean distance to the other members of one's own cluster and
    /// b the smallest mean distance to another cluster; 0 for a member of a singleton cluster.
    /// NaN unless 2 ≤ number of non-empty clusters ≤ n − 1.
    /// </summary>
    /// <param name="points">Row-major n × <paramref name="dimensions"/> coordinates.</param>
    /// <param name="dimensions">Number of coordinates per point.</param>
    /// <param name="labels">The cluster of each point, 0..<paramref name="clusters"/>−1.</param>
    /// <param name="clusters">Number of clusters k.</param>
    public static double Mean(ReadOnlySpan<double> points, int dimensions, ReadOnlySpan<int> labels, int clusters) =>
        Mean(points, dimensions, labels, clusters, latticeUnit: null, maxDegreeOfParallelism: -1);

    /// <summary>
    /// As <see cref="Mean(ReadOnlySpan{double}, int, ReadOnlySpan{int}, int)"/>, for points most of which lie on a lattice:
    /// every coordinate a whole multiple of <paramref name="latticeUnit"/> (theme scores are: 100/(L−1) × levels
    /// summed ÷ questions answered). The distance between two points on the lattice is computed from whole numbers,
    /// exactly, then its square root; other pairs as usual. The result agrees with the other overload to about 1e-15.
    /// </summary>
    public static double Mean(ReadOnlySpan<double> points, int dimensions, ReadOnlySpan<int> labels, int clusters, double latticeUnit) =>
        Mean(points, dimensions, labels, clusters, latticeUnit, maxDegreeOfParallelism: -1);

    /// <summary>As the public overloads, on at most <paramref name="maxDegreeOfParallelism"/> threads (−1: as many as useful).</summary>
    internal static double Mean(ReadOnlySpan<double> points, int dimensions, ReadOnlySpan<int> labels, int clusters, double? latticeUnit, int maxDegreeOfParallelism)
    {
        var n = labels.Length;
        var sizes = new int[clusters];
        foreach (var label in labels)
        {
            sizes[label]++;
        }
        var nonEmpty = sizes.Count(size => size > 0);
        if (nonEmpty < 2 || nonEmpty > n - 1)
        {
            return double.NaN;
        }

        var distanceSums = DistanceSums(points, dimensions, labels, clusters, latticeUnit, maxDegreeOfParallelism);
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var own = labels[i];
            if (sizes[own] == 1)
            {
                continue;
            }
            var a = distanceSums[(i * clusters) + own] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < clusters; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, distanceSums[(i * clusters) + c] / sizes[c]);
                }
            }
            var scale = Math.Max(a, b);
            total += scale > 0 ? (b - a) / scale : 0;
        }
        return total / n;
    }

    /// <summary>
    /// For each point i and cluster c, Σ distance(i, j) over the members j of c (row-major n × k).
    /// </summary>
    /// <remarks>
    /// Each pair is computed once. Points are sorted by cluster, so that a run of columns belongs to one
    /// cluster and a run of rows adds to one cluster's sums; the upper triangle of the distance matrix
    /// is cut into tiles of <see cref="Tile"/> × <see cref="Tile"/> points (the coordinates of a tile's
    /// columns stay in cache), tiles run in parallel, and within a tile eight rows share each load of
    /// column coordinates, several pairs per SIMD instruction, coordinates stored dimension by dimension.
    /// A tile adds each distance to its row's sums and to its column's. Each tile keeps its partial sums
    /// apart and they are added in a fixed order: the result does not depend on the number of threads.
    /// </remarks>
    internal static double[] DistanceSums(ReadOnlySpan<double> points, int dimensions, ReadOnlySpan<int> labels, int clusters, double? latticeUnit = null, int maxDegreeOfParallelism = -1)
    {
        var n = labels.Length;
        var blocks = (n + Tile - 1) / Tile;
        var padded = blocks * Tile;

        // Whole coordinates of the points on the lattice, if a lattice is given.
        var (whole, onLattice) = LatticeCoordinates(points, dimensions, n, latticeUnit);

        // Points by cluster (stable), those on the lattice first, with the first point of each cluster and the
        // first one off the lattice.
        var starts = new int[clusters + 1];
        var latticeCounts = new int[clusters];
        for (var i = 0; i < n; i++)
        {
            starts[labels[i] + 1]++;
            if (onLattice[i])
            {
                latticeCounts[labels[i]]++;
            }
        }
        for (var c = 0; c < clusters; c++)
        {
            starts[c + 1] += starts[c];
        }
        var latticeEnds = new int[clusters];
        var nextOn = new int[clusters];
        var nextOff = new int[clusters];
        for (var c = 0; c < clusters; c++)
        {
            nextOn[c] = starts[c];
            latticeEnds[c] = nextOff[c] = starts[c] + latticeCounts[c];
        }
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[onLattice[i] ? nextOn[labels[i]]++ : nextOff[labels[i]]++] = i;
        }
        var path = Kernels.Path;
        var sortedLabels = new int[n];
        var columns = new double[dimensions * padded];
        var pairs = (dimensions + 1) / 2;
        // Vectors take two coordinates per 32-bit lane; scalars one per integer.
        var latticeColumns = whole.Length > 0 && path != VectorPath.Scalar ? new int[pairs * padded] : null;
        var latticeNorms = latticeColumns is not null ? new int[padded] : null;
        var wholeColumns = whole.Length > 0 && path == VectorPath.Scalar ? new double[dimensions * padded] : null;
        for (var p = 0; p < n; p++)
        {
            sortedLabels[p] = labels[order[p]];
            for (var d = 0; d < dimensions; d++)
            {
                columns[(d * padded) + p] = points[(order[p] * dimensions) + d];
            }
            if (onLattice[order[p]] && wholeColumns is not null)
            {
                for (var d = 0; d < dimensions; d++)
                {
                    wholeColumns[(d * padded) + p] = whole[(order[p] * dimensions) + d];
                }
            }
            else if (onLattice[order[p]])
            {
                // Two coordinates per 32-bit lane, as 16-bit integers: the kernel squares and adds them in one instruction.
                var first = order[p] * dimensions;
                for (var q = 0; q < pairs; q++)
                {
                    var high = (2 * q) + 1 < dimensions ? whole[first + (2 * q) + 1] : 0;
                    latticeColumns![(q * padded) + p] = whole[first + (2 * q)] | (high << 16);
                }
                for (var d = 0; d < dimensions; d++)
                {
                    latticeNorms![p] += whole[first + d] * whole[first + d];
                }
            }
        }

        // A row's tiles are consecutive: tile (row, column) is firstTileOfRow[row] + (column − row).
        var tiles = new List<(int Row, int Column)>(blocks * (blocks + 1) / 2);
        var firstTileOfRow = new int[blocks];
        for (var row = 0; row < blocks; row++)
        {
            firstTileOfRow[row] = tiles.Count;
            for (var column = row; column < blocks; column++)
            {
                tiles.Add((row, column));
            }
        }
        // Per tile: row sums (Tile × k, by row) then column sums (k × Tile, by cluster).
        var partSize = 2 * Tile * clusters;
        var parts = new double[tiles.Count * partSize];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var tile = new TileInput(columns, sortedLabels, starts, n, padded, dimensions, clusters)
        {
            Path = path,
            LatticeColumns = latticeColumns,
            LatticeNorms = latticeNorms,
            WholeColumns = wholeColumns,
            LatticeEnds = latticeEnds,
            LatticeUnit = latticeUnit ?? double.NaN,
        };
        Parallel.For(0, tiles.Count, parallel, t =>
        {
            var (row, column) = tiles[t];
            var part = parts.AsSpan(t * partSize, partSize);
            tile.Compute(row * Tile, column * Tile, part[..(Tile * clusters)], part[(Tile * clusters)..]);
        });

        var sums = new double[n * clusters];
        Parallel.For(0, blocks, parallel, block =>
        {
            var first = block * Tile;
            var count = Math.Min(Tile, n - first);
            Span<double> total = stackalloc double[clusters];
            for (var i = 0; i < count; i++)
            {
                total.Clear();
                // As the row of tiles (block, block..), then as the column of tiles (..block, block): a fixed order.
                for (var column = block; column < blocks; column++)
                {
                    var rowSums = parts.AsSpan(((firstTileOfRow[block] + column - block) * partSize) + (i * clusters), clusters);
                    for (var c = 0; c < clusters; c++)
                    {
                        total[c] += rowSums[c];
                    }
                }
                for (var row = 0; row <= block; row++)
                {
                    var columnSums = parts.AsSpan(((firstTileOfRow[row] + block - row) * partSize) + (Tile * clusters), Tile * clusters);
                    for (var c = 0; c < clusters; c++)
                    {
                        total[c] += columnSums[(c * Tile) + i];
                    }
                }
                total.CopyTo(sums.AsSpan(order[first + i] * clusters, clusters));
            }
        });
        return sums;
    }

    /// <summary>The kernels' instantiations for the path <see cref="Kernels.Path"/> takes, to compile ahead (<see cref="Barometer.PrepareKernels"/>).</summary>
    internal static IEnumerable<MethodInfo> KernelInstantiations()
    {
        var (lattice, distances) = Kernels.Path switch
        {
            VectorPath.Vector512 => (typeof(LatticeDistances512), typeof(Distances512)),
            VectorPath.Vector256 => (typeof(LatticeDistances256), typeof(Distances256)),
            VectorPath.Vector128 => (typeof(LatticeDistances128), typeof(Distances128)),
            _ => (null, typeof(ScalarDistances)),
        };
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;
        foreach (var method in typeof(TileInput).GetMethods(Instance).Where(method => method.IsGenericMethodDefinition))
        {
            var arity = method.GetGenericArguments().Length;
            if (arity == 1)
            {
                yield return method.MakeGenericMethod(distances);
            }
            else if (lattice is not null)
            {
                yield return method.MakeGenericMethod(lattice, distances);
            }
        }
    }

    /// <summary>
    /// Largest whole coordinate on the lattice: a squared distance (at most d × this²) stays below 2^24, so that it
    /// is exact as a 32-bit integer and as a single-precision number, and each difference fits 16 bits.
    /// </summary>
    internal static int MaxLatticeCoordinate(int dimensions) => (int)Math.Sqrt(((1 << 24) - 1) / (double)Math.Max(dimensions, 1));

    /// <summary>
    /// The coordinates as whole multiples of <paramref name="unit"/> (row-major, as the points), and whether each point
    /// is on the lattice: every coordinate such a multiple, to within the rounding of the division that made it, between
    /// 0 and <see cref="MaxLatticeCoordinate"/>. No point is on it without a unit.
    /// </summary>
    private static (int[] Whole, bool[] OnLattice) LatticeCoordinates(ReadOnlySpan<double> points, int dimensions, int n, double? unit)
    {
        var onLattice = new bool[n];
        if (unit is not { } step || !(step > 0) || double.IsInfinity(step))
        {
            return ([], onLattice);
        }
        var whole = new int[n * dimensions];
        var max = MaxLatticeCoordinate(dimensions);
        for (var i = 0; i < n; i++)
        {
            var on = true;
            for (var d = 0; d < dimensions && on; d++)
            {
                var x = points[(i * dimensions) + d];
                var k = Math.Round(x / step);
                on = k >= 0 && k <= max && Math.Abs(x - (k * step)) <= 1e-13 * Math.Max(Math.Abs(x), step);
                whole[(i * dimensions) + d] = on ? (int)k : 0;
            }
            onLattice[i] = on;
        }
        return (whole, onLattice);
    }

    /// <summary>The smallest normal single: keeps the root's correction finite when s = 0, where s − r² = 0 makes it vanish.</summary>
    internal const float SmallestNormal = 1.17549435E-38f;

    /// <summary>
    /// unit × √s for an exact square s &lt; 2^24, as every path computes it: r = √s in single precision (relative error
    /// under 2^-24), the residual s − r² (exact: a correctly rounded root's residual is representable), the Newton
    /// step's correction residual × (unit/2) / r in single precision — itself under 2^-24 of the root — then
    /// unit × r + correction in double: within 2^-45 of unit × √s. IEEE operations only, so every machine and every
    /// vector width gets the same bits; no fused multiply-add in the result (the 128-bit and scalar paths may lack it).
    /// </summary>
    /// <param name="square">The exact squared distance, in whole units (a whole number below 2^24).</param>
    /// <param name="unit">The lattice's unit.</param>
    /// <param name="halfUnit">Half the unit in single precision.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double LatticeRoot(double square, double unit, float halfUnit)
    {
        var exact = (float)square;
        var root = MathF.Sqrt(exact);
        var residual = (float)(square - ((double)root * root));
        // root ≥ 0 is never NaN: the plain comparison gives what the vectors' Max gives.
        var correction = residual * (halfUnit / (root > SmallestNormal ? root : SmallestNormal));
        return ((double)root * unit) + correction;
    }

    /// <summary>The points, sorted by cluster, as the tiles read them.</summary>
    /// <remarks>
    /// The kernels are written once over <see cref="IDistanceLanes{TSelf}"/> and <see cref="ILatticeDistances{TSelf, TDouble}"/>
    /// and compiled for the path <see cref="Kernels.Path"/> chose: 512, 256 or 128-bit registers or scalars, never a
    /// type wider than the hardware's. Their logical order is the same on every path — blocks of eight rows, columns in
    /// runs aligned on 16 (whole coordinates) or 8 (doubles), each row's distances added into four running sums (column j
    /// into sum j mod 4, in column order) summed in order at the end, each column's eight distances added as a pairwise
    /// tree — so every path gives the same bits.
    /// </remarks>
    private sealed record TileInput(double[] Columns, int[] Labels, int[] ClusterStarts, int N, int Padded, int Dimensions, int Clusters)
    {
        /// <summary>Rows computed together: each load of column coordinates serves eight rows.</summary>
        private const int Rows = 8;

        /// <summary>Columns of a run of whole-number distances (the widest register's).</summary>
        private const int LatticeRun = 16;

        /// <summary>Columns of a run of double distances (the widest register's).</summary>
        private const int DoubleRun = 8;

        /// <summary>The vector width the kernels use.</summary>
        public VectorPath Path { get; init; } = Kernels.Path;

        /// <summary>The whole coordinates of the points on the lattice, two per 32-bit lane, by pair of dimensions; null without a lattice.</summary>
        public int[]? LatticeColumns { get; init; }

        /// <summary>Per point of <see cref="LatticeColumns"/>, the sum of its whole coordinates' squares.</summary>
        public int[]? LatticeNorms { get; init; }

        /// <summary>The whole coordinates as doubles, by dimension (the scalar path's); null otherwise.</summary>
        public double[]? WholeColumns { get; init; }

        /// <summary>Per cluster, the first point off the lattice (the cluster's points on it come first).</summary>
        public required int[] LatticeEnds { get; init; }

        /// <summary>The length of one whole unit of <see cref="LatticeColumns"/>.</summary>
        public double LatticeUnit { get; init; } = double.NaN;

        /// <summary>The distances between the rows of one tile and its columns (only j &gt; i on the diagonal).</summary>
        public void Compute(int firstRow, int firstColumn, Span<double> rowSums, Span<double> columnSums)
        {
            var lastRow = Math.Min(firstRow + Tile, N);
            var lastColumn = Math.Min(firstColumn + Tile, N);
            var diagonal = firstRow == firstColumn;
            var i = firstRow;
            while (i < lastRow)
            {
                var own = Labels[i];
                var ownColumnSums = columnSums.Slice(own * Tile, Tile);
                // A block's rows are all on the lattice or all off it.
                var latticeEnd = LatticeEnds[own];
                var block = i + Rows <= lastRow && Labels[i + Rows - 1] == own && (i >= latticeEnd || i + Rows <= latticeEnd);
                var latticeBlock = block && (LatticeColumns is not null || WholeColumns is not null) && i + Rows <= latticeEnd;
                var start = diagonal ? i + 1 : firstColumn;
                if (block && diagonal)
                {
                    // The pairs inside the block (all of one cluster), then the block against the columns after it.
                    for (var r = 0; r < Rows - 1; r++)
                    {
                        for (var s = r + 1; s < Rows; s++)
                        {
                            var distance = Distance(i + r, i + s);
                            rowSums[(((i + r) % Tile) * Clusters) + own] += distance;
                            ownColumnSums[i + s - firstColumn] += distance;
                        }
                    }
                    start = i + Rows;
                }
                // Columns by runs of one cluster.
                for (var c = 0; c < Clusters && start < lastColumn; c++)
                {
                    var stop = Math.Min(lastColumn, ClusterStarts[c + 1]);
                    if (stop <= start)
                    {
                        continue;
                    }
                    var run = new Run(i, firstColumn, start, stop, c);
                    if (latticeBlock)
                    {
                        // The run's columns on the lattice from whole numbers, the others as doubles.
                        var split = Math.Clamp(LatticeEnds[c], start, stop);
                        if (split > start)
                        {
                            LatticeBlockOfRows(run with { End = split }, rowSums, ownColumnSums);
                        }
                        if (stop > split)
                        {
                            BlockOfRows(run with { Start = split }, rowSums, ownColumnSums);
                        }
                    }
                    else if (block)
                    {
                        BlockOfRows(run, rowSums, ownColumnSums);
                    }
                    else
                    {
                        OneRow(run, rowSums, ownColumnSums);
                    }
                    start = stop;
                }
                i += block ? Rows : 1;
            }
        }

        /// <summary>The distance of two points as doubles: the squares added in dimension order, then the root.</summary>
        private double Distance(int i, int j)
        {
            var squared = 0.0;
            for (var d = 0; d < Dimensions; d++)
            {
                var difference = Columns[(d * Padded) + j] - Columns[(d * Padded) + i];
                squared += difference * difference;
            }
            return Math.Sqrt(squared);
        }

        private void OneRow(Run run, Span<double> rowSums, Span<double> ownColumnSums)
        {
            switch (Path)
            {
                case VectorPath.Vector512: OneRow<Distances512>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector256: OneRow<Distances256>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector128: OneRow<Distances128>(run, rowSums, ownColumnSums); break;
                default: OneRow<ScalarDistances>(run, rowSums, ownColumnSums); break;
            }
        }

        private void BlockOfRows(Run run, Span<double> rowSums, Span<double> ownColumnSums)
        {
            switch (Path)
            {
                case VectorPath.Vector512: BlockOfRows<Distances512>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector256: BlockOfRows<Distances256>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector128: BlockOfRows<Distances128>(run, rowSums, ownColumnSums); break;
                default: BlockOfRows<ScalarDistances>(run, rowSums, ownColumnSums); break;
            }
        }

        private void LatticeBlockOfRows(Run run, Span<double> rowSums, Span<double> ownColumnSums)
        {
            switch (Path)
            {
                case VectorPath.Vector512: LatticeBlockOfRows<LatticeDistances512, Distances512>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector256: LatticeBlockOfRows<LatticeDistances256, Distances256>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector128: LatticeBlockOfRows<LatticeDistances128, Distances128>(run, rowSums, ownColumnSums); break;
                default: ScalarLatticeBlockOfRows(run, rowSums, ownColumnSums); break;
            }
        }

        /// <summary>Row i against columns [start, end) of one cluster.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void OneRow<TLanes>(Run run, Span<double> rowSums, Span<double> ownColumnSums)
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            var (i, firstColumn, start, end, _) = run;
            var sum = 0.0;
            var j = start;
            for (; j < end && (j % DoubleRun != 0 || j + DoubleRun > end); j++)
            {
                var distance = Distance(i, j);
                sum += distance;
                ownColumnSums[j - firstColumn] += distance;
            }
            if (j < end)
            {
                Span<double> point = stackalloc double[Dimensions];
                for (var d = 0; d < Dimensions; d++)
                {
                    point[d] = Columns[(d * Padded) + i];
                }
                Span<double> quad = stackalloc double[4];
                ref var coordinates = ref MemoryMarshal.GetArrayDataReference(Columns);
                ref var columnTotals = ref MemoryMarshal.GetReference(ownColumnSums);
                var runsEnd = j + ((end - j) / DoubleRun * DoubleRun);
                for (; j < runsEnd; j += TLanes.Count)
                {
                    var squared = TLanes.Zero;
                    for (var d = 0; d < Dimensions; d++)
                    {
                        var difference = TLanes.Load(ref Unsafe.Add(ref coordinates, (d * Padded) + j)) - TLanes.Broadcast(point[d]);
                        squared += difference * difference;
                    }
                    var distance = TLanes.Sqrt(squared);
                    distance.AddToQuad(ref quad[j & 3]);
                    ref var total = ref Unsafe.Add(ref columnTotals, j - firstColumn);
                    (TLanes.Load(ref total) + distance).Store(ref total);
                }
                sum += QuadSum(quad);
                for (; j < end; j++)
                {
                    var distance = Distance(i, j);
                    sum += distance;
                    ownColumnSums[j - firstColumn] += distance;
                }
            }
            rowSums[((i % Tile) * Clusters) + run.Cluster] += sum;
        }

        /// <summary>Rows i..i+7 (one cluster) against columns [start, end) of one cluster, as doubles.</summary>
        /// <remarks>
        /// The hot loop: eight rows' coordinates broadcast against a register of columns, dimension by dimension,
        /// with references instead of indexed spans so that no bounds check sits between the loads.
        /// </remarks>
        // Jitted for this machine's vectors at once, never taken from ReadyToRun code built for a baseline CPU.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BlockOfRows<TLanes>(Run run, Span<double> rowSums, Span<double> ownColumnSums)
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            var (i, firstColumn, start, end, _) = run;
            Span<double> sums = stackalloc double[Rows];
            var j = start;
            for (; j < end && (j % DoubleRun != 0 || j + DoubleRun > end); j++)
            {
                AddColumnOneByOne(i, j, firstColumn, sums, ownColumnSums);
            }
            if (j + DoubleRun <= end)
            {
                Span<double> rowCoordinates = stackalloc double[Dimensions * Rows];
                for (var d = 0; d < Dimensions; d++)
                {
                    for (var r = 0; r < Rows; r++)
                    {
                        rowCoordinates[(d * Rows) + r] = Columns[(d * Padded) + i + r];
                    }
                }
                Span<double> quads = stackalloc double[4 * Rows];
                ref var coordinates = ref MemoryMarshal.GetArrayDataReference(Columns);
                ref var rows = ref MemoryMarshal.GetReference(rowCoordinates);
                ref var columnTotals = ref MemoryMarshal.GetReference(ownColumnSums);
                ref var quad = ref MemoryMarshal.GetReference(quads);
                var stride = Padded;
                var dimensions = Dimensions;
                var runsEnd = j + ((end - j) / DoubleRun * DoubleRun);
                for (; j < runsEnd; j += TLanes.Count)
                {
                    TLanes s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                    ref var column = ref Unsafe.Add(ref coordinates, j);
                    ref var row = ref rows;
                    for (var d = 0; d < dimensions; d++)
                    {
                        var x = TLanes.Load(ref column);
                        var e0 = x - TLanes.Broadcast(row);
                        var e1 = x - TLanes.Broadcast(Unsafe.Add(ref row, 1));
                        var e2 = x - TLanes.Broadcast(Unsafe.Add(ref row, 2));
                        var e3 = x - TLanes.Broadcast(Unsafe.Add(ref row, 3));
                        var e4 = x - TLanes.Broadcast(Unsafe.Add(ref row, 4));
                        var e5 = x - TLanes.Broadcast(Unsafe.Add(ref row, 5));
                        var e6 = x - TLanes.Broadcast(Unsafe.Add(ref row, 6));
                        var e7 = x - TLanes.Broadcast(Unsafe.Add(ref row, 7));
                        s0 += e0 * e0;
                        s1 += e1 * e1;
                        s2 += e2 * e2;
                        s3 += e3 * e3;
                        s4 += e4 * e4;
                        s5 += e5 * e5;
                        s6 += e6 * e6;
                        s7 += e7 * e7;
                        column = ref Unsafe.Add(ref column, stride);
                        row = ref Unsafe.Add(ref row, Rows);
                    }
                    AddDistances(ref quad, j & 3, ref Unsafe.Add(ref columnTotals, j - firstColumn),
                        TLanes.Sqrt(s0), TLanes.Sqrt(s1), TLanes.Sqrt(s2), TLanes.Sqrt(s3), TLanes.Sqrt(s4), TLanes.Sqrt(s5), TLanes.Sqrt(s6), TLanes.Sqrt(s7));
                }
                AddQuadSums(sums, quads);
            }
            FinishBlock(i, j, end, firstColumn, run.Cluster, sums, rowSums, ownColumnSums);
        }

        /// <summary>Rows i..i+7 (one cluster, on the lattice) against columns [start, end) of one cluster, all on the lattice.</summary>
        /// <remarks>
        /// As <see cref="BlockOfRows{TLanes}"/>, from whole coordinates: the squared distance in whole units is exact
        /// (‖x‖² + ‖y‖² − Σ x·2y, the products of 16-bit coordinates added in 32 bits), its root taken as
        /// <see cref="LatticeRoot"/> does — within 2^-45 of the double root, with no double-precision square root.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void LatticeBlockOfRows<TLattice, TLanes>(Run run, Span<double> rowSums, Span<double> ownColumnSums)
            where TLattice : struct, ILatticeDistances<TLattice, TLanes>
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            var (i, firstColumn, start, end, _) = run;
            Span<double> sums = stackalloc double[Rows];
            var j = start;
            for (; j < end && (j % LatticeRun != 0 || j + LatticeRun > end); j++)
            {
                AddColumnOneByOne(i, j, firstColumn, sums, ownColumnSums);
            }
            if (j + LatticeRun <= end)
            {
                // The rows' coordinates doubled (each 16-bit half: below 2^13, so no carry into the other), so that one
                // multiply-add per pair of dimensions gives 2 x·y.
                var pairs = (Dimensions + 1) / 2;
                Span<int> rowCoordinates = stackalloc int[pairs * Rows];
                for (var q = 0; q < pairs; q++)
                {
                    for (var r = 0; r < Rows; r++)
                    {
                        rowCoordinates[(q * Rows) + r] = 2 * LatticeColumns![(q * Padded) + i + r];
                    }
                }
                Span<double> quads = stackalloc double[4 * Rows];
                ref var coordinates = ref MemoryMarshal.GetArrayDataReference(LatticeColumns!);
                ref var norms = ref MemoryMarshal.GetArrayDataReference(LatticeNorms!);
                ref var rowNorms = ref Unsafe.Add(ref norms, i);
                ref var rows = ref MemoryMarshal.GetReference(rowCoordinates);
                ref var columnTotals = ref MemoryMarshal.GetReference(ownColumnSums);
                ref var quad = ref MemoryMarshal.GetReference(quads);
                var stride = Padded;
                var unit = TLanes.Broadcast(LatticeUnit);
                var halfUnit = (float)(LatticeUnit / 2);
                var half = TLanes.Count;
                var runsEnd = j + ((end - j) / LatticeRun * LatticeRun);
                for (; j < runsEnd; j += TLattice.Count)
                {
                    var columnNorms = TLattice.Load(ref Unsafe.Add(ref norms, j));
                    var s0 = columnNorms + TLattice.Broadcast(rowNorms);
                    var s1 = columnNorms + TLattice.Broadcast(Unsafe.Add(ref rowNorms, 1));
                    var s2 = columnNorms + TLattice.Broadcast(Unsafe.Add(ref rowNorms, 2));
                    var s3 = columnNorms + TLattice.Broadcast(Unsafe.Add(ref rowNorms, 3));
                    var s4 = columnNorms + TLattice.Broadcast(Unsafe.Add(ref rowNorms, 4));
                    var s5 = columnNorms + TLattice.Broadcast(Unsafe.Add(ref rowNorms, 5));
                    var s6 = columnNorms + TLattice.Broadcast(Unsafe.Add(ref rowNorms, 6));
                    var s7 = columnNorms + TLattice.Broadcast(Unsafe.Add(ref rowNorms, 7));
                    ref var column = ref Unsafe.Add(ref coordinates, j);
                    ref var row = ref rows;
                    for (var q = 0; q < pairs; q++)
                    {
                        var x = TLattice.Load(ref column);
                        s0 = TLattice.SubtractProducts(s0, x, TLattice.Broadcast(row));
                        s1 = TLattice.SubtractProducts(s1, x, TLattice.Broadcast(Unsafe.Add(ref row, 1)));
                        s2 = TLattice.SubtractProducts(s2, x, TLattice.Broadcast(Unsafe.Add(ref row, 2)));
                        s3 = TLattice.SubtractProducts(s3, x, TLattice.Broadcast(Unsafe.Add(ref row, 3)));
                        s4 = TLattice.SubtractProducts(s4, x, TLattice.Broadcast(Unsafe.Add(ref row, 4)));
                        s5 = TLattice.SubtractProducts(s5, x, TLattice.Broadcast(Unsafe.Add(ref row, 5)));
                        s6 = TLattice.SubtractProducts(s6, x, TLattice.Broadcast(Unsafe.Add(ref row, 6)));
                        s7 = TLattice.SubtractProducts(s7, x, TLattice.Broadcast(Unsafe.Add(ref row, 7)));
                        column = ref Unsafe.Add(ref column, stride);
                        row = ref Unsafe.Add(ref row, Rows);
                    }
                    // Row by row into its four sums as soon as its roots are known, the column totals' tree built along
                    // (((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7))): few registers live at once.
                    ref var lowerQuad = ref Unsafe.Add(ref quad, j & 3);
                    ref var upperQuad = ref Unsafe.Add(ref quad, (j + half) & 3);
                    var (lower01, upper01) = Pair(s0, s1, unit, halfUnit, ref lowerQuad, ref upperQuad);
                    var (lower23, upper23) = Pair(s2, s3, unit, halfUnit, ref Unsafe.Add(ref lowerQuad, 8), ref Unsafe.Add(ref upperQuad, 8));
                    var lower0123 = lower01 + lower23;
                    var upper0123 = upper01 + upper23;
                    var (lower45, upper45) = Pair(s4, s5, unit, halfUnit, ref Unsafe.Add(ref lowerQuad, 16), ref Unsafe.Add(ref upperQuad, 16));
                    var (lower67, upper67) = Pair(s6, s7, unit, halfUnit, ref Unsafe.Add(ref lowerQuad, 24), ref Unsafe.Add(ref upperQuad, 24));
                    ref var totals = ref Unsafe.Add(ref columnTotals, j - firstColumn);
                    (TLanes.Load(ref totals) + (lower0123 + (lower45 + lower67))).Store(ref totals);
                    ref var upperTotals = ref Unsafe.Add(ref totals, half);
                    (TLanes.Load(ref upperTotals) + (upper0123 + (upper45 + upper67))).Store(ref upperTotals);
                }
                AddQuadSums(sums, quads);
            }
            FinishBlock(i, j, end, firstColumn, run.Cluster, sums, rowSums, ownColumnSums);

            // Two rows' roots, each added to its four running sums (the second row's 4 doubles further), and their sums.
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static (TLanes Lower, TLanes Upper) Pair(TLattice first, TLattice second, TLanes unit, float halfUnit, ref double lowerQuad, ref double upperQuad)
            {
                TLattice.Roots(first, unit, halfUnit, out var lower0, out var upper0);
                lower0.AddToQuad(ref lowerQuad);
                upper0.AddToQuad(ref upperQuad);
                TLattice.Roots(second, unit, halfUnit, out var lower1, out var upper1);
                lower1.AddToQuad(ref Unsafe.Add(ref lowerQuad, 4));
                upper1.AddToQuad(ref Unsafe.Add(ref upperQuad, 4));
                return (lower0 + lower1, upper0 + upper1);
            }
        }

        /// <summary>
        /// As <see cref="LatticeBlockOfRows{TLattice, TLanes}"/> without vectors: the same squares, each root by
        /// <see cref="LatticeRoot"/> (the same operations as the vectors' lanes).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ScalarLatticeBlockOfRows(Run run, Span<double> rowSums, Span<double> ownColumnSums)
        {
            var (i, firstColumn, start, end, _) = run;
            Span<double> sums = stackalloc double[Rows];
            var j = start;
            for (; j < end && (j % LatticeRun != 0 || j + LatticeRun > end); j++)
            {
                AddColumnOneByOne(i, j, firstColumn, sums, ownColumnSums);
            }
            if (j + LatticeRun <= end)
            {
                // The squared distance as ‖x‖² + ‖y‖² − 2 x·y from whole numbers held as doubles: every product and sum is
                // a whole number below 2^53, so exactly the vectors' Σ (x − y)², with the floating-point units' two
                // multipliers instead of the one integer multiplier.
                var dimensions = Dimensions;
                Span<double> rowCoordinates = stackalloc double[dimensions * Rows];
                Span<double> rowNorms = stackalloc double[Rows];
                for (var d = 0; d < dimensions; d++)
                {
                    for (var r = 0; r < Rows; r++)
                    {
                        var x = WholeColumns![(d * Padded) + i + r];
                        rowCoordinates[(d * Rows) + r] = x;
                        rowNorms[r] += x * x;
                    }
                }
                Span<double> quads = stackalloc double[4 * Rows];
                var unit = LatticeUnit;
                var halfUnit = (float)(LatticeUnit / 2);
                ref var whole = ref MemoryMarshal.GetArrayDataReference(WholeColumns!);
                ref var rows = ref MemoryMarshal.GetReference(rowCoordinates);
                var stride = Padded;
                double n0 = rowNorms[0], n1 = rowNorms[1], n2 = rowNorms[2], n3 = rowNorms[3], n4 = rowNorms[4], n5 = rowNorms[5], n6 = rowNorms[6], n7 = rowNorms[7];
                var runsEnd = j + ((end - j) / LatticeRun * LatticeRun);
                for (; j < runsEnd; j++)
                {
                    double p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0, norm = 0;
                    ref var column = ref Unsafe.Add(ref whole, j);
                    ref var row = ref rows;
                    for (var d = 0; d < dimensions; d++)
                    {
                        var x = column;
                        norm += x * x;
                        p0 += x * row;
                        p1 += x * Unsafe.Add(ref row, 1);
                        p2 += x * Unsafe.Add(ref row, 2);
                        p3 += x * Unsafe.Add(ref row, 3);
                        p4 += x * Unsafe.Add(ref row, 4);
                        p5 += x * Unsafe.Add(ref row, 5);
                        p6 += x * Unsafe.Add(ref row, 6);
                        p7 += x * Unsafe.Add(ref row, 7);
                        column = ref Unsafe.Add(ref column, stride);
                        row = ref Unsafe.Add(ref row, Rows);
                    }
                    var d0 = LatticeRoot(n0 + norm - (2 * p0), unit, halfUnit);
                    var d1 = LatticeRoot(n1 + norm - (2 * p1), unit, halfUnit);
                    var d2 = LatticeRoot(n2 + norm - (2 * p2), unit, halfUnit);
                    var d3 = LatticeRoot(n3 + norm - (2 * p3), unit, halfUnit);
                    var d4 = LatticeRoot(n4 + norm - (2 * p4), unit, halfUnit);
                    var d5 = LatticeRoot(n5 + norm - (2 * p5), unit, halfUnit);
                    var d6 = LatticeRoot(n6 + norm - (2 * p6), unit, halfUnit);
                    var d7 = LatticeRoot(n7 + norm - (2 * p7), unit, halfUnit);
                    var lane = j & 3;
                    quads[lane] += d0;
                    quads[4 + lane] += d1;
                    quads[8 + lane] += d2;
                    quads[12 + lane] += d3;
                    quads[16 + lane] += d4;
                    quads[20 + lane] += d5;
                    quads[24 + lane] += d6;
                    quads[28 + lane] += d7;
                    ownColumnSums[j - firstColumn] += ((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7));
                }
                AddQuadSums(sums, quads);
            }
            FinishBlock(i, j, end, firstColumn, run.Cluster, sums, rowSums, ownColumnSums);
        }

        /// <summary>
        /// One register of columns' distances to the eight rows: each row's into its four running sums (the register's
        /// first column is column <paramref name="lane"/> mod 4), the columns' totals by a pairwise tree over the rows.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddDistances<TLanes>(ref double quad, int lane, ref double totals, TLanes d0, TLanes d1, TLanes d2, TLanes d3, TLanes d4, TLanes d5, TLanes d6, TLanes d7)
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            d0.AddToQuad(ref Unsafe.Add(ref quad, lane));
            d1.AddToQuad(ref Unsafe.Add(ref quad, 4 + lane));
            d2.AddToQuad(ref Unsafe.Add(ref quad, 8 + lane));
            d3.AddToQuad(ref Unsafe.Add(ref quad, 12 + lane));
            d4.AddToQuad(ref Unsafe.Add(ref quad, 16 + lane));
            d5.AddToQuad(ref Unsafe.Add(ref quad, 20 + lane));
            d6.AddToQuad(ref Unsafe.Add(ref quad, 24 + lane));
            d7.AddToQuad(ref Unsafe.Add(ref quad, 28 + lane));
            (TLanes.Load(ref totals) + (((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7)))).Store(ref totals);
        }

        /// <summary>Each row's four running sums, added in order, into its sum.</summary>
        private static void AddQuadSums(Span<double> sums, ReadOnlySpan<double> quads)
        {
            for (var r = 0; r < Rows; r++)
            {
                sums[r] += QuadSum(quads.Slice(4 * r, 4));
            }
        }

        /// <summary>Four running sums added in a fixed order (never the runtime's horizontal sum, whose order is its own).</summary>
        private static double QuadSum(ReadOnlySpan<double> quad) => (((0.0 + quad[0]) + quad[1]) + quad[2]) + quad[3];

        /// <summary>The block's last columns [j, end) one by one, then its rows' sums added to the tile's.</summary>
        private void FinishBlock(int i, int j, int end, int firstColumn, int cluster, Span<double> sums, Span<double> rowSums, Span<double> ownColumnSums)
        {
            for (; j < end; j++)
            {
                AddColumnOneByOne(i, j, firstColumn, sums, ownColumnSums);
            }
            var first = (i % Tile) * Clusters;
            for (var r = 0; r < Rows; r++)
            {
                rowSums[first + (r * Clusters) + cluster] += sums[r];
            }
        }

        private void AddColumnOneByOne(int i, int j, int firstColumn, Span<double> sums, Span<double> ownColumnSums)
        {
            var total = 0.0;
            for (var r = 0; r < Rows; r++)
            {
                var distance = Distance(i + r, j);
                sums[r] += distance;
                total += distance;
            }
            ownColumnSums[j - firstColumn] += total;
        }
    }

    /// <summary>Row <see cref="Row"/> (or the block starting there) against columns [<see cref="Start"/>, <see cref="End"/>) of cluster <see cref="Cluster"/>.</summary>
    private readonly record struct Run(int Row, int FirstColumn, int Start, int End, int Cluster);
}
