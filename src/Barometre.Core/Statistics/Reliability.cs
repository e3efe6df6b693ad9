using System.Runtime.CompilerServices;

namespace Barometre.Core.Statistics;

/// <summary>Internal consistency of a group of questions.</summary>
public static class Reliability
{
    /// <summary>
    /// Cronbach's alpha of complete response rows: k/(k − 1)·(1 − Σ item variances / variance of the totals),
    /// with sample (n − 1) variances. NaN below 3 rows or 2 items, or when the totals do not vary.
    /// </summary>
    /// <param name="items">Row-major levels: row r, item j at r × <paramref name="itemCount"/> + j.</param>
    /// <param name="itemCount">Number of items k.</param>
    public static double CronbachAlpha(ReadOnlySpan<double> items, int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemCount);
        var rows = items.Length / itemCount;
        if (rows < 3 || itemCount < 2)
        {
            return double.NaN;
        }
        var totals = new double[rows];
        var column = new double[rows];
        var itemVariances = 0.0;
        for (var j = 0; j < itemCount; j++)
        {
            for (var r = 0; r < rows; r++)
            {
                column[r] = items[(r * itemCount) + j];
                totals[r] += column[r];
            }
            itemVariances += Descriptive.SampleVariance(column);
        }
        var totalVariance = Descriptive.SampleVariance(totals);
        if (totalVariance == 0)
        {
            return double.NaN;
        }
        return itemCount / (itemCount - 1.0) * (1 - (itemVariances / totalVariance));
    }

    /// <summary>
    /// <see cref="CronbachAlpha"/> of the items <paramref name="firstItem"/>..<paramref name="firstItem"/>+<paramref name="itemCount"/>−1
    /// of a table of answer levels, over the rows that answered all of them; equal to it, to the last
    /// bit, on those rows converted to doubles.
    /// </summary>
    /// <param name="levels">Row-major levels, <paramref name="rowLength"/> per row; a negative level is a missing answer.</param>
    /// <param name="rowLength">Cells per row.</param>
    /// <param name="firstItem">Column of the first item.</param>
    /// <param name="itemCount">Number of items k.</param>
    /// <remarks>
    /// Levels and row totals are small integers, so their sums are exact in any order and the means
    /// come from integer sums; the squared deviations are then added row after row, as the sample
    /// variances add them, without copying the complete rows out.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double CronbachAlphaOfLevels(ReadOnlySpan<sbyte> levels, int rowLength, int firstItem, int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstItem + itemCount, rowLength);
        var rowCount = levels.Length / rowLength;
        Span<long> itemSums = stackalloc long[itemCount];
        var rows = 0;
        for (var r = 0; r < rowCount; r++)
        {
            var cells = levels.Slice((r * rowLength) + firstItem, itemCount);
            if (!IsComplete(cells))
            {
                continue;
            }
            rows++;
            for (var j = 0; j < itemCount; j++)
            {
                itemSums[j] += cells[j];
            }
        }
        if (rows < 3 || itemCount < 2)
        {
            return double.NaN;
        }

        // Mean = pairwise sum / n, and every partial sum of integer-valued doubles below 2⁵³ is exact.
        Span<double> itemMeans = stackalloc double[itemCount];
        long totalSum = 0;
        for (var j = 0; j < itemCount; j++)
        {
            itemMeans[j] = (double)itemSums[j] / rows;
            totalSum += itemSums[j];
        }
        var totalMean = (double)totalSum / rows;
        Span<double> squares = stackalloc double[itemCount];
        var totalSquares = 0.0;
        for (var r = 0; r < rowCount; r++)
        {
            var cells = levels.Slice((r * rowLength) + firstItem, itemCount);
            if (!IsComplete(cells))
            {
                continue;
            }
            var total = 0;
            for (var j = 0; j < itemCount; j++)
            {
                var deviation = cells[j] - itemMeans[j];
                squares[j] += deviation * deviation;
                total += cells[j];
            }
            var totalDeviation = total - totalMean;
            totalSquares += totalDeviation * totalDeviation;
        }
        var itemVariances = 0.0;
        for (var j = 0; j < itemCount; j++)
        {
            itemVariances += squares[j] / (rows - 1);
        }
        var totalVariance = totalSquares / (rows - 1);
        if (totalVariance == 0)
        {
            return double.NaN;
        }
        return itemCount / (itemCount - 1.0) * (1 - (itemVariances / totalVariance));

        // Called for every row twice: the JIT does not inline a method with a loop unless asked.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool IsComplete(ReadOnlySpan<sbyte> cells)
        {
            foreach (var cell in cells)
            {
                if (cell < 0)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
