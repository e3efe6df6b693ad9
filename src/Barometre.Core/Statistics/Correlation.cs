using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace Barometre.Core.Statistics;

/// <summary>Pearson and Spearman correlations and the significance of Pearson's r.</summary>
public static class Correlation
{
    /// <summary>
    /// Pearson's r of two equally long samples, as scipy's <c>pearsonr</c> computes it (centred,
    /// normalised, clipped to [−1, 1]); NaN below 3 pairs or when either side is constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    public static double[] AverageRanks(ReadOnlySpan<double> values) => AverageRanksWithTies(values, out _);

    /// <summary>
    /// <see cref="AverageRanks"/>, and the tie term Σ (t³ − t) over the groups of t
    /// equal values, which the normal approximations of rank tests subtract from the variance.
    /// </summary>
    internal static double[] AverageRanksWithTies(ReadOnlySpan<double> values, out double tieTerm)
    {
        tieTerm = 0;
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
            double tied = end - start;
            tieTerm += (tied * tied * tied) - tied;
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

    /// <summary>
    /// Pearson's r and Spearman's ρ of every two columns of a table, each pair on its complete
    /// observations (the rows where both values are defined, in row order), as
    /// <see cref="Pearson"/> and <see cref="Spearman"/> compute them on those rows; the diagonal too.
    /// </summary>
    /// <param name="rows">Row-major n × <paramref name="columns"/> values, NaN for a missing one.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads (−1: as many as useful); the result does not depend on it.</param>
    /// <remarks>
    /// Each column's values are coded once by their order among the column's distinct values; the
    /// average ranks of a pair's complete rows then follow from counting codes, in time linear in n
    /// rather than a sort per pair, and equal <see cref="AverageRanks"/> of those rows.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static PairwiseCorrelations PairwiseComplete(ReadOnlySpan<double> rows, int columns, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var n = rows.Length / columns;
        var values = new double[columns][];
        var codes = new int[columns][];
        var distinct = new int[columns];
        for (var j = 0; j < columns; j++)
        {
            var column = values[j] = new double[n];
            for (var i = 0; i < n; i++)
            {
                column[i] = rows[(i * columns) + j];
            }
            codes[j] = new int[n];
            distinct[j] = Descriptive.CodeByDistinctValue(column, codes[j]).Length;
        }

        var firsts = new int[columns * (columns + 1) / 2];
        var seconds = new int[firsts.Length];
        var mostDistinct = 0;
        for (int i = 0, p = 0; i < columns; i++)
        {
            mostDistinct = Math.Max(mostDistinct, distinct[i]);
            for (var j = i; j < columns; j++, p++)
            {
                (firsts[p], seconds[p]) = (i, j);
            }
        }
        var result = new PairwiseCorrelations(columns);
        Parallel.For(
            0,
            firsts.Length,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new PairScratch(n, mostDistinct),
            (p, _, scratch) =>
            {
                var (i, j) = (firsts[p], seconds[p]);
                var count = scratch.GatherComplete(values[i], values[j], codes[i], codes[j]);
                var xs = scratch.X.AsSpan(0, count);
                var ys = scratch.Y.AsSpan(0, count);
                var r = Pearson(xs, ys);
                var rho = double.NaN;
                // Pearson is NaN below 3 pairs or when a side is constant, the cases where Spearman is NaN
                // too: a defined r already rules them out, without scanning the pairs again.
                if (!double.IsNaN(r))
                {
                    var rx = scratch.RanksX.AsSpan(0, count);
                    var ry = scratch.RanksY.AsSpan(0, count);
                    AverageRanksOfCodes(scratch.CodesX.AsSpan(0, count), distinct[i], scratch, rx);
                    AverageRanksOfCodes(scratch.CodesY.AsSpan(0, count), distinct[j], scratch, ry);
                    rho = Pearson(rx, ry);
                }
                result.Set(i, j, r, rho, count);
                return scratch;
            },
            _ => { });
        return result;
    }

    /// <summary>
    /// <see cref="AverageRanks"/> of values given by their codes (0..<paramref name="distinct"/>−1, in
    /// the order of the values): a code's values hold ranks start+1..end after the smaller codes' values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AverageRanksOfCodes(ReadOnlySpan<int> codes, int distinct, PairScratch scratch, Span<double> ranks)
    {
        var counts = scratch.Counts.AsSpan(0, distinct);
        var rankOfCode = scratch.RankOfCode.AsSpan(0, distinct);
        counts.Clear();
        foreach (var code in codes)
        {
            counts[code]++;
        }
        var start = 0;
        for (var c = 0; c < distinct; c++)
        {
            var end = start + counts[c];
            rankOfCode[c] = (start + 1 + end) / 2.0;
            start = end;
        }
        for (var i = 0; i < codes.Length; i++)
        {
            ranks[i] = rankOfCode[codes[i]];
        }
    }

    /// <summary>One thread's buffers for a pair of columns: its complete rows' values, codes and ranks.</summary>
    internal sealed class PairScratch(int rows, int distinct)
    {
        public double[] X { get; } = new double[rows];

        public double[] Y { get; } = new double[rows];

        public int[] CodesX { get; } = new int[rows];

        public int[] CodesY { get; } = new int[rows];

        public double[] RanksX { get; } = new double[rows];

        public double[] RanksY { get; } = new double[rows];

        public int[] Counts { get; } = new int[distinct];

        public double[] RankOfCode { get; } = new double[distinct];

        /// <summary>Copies the rows where both columns are defined, in row order; returns their number.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int GatherComplete(double[] x, double[] y, int[] codesX, int[] codesY)
        {
            var count = 0;
            for (var i = 0; i < x.Length; i++)
            {
                if (codesX[i] >= 0 && codesY[i] >= 0)
                {
                    X[count] = x[i];
                    Y[count] = y[i];
                    CodesX[count] = codesX[i];
                    CodesY[count] = codesY[i];
                    count++;
                }
            }
            return count;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

/// <summary>Correlations of every two columns, by <see cref="Correlation.PairwiseComplete"/>.</summary>
internal sealed class PairwiseCorrelations
{
    private readonly double[] _pearson, _spearman;
    private readonly int[] _pairs;

    internal PairwiseCorrelations(int columns)
    {
        Columns = columns;
        _pearson = new double[columns * columns];
        _spearman = new double[columns * columns];
        _pairs = new int[columns * columns];
    }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Pearson's r of columns i and j on their complete rows (NaN as <see cref="Correlation.Pearson"/>).</summary>
    public double Pearson(int i, int j) => _pearson[(i * Columns) + j];

    /// <summary>Spearman's ρ of columns i and j on their complete rows; NaN whenever r is.</summary>
    public double Spearman(int i, int j) => _spearman[(i * Columns) + j];

    /// <summary>Number of rows where columns i and j are both defined.</summary>
    public int Pairs(int i, int j) => _pairs[(i * Columns) + j];

    internal void Set(int i, int j, double pearson, double spearman, int pairs)
    {
        _pearson[(i * Columns) + j] = _pearson[(j * Columns) + i] = pearson;
        _spearman[(i * Columns) + j] = _spearman[(j * Columns) + i] = spearman;
        _pairs[(i * Columns) + j] = _pairs[(j * Columns) + i] = pairs;
    }
}
