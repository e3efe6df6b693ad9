namespace Barometre.Core.Statistics;

/// <summary>Confidence intervals for a proportion.</summary>
public static class Proportion
{
    /// <summary>The two-sided 95 % normal quantile used by the results contract.</summary>
    public const double Z95 = 1.959964;

    /// <summary>
    /// The Wilson score interval of <paramref name="count"/> successes among <paramref name="total"/>,
    /// clamped to [0, 1]; (NaN, NaN) when <paramref name="total"/> is 0.
    /// </summary>
    public static (double Low, double High) Wilson(int count, int total, double z = Z95)
    {
        if (total <= 0)
        {
            return (double.NaN, double.NaN);
        }
        var n = (double)total;
        var p = count / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        return (Math.Max(0.0, centre - half), Math.Min(1.0, centre + half));
    }
}
