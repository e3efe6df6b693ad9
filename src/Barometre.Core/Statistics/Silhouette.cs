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
                // Offsets into parts rather than a span per tile and row: this loop runs n × blocks times.
                for (var column = block; column < blocks; column++)
                {
                    var rowSums = ((firstTileOfRow[block] + column - block) * partSize) + (i * clusters);
                    for (var c = 0; c < clusters; c++)
                    {
                        total[c] += parts[rowSums + c];
                    }
                }
                for (var row = 0; row <= block; row++)
                {
                    var columnSums = ((firstTileOfRow[row] + block - row) * partSize) + (Tile * clusters) + i;
                    for (var c = 0; c < clusters; c++)
                    {
                        total[c] += parts[columnSums + (c * Tile)];
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
        var singles = Kernels.Path switch
        {
            VectorPath.Vector512 => typeof(Singles512),
            VectorPath.Vector256 => typeof(Singles256),
            _ => typeof(Singles128),
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
                yield return method.MakeGenericMethod(lattice, singles, distances);
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

    /// <summary>
    /// √s for an exact square s &lt; 2^24 as every path computes it: r = √s in single precision (relative error under
    /// 2^-24) and the Newton quotient q = (s − r²) / max(r, 1) in single precision (the residual s − r² is exact: a
    /// correctly rounded root's residual is representable; r ≥ 1 unless s = 0, where the residual is 0). The distance
    /// is unit × (r + q/2), within 2^-45 of unit × √s; the kernels add the r exactly, in double, and the q in single
    /// precision, and multiply by unit and unit/2 once per sum. IEEE operations only, so every machine and every
    /// vector width gets the same bits; no fused multiply-add in a result (the 128-bit and scalar paths may lack it).
    /// </summary>
    /// <param name="square">The exact squared distance, in whole units (a whole number below 2^24).</param>
    /// <param name="quotient">(s − r²) / max(r, 1).</param>
    /// <returns>r.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float LatticeRoot(double square, out float quotient)
    {
        var exact = (float)square;
        var root = MathF.Sqrt(exact);
        var residual = (float)(square - ((double)root * root));
        // root ≥ 0 is never NaN: the plain comparison gives what the vectors' Max gives.
        quotient = residual / (root > 1f ? root : 1f);
        return root;
    }

    /// <summary>The points, sorted by cluster, as the tiles read them.</summary>
    /// <remarks>
    /// The kernels are written once over <see cref="IDistanceLanes{TSelf}"/> and <see cref="ILatticeDistances{TSelf, TDouble}"/>
    /// and compiled for the path <see cref="Kernels.Path"/> chose: 512, 256 or 128-bit registers or scalars, never a
    /// type wider than the hardware's. Their logical order is the same on every path — blocks of eight rows, columns in
    /// runs aligned on 16 (whole coordinates) or 8 (doubles); with doubles each row's distances added into four running
    /// sums (column j into sum j mod 4, in column order) summed in order at the end, each column's eight distances added
    /// as a pairwise tree; on the lattice the roots' sums exact and the quotients in eight running sums and a pairwise
    /// tree (<see cref="LatticeBlockOfRows{TLattice, TSingles, TLanes}"/>) — so every path gives the same bits.
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
                case VectorPath.Vector512: LatticeBlockOfRows<LatticeDistances512, Singles512, Distances512>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector256: LatticeBlockOfRows<LatticeDistances256, Singles256, Distances256>(run, rowSums, ownColumnSums); break;
                case VectorPath.Vector128: LatticeBlockOfRows<LatticeDistances128, Singles128, Distances128>(run, rowSums, ownColumnSums); break;
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
                AddColumnOneByOne<TLanes>(i, j, firstColumn, sums, ownColumnSums);
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
            FinishBlock<TLanes>(i, j, end, firstColumn, run.Cluster, sums, rowSums, ownColumnSums);
        }

        /// <summary>Rows i..i+7 (one cluster, on the lattice) against columns [start, end) of one cluster, all on the lattice.</summary>
        /// <remarks>
        /// As <see cref="BlockOfRows{TLanes}"/>, from whole coordinates: the squared distance in whole units is exact
        /// (‖x‖² + ‖y‖² − Σ x·2y, the products of 16-bit coordinates added in 32 bits), its root taken as
        /// <see cref="LatticeRoot"/> does: r and the quotient q in single precision, no double-precision square root.
        /// The distances are never formed one by one. A row's roots are added in double, which is exact whatever the
        /// order (each r is 0 or a multiple of 2^-23 in [1, 4096), and a block's sum stays below 2^30), its quotients
        /// into eight running sums in single precision (column j into sum j mod 8); each column's eight roots in double
        /// and its eight quotients by a pairwise tree; each sum is multiplied by unit and unit/2 once.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void LatticeBlockOfRows<TLattice, TSingles, TLanes>(Run run, Span<double> rowSums, Span<double> ownColumnSums)
            where TLattice : struct, ILatticeDistances<TLattice, TSingles>
            where TSingles : struct, ISingleLanes<TSingles, TLanes>
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            var (i, firstColumn, start, end, _) = run;
            Span<double> sums = stackalloc double[Rows];
            var j = start;
            for (; j < end && (j % LatticeRun != 0 || j + LatticeRun > end); j++)
            {
                AddColumnOneByOne<TLanes>(i, j, firstColumn, sums, ownColumnSums);
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
                var width = TLanes.Count;
                Span<double> rootSums = stackalloc double[width * Rows];
                Span<float> quotientSums = stackalloc float[8 * Rows];
                ref var coordinates = ref MemoryMarshal.GetArrayDataReference(LatticeColumns!);
                ref var norms = ref MemoryMarshal.GetArrayDataReference(LatticeNorms!);
                ref var rowNorms = ref Unsafe.Add(ref norms, i);
                ref var rows = ref MemoryMarshal.GetReference(rowCoordinates);
                ref var columnTotals = ref MemoryMarshal.GetReference(ownColumnSums);
                ref var rowRoots = ref MemoryMarshal.GetReference(rootSums);
                ref var rowQuotients = ref MemoryMarshal.GetReference(quotientSums);
                var stride = Padded;
                var unit = TLanes.Broadcast(LatticeUnit);
                var halfUnit = TLanes.Broadcast(LatticeUnit / 2);
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
                    // Row by row into its sums as soon as its roots are known, the columns' sums built along: few
                    // registers live at once. The quotients' tree is (((q0 + q1) + (q2 + q3)) + ((q4 + q5) + (q6 + q7))).
                    var (lower01, upper01, quotients01) = Pair(s0, s1, ref rowRoots, ref rowQuotients, j);
                    var (lower23, upper23, quotients23) = Pair(s2, s3, ref Unsafe.Add(ref rowRoots, 2 * width), ref Unsafe.Add(ref rowQuotients, 16), j);
                    var lower0123 = lower01 + lower23;
                    var upper0123 = upper01 + upper23;
                    var quotients0123 = quotients01 + quotients23;
                    var (lower45, upper45, quotients45) = Pair(s4, s5, ref Unsafe.Add(ref rowRoots, 4 * width), ref Unsafe.Add(ref rowQuotients, 32), j);
                    var (lower67, upper67, quotients67) = Pair(s6, s7, ref Unsafe.Add(ref rowRoots, 6 * width), ref Unsafe.Add(ref rowQuotients, 48), j);
                    TSingles.Widen(quotients0123 + (quotients45 + quotients67), out var quotientsLower, out var quotientsUpper);
                    ref var totals = ref Unsafe.Add(ref columnTotals, j - firstColumn);
                    (TLanes.Load(ref totals) + (((lower0123 + (lower45 + lower67)) * unit) + (quotientsLower * halfUnit))).Store(ref totals);
                    ref var upperTotals = ref Unsafe.Add(ref totals, width);
                    (TLanes.Load(ref upperTotals) + (((upper0123 + (upper45 + upper67)) * unit) + (quotientsUpper * halfUnit))).Store(ref upperTotals);
                }
                AddLatticeSums(sums, rootSums, quotientSums);
            }
            FinishBlock<TLanes>(i, j, end, firstColumn, run.Cluster, sums, rowSums, ownColumnSums);

            // Two rows' roots and quotients added to their sums (the second row's further on); the columns' sums of both.
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static (TLanes Lower, TLanes Upper, TSingles Quotients) Pair(TLattice first, TLattice second, ref double rowRoots, ref float rowQuotients, int column)
            {
                var roots0 = TLattice.Roots(first, out var quotients0);
                TSingles.Widen(roots0, out var lower0, out var upper0);
                (TLanes.Load(ref rowRoots) + (lower0 + upper0)).Store(ref rowRoots);
                quotients0.AddToOctet(ref rowQuotients, column);
                var roots1 = TLattice.Roots(second, out var quotients1);
                TSingles.Widen(roots1, out var lower1, out var upper1);
                ref var secondRoots = ref Unsafe.Add(ref rowRoots, TLanes.Count);
                (TLanes.Load(ref secondRoots) + (lower1 + upper1)).Store(ref secondRoots);
                quotients1.AddToOctet(ref Unsafe.Add(ref rowQuotients, 8), column);
                return (lower0 + lower1, upper0 + upper1, quotients0 + quotients1);
            }
        }

        /// <summary>
        /// As <see cref="LatticeBlockOfRows{TLattice, TSingles, TLanes}"/> without vectors: the same squares, the same
        /// roots and quotients (<see cref="LatticeRoot"/>), the same sums.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ScalarLatticeBlockOfRows(Run run, Span<double> rowSums, Span<double> ownColumnSums)
        {
            var (i, firstColumn, start, end, _) = run;
            Span<double> sums = stackalloc double[Rows];
            var j = start;
            for (; j < end && (j % LatticeRun != 0 || j + LatticeRun > end); j++)
            {
                AddColumnOneByOne<ScalarDistances>(i, j, firstColumn, sums, ownColumnSums);
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
                Span<double> rootSums = stackalloc double[Rows];
                Span<float> quotientSums = stackalloc float[8 * Rows];
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
                    var r0 = LatticeRoot(n0 + norm - (2 * p0), out var q0);
                    var r1 = LatticeRoot(n1 + norm - (2 * p1), out var q1);
                    var r2 = LatticeRoot(n2 + norm - (2 * p2), out var q2);
                    var r3 = LatticeRoot(n3 + norm - (2 * p3), out var q3);
                    var r4 = LatticeRoot(n4 + norm - (2 * p4), out var q4);
                    var r5 = LatticeRoot(n5 + norm - (2 * p5), out var q5);
                    var r6 = LatticeRoot(n6 + norm - (2 * p6), out var q6);
                    var r7 = LatticeRoot(n7 + norm - (2 * p7), out var q7);
                    rootSums[0] += r0;
                    rootSums[1] += r1;
                    rootSums[2] += r2;
                    rootSums[3] += r3;
                    rootSums[4] += r4;
                    rootSums[5] += r5;
                    rootSums[6] += r6;
                    rootSums[7] += r7;
                    var lane = j & 7;
                    quotientSums[lane] += q0;
                    quotientSums[8 + lane] += q1;
                    quotientSums[16 + lane] += q2;
                    quotientSums[24 + lane] += q3;
                    quotientSums[32 + lane] += q4;
                    quotientSums[40 + lane] += q5;
                    quotientSums[48 + lane] += q6;
                    quotientSums[56 + lane] += q7;
                    var roots = (double)r0 + r1 + r2 + r3 + r4 + r5 + r6 + r7;
                    ownColumnSums[j - firstColumn] += LatticeSum(roots, ((q0 + q1) + (q2 + q3)) + ((q4 + q5) + (q6 + q7)));
                }
                AddLatticeSums(sums, rootSums, quotientSums);
            }
            FinishBlock<ScalarDistances>(i, j, end, firstColumn, run.Cluster, sums, rowSums, ownColumnSums);
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

        /// <summary>
        /// Each row's distances to a lattice block's columns: unit × its roots' sum (exact: summed in any order, here
        /// as <paramref name="rootSums"/> holds them, <c>rootSums.Length / 8</c> per row) + unit/2 × its eight
        /// quotients' sums added by a pairwise tree in single precision.
        /// </summary>
        private void AddLatticeSums(Span<double> sums, ReadOnlySpan<double> rootSums, ReadOnlySpan<float> quotientSums)
        {
            var perRow = rootSums.Length / Rows;
            for (var r = 0; r < Rows; r++)
            {
                var roots = 0.0;
                foreach (var part in rootSums.Slice(perRow * r, perRow))
                {
                    roots += part;
                }
                var q = quotientSums.Slice(8 * r, 8);
                sums[r] += LatticeSum(roots, ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7])));
            }
        }

        /// <summary>
        /// The distances whose roots add to <paramref name="roots"/> and quotients to <paramref name="quotients"/>:
        /// unit × roots + unit/2 × quotients (<see cref="LatticeRoot"/>), as the vector kernel forms its columns' totals.
        /// </summary>
        private double LatticeSum(double roots, float quotients) => (roots * LatticeUnit) + ((double)quotients * (LatticeUnit / 2));

        /// <summary>Four running sums added in a fixed order (never the runtime's horizontal sum, whose order is its own).</summary>
        private static double QuadSum(ReadOnlySpan<double> quad) => (((0.0 + quad[0]) + quad[1]) + quad[2]) + quad[3];

        /// <summary>The block's last columns [j, end) one by one, then its rows' sums added to the tile's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void FinishBlock<TLanes>(int i, int j, int end, int firstColumn, int cluster, Span<double> sums, Span<double> rowSums, Span<double> ownColumnSums)
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            for (; j < end; j++)
            {
                AddColumnOneByOne<TLanes>(i, j, firstColumn, sums, ownColumnSums);
            }
            var first = (i % Tile) * Clusters;
            for (var r = 0; r < Rows; r++)
            {
                rowSums[first + (r * Clusters) + cluster] += sums[r];
            }
        }

        /// <summary>
        /// Column j against the block's eight rows, each distance as <see cref="Distance"/> computes it (the squares added
        /// in dimension order, then the root): the rows are consecutive in <see cref="Columns"/>, so their coordinates
        /// load as registers against the column's broadcast one. The rows' sums, then the column's total in row order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void AddColumnOneByOne<TLanes>(int i, int j, int firstColumn, Span<double> sums, Span<double> ownColumnSums)
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            Span<double> distances = stackalloc double[Rows];
            ref var coordinates = ref MemoryMarshal.GetArrayDataReference(Columns);
            for (var part = 0; part < Rows; part += TLanes.Count)
            {
                var squared = TLanes.Zero;
                for (var d = 0; d < Dimensions; d++)
                {
                    ref var dimension = ref Unsafe.Add(ref coordinates, d * Padded);
                    var difference = TLanes.Broadcast(Unsafe.Add(ref dimension, j)) - TLanes.Load(ref Unsafe.Add(ref dimension, i + part));
                    squared += difference * difference;
                }
                TLanes.Sqrt(squared).Store(ref distances[part]);
            }
            var total = 0.0;
            for (var r = 0; r < Rows; r++)
            {
                sums[r] += distances[r];
                total += distances[r];
            }
            ownColumnSums[j - firstColumn] += total;
        }
    }

    /// <summary>Row <see cref="Row"/> (or the block starting there) against columns [<see cref="Start"/>, <see cref="End"/>) of cluster <see cref="Cluster"/>.</summary>
    private readonly record struct Run(int Row, int FirstColumn, int Start, int End, int Cluster);
}
