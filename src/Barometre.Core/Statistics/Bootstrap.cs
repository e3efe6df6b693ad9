namespace Barometre.Core.Statistics;

/// <summary>Percentile bootstrap intervals of column means with missing values.</summary>
public static class Bootstrap
{
    /// <summary>Cells of resample multiplicities held at once: about 16 MB, whatever the panel size.</summary>
    private const int BatchCells = 1 << 22;

    /// <summary>
    /// The percentile 95 % interval of the mean of each column of <paramref name="values"/>
    /// (row-major n × <paramref name="columns"/>, NaN = missing).
    /// </summary>
    /// <remarks>
    /// Each replicate resamples the rows with replacement (joint resampling: one draw serves every
    /// column) and takes each column's mean over its non-missing values; a replicate where a column has
    /// none is left out of that column's percentiles. Percentiles 2.5 and 97.5 by linear interpolation.
    /// The rows are drawn in sequence from <c>new SeededRandom(seed)</c>, replicate after replicate — the
    /// draws of numpy's <c>default_rng(seed).integers(0, n, size=(B, n))</c> — and only the sums run in
    /// parallel, so the result does not depend on the number of threads. (NaN, NaN) for a column when
    /// <paramref name="replicates"/> is 0 or no replicate has a value.
    /// </remarks>
    public static (double Low, double High)[] MeanIntervals(ReadOnlySpan<double> values, int columns, int replicates, long seed) =>
        MeanIntervals(values, columns, replicates, seed, maxDegreeOfParallelism: -1);

    /// <summary>As the public overload, on at most <paramref name="maxDegreeOfParallelism"/> threads (−1: as many as useful).</summary>
    internal static (double Low, double High)[] MeanIntervals(ReadOnlySpan<double> values, int columns, int replicates, long seed, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(replicates);
        var n = values.Length / columns;
        var result = new (double, double)[columns];
        Array.Fill(result, (double.NaN, double.NaN));
        if (replicates == 0 || n == 0)
        {
            return result;
        }

        // Missing values become 0 with a 0 weight, so that sums need no branch.
        var filled = new double[values.Length];
        var present = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var missing = double.IsNaN(values[i]);
            filled[i] = missing ? 0 : values[i];
            present[i] = missing ? 0 : 1;
        }

        var means = new double[replicates * columns];
        var rng = new SeededRandom(seed);
        var batch = Math.Clamp(BatchCells / n, 1, replicates);
        var multiplicities = new int[batch * n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        for (var first = 0; first < replicates; first += batch)
        {
            var count = Math.Min(batch, replicates - first);
            Array.Clear(multiplicities);
            for (var draw = 0; draw < count * n; draw++)
            {
                multiplicities[((draw / n) * n) + rng.NextInt(n)]++;
            }
            Parallel.For(0, count, parallel, b =>
            {
                var multiplicity = multiplicities.AsSpan(b * n, n);
                Span<double> sum = stackalloc double[columns];
                Span<double> weight = stackalloc double[columns];
                for (var row = 0; row < n; row++)
                {
                    var w = multiplicity[row];
                    if (w == 0)
                    {
                        continue;
                    }
                    var offset = row * columns;
                    for (var c = 0; c < columns; c++)
                    {
                        sum[c] += w * filled[offset + c];
                        weight[c] += w * present[offset + c];
                    }
                }
                var target = means.AsSpan((first + b) * columns, columns);
                for (var c = 0; c < columns; c++)
                {
                    target[c] = weight[c] > 0 ? sum[c] / weight[c] : double.NaN;
                }
            });
        }

        var column = new List<double>(replicates);
        for (var c = 0; c < columns; c++)
        {
            column.Clear();
            for (var b = 0; b < replicates; b++)
            {
                var mean = means[(b * columns) + c];
                if (!double.IsNaN(mean))
                {
                    column.Add(mean);
                }
            }
            column.Sort();
            var sorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(column);
            result[c] = (Descriptive.QuantileOfSorted(sorted, 0.025), Descriptive.QuantileOfSorted(sorted, 0.975));
        }
        return result;
    }
}
