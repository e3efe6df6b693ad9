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
}
