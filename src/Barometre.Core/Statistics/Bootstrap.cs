namespace Barometre.Core.Statistics;

/// <summary>Percentile bootstrap intervals of column means with missing values.</summary>
public static class Bootstrap
{
    /// <summary>Offset of the bootstrap's random streams, so they never coincide with other uses of a seed.</summary>
    internal const long StreamBase = 1L << 40;

    /// <summary>
    /// The percentile 95 % interval of the mean of each column of <paramref name="values"/>
    /// (row-major n × <paramref name="columns"/>, NaN = missing).
    /// </summary>
    /// <remarks>
    /// Each replicate resamples the rows with replacement (joint resampling: one draw serves every
    /// column) and takes each column's mean over its non-missing values; a replicate where a column has
    /// none is left out of that column's percentiles. Replicate b draws from its own stream of the seed,
    /// so the result does not depend on how many threads run. Percentiles 2.5 and 97.5 by linear
    /// interpolation. (NaN, NaN) for a column when <paramref name="replicates"/> is 0 or no replicate
    /// has a value.
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
        Parallel.For(
            0,
            replicates,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => (Multiplicity: new int[n], Sum: new double[columns], Count: new double[columns]),
            (b, _, buffers) =>
            {
                var rng = SeededRandom.ForStream(seed, StreamBase + b);
                var (multiplicity, sum, count) = buffers;
                Array.Clear(multiplicity);
                Array.Clear(sum);
                Array.Clear(count);
                for (var draw = 0; draw < n; draw++)
                {
                    multiplicity[rng.NextInt(n)]++;
                }
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
                        count[c] += w * present[offset + c];
                    }
                }
                for (var c = 0; c < columns; c++)
                {
                    means[(b * columns) + c] = count[c] > 0 ? sum[c] / count[c] : double.NaN;
                }
                return buffers;
            },
            _ => { });

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
