using MathNet.Numerics;

namespace Barometre.Core.Statistics;

/// <summary>Pearson and Spearman correlations and the significance of Pearson's r.</summary>
public static class Correlation
{
    /// <summary>
    /// Pearson's r of two equally long samples, as scipy's <c>pearsonr</c> computes it (centred,
    /// normalised, clipped to [−1, 1]); NaN below 3 pairs or when either side is constant.
    /// </summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("Samples differ in length.", nameof(y));
        }
        if (x.Length < 3 || IsConstant(x) || IsConstant(y))
        {
            return double.NaN;
        }
        var mx = Descriptive.Mean(x);
        var my = Descriptive.Mean(y);
        double sxx = 0, syy = 0, sxy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        var r = sxy / (Math.Sqrt(sxx) * Math.Sqrt(syy));
        return Math.Clamp(r, -1.0, 1.0);
    }

    /// <summary>Spearman's ρ: Pearson's r of the ranks, ties given their average rank; NaN as for Pearson.</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("Samples differ in length.", nameof(y));
        }
        if (x.Length < 3 || IsConstant(x) || IsConstant(y))
        {
            return double.NaN;
        }
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks, tied values sharing the average of their ranks (scipy's <c>rankdata</c>, method "average").</summary>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[values.Length];
        var start = 0;
        while (start < keys.Length)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }
            // Positions start..end−1 hold ranks start+1..end; their average is (start + 1 + end) / 2.
            var rank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                ranks[order[i]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    /// <summary>
    /// Two-sided p-value of Pearson's r on <paramref name="n"/> pairs, from t = r·√((n − 2)/(1 − r²))
    /// with n − 2 degrees of freedom; 0 when |r| = 1, NaN when r is NaN or n &lt; 3.
    /// </summary>
    public static double PValue(double r, int n)
    {
        if (double.IsNaN(r) || n < 3)
        {
            return double.NaN;
        }
        if (Math.Abs(r) >= 1.0)
        {
            return 0.0;
        }
        var df = n - 2.0;
        var t2 = r * r * df / (1 - (r * r));
        // P(|T| > t) for Student's t with df degrees of freedom is I_{df/(df+t²)}(df/2, 1/2).
        return SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + t2));
    }

    private static bool IsConstant(ReadOnlySpan<double> values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] != values[0])
            {
                return false;
            }
        }
        return true;
    }
}
