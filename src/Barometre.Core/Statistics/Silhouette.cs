using System.Numerics;

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
        Mean(points, dimensions, labels, clusters, maxDegreeOfParallelism: -1);

    /// <summary>As the public overload, on at most <paramref name="maxDegreeOfParallelism"/> threads (−1: as many as useful).</summary>
    internal static double Mean(ReadOnlySpan<double> points, int dimensions, ReadOnlySpan<int> labels, int clusters, int maxDegreeOfParallelism)
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

        var distanceSums = DistanceSums(points, dimensions, labels, clusters, maxDegreeOfParallelism);
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
    /// columns stay in cache), tiles run in parallel, and within a tile four rows share each load of
    /// column coordinates, several pairs per SIMD instruction, coordinates stored dimension by dimension.
    /// A tile adds each distance to its row's sums and to its column's. Each tile keeps its partial sums
    /// apart and they are added in a fixed order: the result does not depend on the number of threads.
    /// </remarks>
    internal static double[] DistanceSums(ReadOnlySpan<double> points, int dimensions, ReadOnlySpan<int> labels, int clusters, int maxDegreeOfParallelism = -1)
    {
        var n = labels.Length;
        var blocks = (n + Tile - 1) / Tile;
        var padded = blocks * Tile;

        // Points by cluster (stable), with the first point of each cluster.
        var starts = new int[clusters + 1];
        foreach (var label in labels)
        {
            starts[label + 1]++;
        }
        for (var c = 0; c < clusters; c++)
        {
            starts[c + 1] += starts[c];
        }
        var order = new int[n];
        var next = starts[..clusters];
        for (var i = 0; i < n; i++)
        {
            order[next[labels[i]]++] = i;
        }
        var sortedLabels = new int[n];
        var columns = new double[dimensions * padded];
        for (var p = 0; p < n; p++)
        {
            sortedLabels[p] = labels[order[p]];
            for (var d = 0; d < dimensions; d++)
            {
                columns[(d * padded) + p] = points[(order[p] * dimensions) + d];
            }
        }

        var tiles = new List<(int Row, int Column)>(blocks * (blocks + 1) / 2);
        for (var row = 0; row < blocks; row++)
        {
            for (var column = row; column < blocks; column++)
            {
                tiles.Add((row, column));
            }
        }
        // Per tile: row sums (Tile × k, by row) then column sums (k × Tile, by cluster).
        var partSize = 2 * Tile * clusters;
        var parts = new double[tiles.Count * partSize];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var tile = new TileInput(columns, sortedLabels, starts, n, padded, dimensions, clusters);
        Parallel.For(0, tiles.Count, parallel, t =>
        {
            var (row, column) = tiles[t];
            var part = parts.AsSpan(t * partSize, partSize);
            tile.Compute(row * Tile, column * Tile, part[..(Tile * clusters)], part[(Tile * clusters)..]);
        });

        var index = new Dictionary<(int, int), int>(tiles.Count);
        for (var t = 0; t < tiles.Count; t++)
        {
            index[tiles[t]] = t;
        }
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
                    var rowSums = parts.AsSpan((index[(block, column)] * partSize) + (i * clusters), clusters);
                    for (var c = 0; c < clusters; c++)
                    {
                        total[c] += rowSums[c];
                    }
                }
                for (var row = 0; row <= block; row++)
                {
                    var columnSums = parts.AsSpan((index[(row, block)] * partSize) + (Tile * clusters), Tile * clusters);
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

    /// <summary>The points, sorted by cluster, as the tiles read them.</summary>
    private sealed record TileInput(double[] Columns, int[] Labels, int[] ClusterStarts, int N, int Padded, int Dimensions, int Clusters)
    {
        private const int Rows = 4;

        /// <summary>The distances between the rows of one tile and its columns (only j &gt; i on the diagonal).</summary>
        public void Compute(int firstRow, int firstColumn, Span<double> rowSums, Span<double> columnSums)
        {
            var lastRow = Math.Min(firstRow + Tile, N);
            var lastColumn = Math.Min(firstColumn + Tile, N);
            var i = firstRow;
            while (i < lastRow)
            {
                var own = Labels[i];
                var ownColumnSums = columnSums.Slice(own * Tile, Tile);
                var fourRows = firstRow != firstColumn && i + Rows <= lastRow && Labels[i + Rows - 1] == own;
                // Columns by runs of one cluster.
                var start = fourRows || firstRow != firstColumn ? firstColumn : i + 1;
                for (var c = 0; c < Clusters && start < lastColumn; c++)
                {
                    var stop = Math.Min(lastColumn, ClusterStarts[c + 1]);
                    if (stop <= start)
                    {
                        continue;
                    }
                    if (fourRows)
                    {
                        FourRows(i, firstColumn, start, stop, c, rowSums, ownColumnSums);
                    }
                    else
                    {
                        OneRow(i, firstColumn, start, stop, c, rowSums, ownColumnSums);
                    }
                    start = stop;
                }
                i += fourRows ? Rows : 1;
            }
        }

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

        private void OneRow(int i, int firstColumn, int start, int end, int cluster, Span<double> rowSums, Span<double> ownColumnSums)
        {
            var width = Vector<double>.Count;
            var sum = 0.0;
            var j = start;
            for (; j < end && (j % width != 0 || j + width > end); j++)
            {
                var distance = Distance(i, j);
                sum += distance;
                ownColumnSums[j - firstColumn] += distance;
            }
            if (j < end)
            {
                Span<Vector<double>> point = stackalloc Vector<double>[Dimensions];
                for (var d = 0; d < Dimensions; d++)
                {
                    point[d] = new Vector<double>(Columns[(d * Padded) + i]);
                }
                var accumulator = Vector<double>.Zero;
                for (; j + width <= end; j += width)
                {
                    var squared = Vector<double>.Zero;
                    for (var d = 0; d < Dimensions; d++)
                    {
                        var difference = new Vector<double>(Columns, (d * Padded) + j) - point[d];
                        squared = Vector.FusedMultiplyAdd(difference, difference, squared);
                    }
                    var distance = Vector.SquareRoot(squared);
                    accumulator += distance;
                    var target = ownColumnSums.Slice(j - firstColumn, width);
                    (new Vector<double>(target) + distance).CopyTo(target);
                }
                sum += Vector.Sum(accumulator);
                for (; j < end; j++)
                {
                    var distance = Distance(i, j);
                    sum += distance;
                    ownColumnSums[j - firstColumn] += distance;
                }
            }
            rowSums[((i % Tile) * Clusters) + cluster] += sum;
        }

        /// <summary>Rows i..i+3 (one cluster) against columns [start, end) of one cluster.</summary>
        private void FourRows(int i, int firstColumn, int start, int end, int cluster, Span<double> rowSums, Span<double> ownColumnSums)
        {
            var width = Vector<double>.Count;
            double sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
            var j = start;
            // Columns before the first whole vector, and after the last, one at a time.
            for (; j < end && (j % width != 0 || j + width > end); j++)
            {
                double d0 = Distance(i, j), d1 = Distance(i + 1, j), d2 = Distance(i + 2, j), d3 = Distance(i + 3, j);
                sum0 += d0;
                sum1 += d1;
                sum2 += d2;
                sum3 += d3;
                ownColumnSums[j - firstColumn] += (d0 + d1) + (d2 + d3);
            }
            if (j < end)
            {
                Span<Vector<double>> points = stackalloc Vector<double>[Dimensions * Rows];
                for (var d = 0; d < Dimensions; d++)
                {
                    for (var r = 0; r < Rows; r++)
                    {
                        points[(d * Rows) + r] = new Vector<double>(Columns[(d * Padded) + i + r]);
                    }
                }
                Vector<double> a0 = default, a1 = default, a2 = default, a3 = default;
                for (; j + width <= end; j += width)
                {
                    Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
                    for (var d = 0; d < Dimensions; d++)
                    {
                        var x = new Vector<double>(Columns, (d * Padded) + j);
                        var e0 = x - points[d * Rows];
                        var e1 = x - points[(d * Rows) + 1];
                        var e2 = x - points[(d * Rows) + 2];
                        var e3 = x - points[(d * Rows) + 3];
                        s0 = Vector.FusedMultiplyAdd(e0, e0, s0);
                        s1 = Vector.FusedMultiplyAdd(e1, e1, s1);
                        s2 = Vector.FusedMultiplyAdd(e2, e2, s2);
                        s3 = Vector.FusedMultiplyAdd(e3, e3, s3);
                    }
                    var d0 = Vector.SquareRoot(s0);
                    var d1 = Vector.SquareRoot(s1);
                    var d2 = Vector.SquareRoot(s2);
                    var d3 = Vector.SquareRoot(s3);
                    a0 += d0;
                    a1 += d1;
                    a2 += d2;
                    a3 += d3;
                    var target = ownColumnSums.Slice(j - firstColumn, width);
                    (new Vector<double>(target) + ((d0 + d1) + (d2 + d3))).CopyTo(target);
                }
                sum0 += Vector.Sum(a0);
                sum1 += Vector.Sum(a1);
                sum2 += Vector.Sum(a2);
                sum3 += Vector.Sum(a3);
                for (; j < end; j++)
                {
                    double d0 = Distance(i, j), d1 = Distance(i + 1, j), d2 = Distance(i + 2, j), d3 = Distance(i + 3, j);
                    sum0 += d0;
                    sum1 += d1;
                    sum2 += d2;
                    sum3 += d3;
                    ownColumnSums[j - firstColumn] += (d0 + d1) + (d2 + d3);
                }
            }
            var row = (i % Tile) * Clusters;
            rowSums[row + cluster] += sum0;
            rowSums[row + Clusters + cluster] += sum1;
            rowSums[row + (2 * Clusters) + cluster] += sum2;
            rowSums[row + (3 * Clusters) + cluster] += sum3;
        }
    }
}
