using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        var sortedLabels = new int[n];
        var columns = new double[dimensions * padded];
        var pairs = (dimensions + 1) / 2;
        var latticeColumns = whole.Length > 0 ? new int[pairs * padded] : null;
        for (var p = 0; p < n; p++)
        {
            sortedLabels[p] = labels[order[p]];
            for (var d = 0; d < dimensions; d++)
            {
                columns[(d * padded) + p] = points[(order[p] * dimensions) + d];
            }
            if (onLattice[order[p]])
            {
                // Two coordinates per 32-bit lane, as 16-bit integers: the kernel squares and adds them in one instruction.
                var first = order[p] * dimensions;
                for (var q = 0; q < pairs; q++)
                {
                    var high = (2 * q) + 1 < dimensions ? whole[first + (2 * q) + 1] : 0;
                    latticeColumns![(q * padded) + p] = whole[first + (2 * q)] | (high << 16);
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
            LatticeColumns = latticeColumns,
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

    /// <summary>Each 32-bit lane: the sum of the squares of its two 16-bit differences.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> SquaresOfPairs(Vector512<short> differences) =>
        Avx512BW.IsSupported ? Avx512BW.MultiplyAddAdjacent(differences, differences) : PortableSquaresOfPairs(differences);

    /// <summary>As <see cref="SquaresOfPairs"/> where AVX-512 is missing: the same integers from shifts and multiplies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> PortableSquaresOfPairs(Vector512<short> differences)
    {
        var lanes = differences.AsInt32();
        var low = Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(lanes, 16), 16);
        var high = Vector512.ShiftRightArithmetic(lanes, 16);
        return (low * low) + (high * high);
    }

    /// <summary>
    /// unit × √s for sixteen exact squares s &lt; 2^24: r = √s in single precision (relative error under 2^-24), then
    /// unit × r + (s − r²) × (unit/2) / r, the Newton step's correction computed in single precision — it is itself
    /// under 2^-24 of the root, so its own roundings (s − r² by one fused multiply-add, unit/2, the quotient, the
    /// product) leave the result within 2^-45 of unit × √s. Only IEEE operations, so every machine gets the same bits.
    /// </summary>
    /// <param name="squares">The exact squared distances, in whole units.</param>
    /// <param name="unit">The lattice's unit, in every lane.</param>
    /// <param name="halfUnit">Half the unit in single precision, in every lane.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<double> Lower, Vector512<double> Upper) LatticeRoots(Vector512<int> squares, Vector512<double> unit, Vector512<float> halfUnit)
    {
        var exact = Vector512.ConvertToSingle(squares);
        var root = Vector512.Sqrt(exact);
        // The smallest normal float keeps the quotient finite when s = 0, where s − r² = 0 makes the correction vanish.
        var correction = Vector512.FusedMultiplyAdd(-root, root, exact) * (halfUnit / Vector512.Max(root, Vector512.Create(1.17549435E-38f)));
        var (rootLower, rootUpper) = Vector512.Widen(root);
        var (correctionLower, correctionUpper) = Vector512.Widen(correction);
        return (Vector512.FusedMultiplyAdd(rootLower, unit, correctionLower), Vector512.FusedMultiplyAdd(rootUpper, unit, correctionUpper));
    }

    /// <summary>The points, sorted by cluster, as the tiles read them.</summary>
    /// <remarks>
    /// The kernels use <see cref="Vector512{T}"/> whatever the hardware: where it is not accelerated .NET runs it
    /// as two 256-bit halves, lane by lane with the same IEEE operations (square root and fused multiply-add
    /// are exactly rounded), and lanes are summed in a fixed order, so every machine gets the same bits.
    /// </remarks>
    private sealed record TileInput(double[] Columns, int[] Labels, int[] ClusterStarts, int N, int Padded, int Dimensions, int Clusters)
    {
        /// <summary>Rows computed together: each load of column coordinates serves eight rows.</summary>
        private const int Rows = 8;

        private static int Width => Vector512<double>.Count;

        /// <summary>Columns per vector of whole coordinates (two 16-bit coordinates per 32-bit lane).</summary>
        private static int LatticeWidth => Vector512<int>.Count;

        /// <summary>The whole coordinates of the points on the lattice, two per 32-bit lane, by pair of dimensions; null without a lattice.</summary>
        public int[]? LatticeColumns { get; init; }

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
                var latticeBlock = block && LatticeColumns is not null && i + Rows <= latticeEnd;
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
                    if (latticeBlock)
                    {
                        // The run's columns on the lattice from whole numbers, the others as doubles.
                        var split = Math.Clamp(LatticeEnds[c], start, stop);
                        if (split > start)
                        {
                            LatticeBlockOfRows(i, firstColumn, start, split, c, rowSums, ownColumnSums);
                        }
                        if (stop > split)
                        {
                            BlockOfRows(i, firstColumn, split, stop, c, rowSums, ownColumnSums);
                        }
                    }
                    else if (block)
                    {
                        BlockOfRows(i, firstColumn, start, stop, c, rowSums, ownColumnSums);
                    }
                    else
                    {
                        OneRow(i, firstColumn, start, stop, c, rowSums, ownColumnSums);
                    }
                    start = stop;
                }
                i += block ? Rows : 1;
            }
        }

        private double Distance(int i, int j)
        {
            var squared = 0.0;
            for (var d = 0; d < Dimensions; d++)
            {
                var difference = Columns[(d * Padded) + j] - Columns[(d * Padded) + i];
                squared = Math.FusedMultiplyAdd(difference, difference, squared);
            }
            return Math.Sqrt(squared);
        }

        /// <summary>The lanes' sum in a fixed order (not <see cref="Vector512.Sum{T}"/>, whose order is the runtime's).</summary>
        private static double LaneSum(Vector512<double> lanes)
        {
            var sum = 0.0;
            for (var lane = 0; lane < Vector512<double>.Count; lane++)
            {
                sum += lanes.GetElement(lane);
            }
            return sum;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void OneRow(int i, int firstColumn, int start, int end, int cluster, Span<double> rowSums, Span<double> ownColumnSums)
        {
            var sum = 0.0;
            var j = start;
            for (; j < end && (j % Width != 0 || j + Width > end); j++)
            {
                var distance = Distance(i, j);
                sum += distance;
                ownColumnSums[j - firstColumn] += distance;
            }
            if (j < end)
            {
                Span<Vector512<double>> point = stackalloc Vector512<double>[Dimensions];
                for (var d = 0; d < Dimensions; d++)
                {
                    point[d] = Vector512.Create(Columns[(d * Padded) + i]);
                }
                var accumulator = Vector512<double>.Zero;
                for (; j + Width <= end; j += Width)
                {
                    var squared = Vector512<double>.Zero;
                    for (var d = 0; d < Dimensions; d++)
                    {
                        var difference = Vector512.Create(Columns.AsSpan((d * Padded) + j, Width)) - point[d];
                        squared = Vector512.FusedMultiplyAdd(difference, difference, squared);
                    }
                    var distance = Vector512.Sqrt(squared);
                    accumulator += distance;
                    var target = ownColumnSums.Slice(j - firstColumn, Width);
                    (Vector512.Create(target) + distance).CopyTo(target);
                }
                sum += LaneSum(accumulator);
                for (; j < end; j++)
                {
                    var distance = Distance(i, j);
                    sum += distance;
                    ownColumnSums[j - firstColumn] += distance;
                }
            }
            rowSums[((i % Tile) * Clusters) + cluster] += sum;
        }

        /// <summary>Rows i..i+7 (one cluster) against columns [start, end) of one cluster.</summary>
        /// <remarks>
        /// The hot loop: eight rows' coordinates broadcast against a vector of columns, dimension by dimension,
        /// with references instead of indexed spans so that no bounds check sits between the loads.
        /// </remarks>
        // Jitted for this machine's vectors at once, never taken from ReadyToRun code built for a baseline CPU.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BlockOfRows(int i, int firstColumn, int start, int end, int cluster, Span<double> rowSums, Span<double> ownColumnSums)
        {
            Span<double> sums = stackalloc double[Rows];
            var j = start;
            for (; j < end && (j % Width != 0 || j + Width > end); j++)
            {
                AddColumnOneByOne(i, j, firstColumn, sums, ownColumnSums);
            }
            if (j + Width <= end)
            {
                Span<double> rowCoordinates = stackalloc double[Dimensions * Rows];
                for (var d = 0; d < Dimensions; d++)
                {
                    for (var r = 0; r < Rows; r++)
                    {
                        rowCoordinates[(d * Rows) + r] = Columns[(d * Padded) + i + r];
                    }
                }
                Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                ref var coordinates = ref MemoryMarshal.GetArrayDataReference(Columns);
                ref var rows = ref MemoryMarshal.GetReference(rowCoordinates);
                ref var columnTotals = ref MemoryMarshal.GetReference(ownColumnSums);
                var stride = Padded;
                var dimensions = Dimensions;
                for (; j + Width <= end; j += Width)
                {
                    Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                    ref var column = ref Unsafe.Add(ref coordinates, j);
                    ref var row = ref rows;
                    for (var d = 0; d < dimensions; d++)
                    {
                        var x = Vector512.LoadUnsafe(ref column);
                        var e0 = x - Vector512.Create(row);
                        var e1 = x - Vector512.Create(Unsafe.Add(ref row, 1));
                        var e2 = x - Vector512.Create(Unsafe.Add(ref row, 2));
                        var e3 = x - Vector512.Create(Unsafe.Add(ref row, 3));
                        var e4 = x - Vector512.Create(Unsafe.Add(ref row, 4));
                        var e5 = x - Vector512.Create(Unsafe.Add(ref row, 5));
                        var e6 = x - Vector512.Create(Unsafe.Add(ref row, 6));
                        var e7 = x - Vector512.Create(Unsafe.Add(ref row, 7));
                        s0 = Vector512.FusedMultiplyAdd(e0, e0, s0);
                        s1 = Vector512.FusedMultiplyAdd(e1, e1, s1);
                        s2 = Vector512.FusedMultiplyAdd(e2, e2, s2);
                        s3 = Vector512.FusedMultiplyAdd(e3, e3, s3);
                        s4 = Vector512.FusedMultiplyAdd(e4, e4, s4);
                        s5 = Vector512.FusedMultiplyAdd(e5, e5, s5);
                        s6 = Vector512.FusedMultiplyAdd(e6, e6, s6);
                        s7 = Vector512.FusedMultiplyAdd(e7, e7, s7);
                        column = ref Unsafe.Add(ref column, stride);
                        row = ref Unsafe.Add(ref row, Rows);
                    }
                    var d0 = Vector512.Sqrt(s0);
                    var d1 = Vector512.Sqrt(s1);
                    var d2 = Vector512.Sqrt(s2);
                    var d3 = Vector512.Sqrt(s3);
                    var d4 = Vector512.Sqrt(s4);
                    var d5 = Vector512.Sqrt(s5);
                    var d6 = Vector512.Sqrt(s6);
                    var d7 = Vector512.Sqrt(s7);
                    a0 += d0;
                    a1 += d1;
                    a2 += d2;
                    a3 += d3;
                    a4 += d4;
                    a5 += d5;
                    a6 += d6;
                    a7 += d7;
                    ref var total = ref Unsafe.Add(ref columnTotals, j - firstColumn);
                    (Vector512.LoadUnsafe(ref total) + (((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7)))).StoreUnsafe(ref total);
                }
                AddLaneSums(sums, a0, a1, a2, a3, a4, a5, a6, a7);
            }
            FinishBlock(i, j, end, firstColumn, cluster, sums, rowSums, ownColumnSums);
        }

        /// <summary>Rows i..i+7 (one cluster, on the lattice) against columns [start, end) of one cluster, all on the lattice.</summary>
        /// <remarks>
        /// As <see cref="BlockOfRows"/>, sixteen columns per vector: the squared distance in whole units is exact
        /// (16-bit differences, their squares added in 32 bits), its root taken by <see cref="LatticeRoots"/> — within
        /// 2^-45 of the double root, with no double-precision square root, which bounds <see cref="BlockOfRows"/>.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void LatticeBlockOfRows(int i, int firstColumn, int start, int end, int cluster, Span<double> rowSums, Span<double> ownColumnSums)
        {
            Span<double> sums = stackalloc double[Rows];
            var j = start;
            for (; j < end && (j % LatticeWidth != 0 || j + LatticeWidth > end); j++)
            {
                AddColumnOneByOne(i, j, firstColumn, sums, ownColumnSums);
            }
            if (j + LatticeWidth <= end)
            {
                var pairs = (Dimensions + 1) / 2;
                Span<int> rowCoordinates = stackalloc int[pairs * Rows];
                for (var q = 0; q < pairs; q++)
                {
                    for (var r = 0; r < Rows; r++)
                    {
                        rowCoordinates[(q * Rows) + r] = LatticeColumns![(q * Padded) + i + r];
                    }
                }
                Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                ref var coordinates = ref MemoryMarshal.GetArrayDataReference(LatticeColumns!);
                ref var rows = ref MemoryMarshal.GetReference(rowCoordinates);
                ref var columnTotals = ref MemoryMarshal.GetReference(ownColumnSums);
                var stride = Padded;
                var unit = Vector512.Create(LatticeUnit);
                var halfUnit = Vector512.Create((float)(LatticeUnit / 2));
                for (; j + LatticeWidth <= end; j += LatticeWidth)
                {
                    Vector512<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                    ref var column = ref Unsafe.Add(ref coordinates, j);
                    ref var row = ref rows;
                    for (var q = 0; q < pairs; q++)
                    {
                        var x = Vector512.LoadUnsafe(ref column).AsInt16();
                        s0 += SquaresOfPairs(x - Vector512.Create(row).AsInt16());
                        s1 += SquaresOfPairs(x - Vector512.Create(Unsafe.Add(ref row, 1)).AsInt16());
                        s2 += SquaresOfPairs(x - Vector512.Create(Unsafe.Add(ref row, 2)).AsInt16());
                        s3 += SquaresOfPairs(x - Vector512.Create(Unsafe.Add(ref row, 3)).AsInt16());
                        s4 += SquaresOfPairs(x - Vector512.Create(Unsafe.Add(ref row, 4)).AsInt16());
                        s5 += SquaresOfPairs(x - Vector512.Create(Unsafe.Add(ref row, 5)).AsInt16());
                        s6 += SquaresOfPairs(x - Vector512.Create(Unsafe.Add(ref row, 6)).AsInt16());
                        s7 += SquaresOfPairs(x - Vector512.Create(Unsafe.Add(ref row, 7)).AsInt16());
                        column = ref Unsafe.Add(ref column, stride);
                        row = ref Unsafe.Add(ref row, Rows);
                    }
                    var (l0, u0) = LatticeRoots(s0, unit, halfUnit);
                    var (l1, u1) = LatticeRoots(s1, unit, halfUnit);
                    var (l2, u2) = LatticeRoots(s2, unit, halfUnit);
                    var (l3, u3) = LatticeRoots(s3, unit, halfUnit);
                    var (l4, u4) = LatticeRoots(s4, unit, halfUnit);
                    var (l5, u5) = LatticeRoots(s5, unit, halfUnit);
                    var (l6, u6) = LatticeRoots(s6, unit, halfUnit);
                    var (l7, u7) = LatticeRoots(s7, unit, halfUnit);
                    a0 += l0 + u0;
                    a1 += l1 + u1;
                    a2 += l2 + u2;
                    a3 += l3 + u3;
                    a4 += l4 + u4;
                    a5 += l5 + u5;
                    a6 += l6 + u6;
                    a7 += l7 + u7;
                    ref var lower = ref Unsafe.Add(ref columnTotals, j - firstColumn);
                    (Vector512.LoadUnsafe(ref lower) + (((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)))).StoreUnsafe(ref lower);
                    ref var upper = ref Unsafe.Add(ref lower, Width);
                    (Vector512.LoadUnsafe(ref upper) + (((u0 + u1) + (u2 + u3)) + ((u4 + u5) + (u6 + u7)))).StoreUnsafe(ref upper);
                }
                AddLaneSums(sums, a0, a1, a2, a3, a4, a5, a6, a7);
            }
            FinishBlock(i, j, end, firstColumn, cluster, sums, rowSums, ownColumnSums);
        }

        /// <summary>Each row's vector of partial sums added to its sum, lanes in a fixed order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddLaneSums(
            Span<double> sums,
            Vector512<double> a0,
            Vector512<double> a1,
            Vector512<double> a2,
            Vector512<double> a3,
            Vector512<double> a4,
            Vector512<double> a5,
            Vector512<double> a6,
            Vector512<double> a7)
        {
            sums[0] += LaneSum(a0);
            sums[1] += LaneSum(a1);
            sums[2] += LaneSum(a2);
            sums[3] += LaneSum(a3);
            sums[4] += LaneSum(a4);
            sums[5] += LaneSum(a5);
            sums[6] += LaneSum(a6);
            sums[7] += LaneSum(a7);
        }

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
}
