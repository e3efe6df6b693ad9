using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

/// <summary>
/// <see cref="Correlation.PairwiseComplete"/> (ranks by counting codes, pairs in parallel) against
/// filtering each pair's complete rows and calling <see cref="Correlation.Pearson"/> and
/// <see cref="Correlation.Spearman"/> (ranks by sorting), as the barometer did: equal to the last bit.
/// </summary>
public sealed class PairwiseCorrelationTest
{
    [Theory]
    [InlineData(2000, 5, 6, 0.1, 1)]
    [InlineData(1500, 9, 41, 0.03, 2)]
    [InlineData(800, 4, 0, 0.2, 3)]
    [InlineData(7, 3, 3, 0.3, 4)]
    [InlineData(3, 2, 0, 0.0, 5)]
    public void PairwiseComplete_EqualsFilterThenPearsonAndSpearman(int n, int columns, int levels, double missingShare, int seed)
    {
        var rows = Table(n, columns, levels, missingShare, seed);
        foreach (var threads in new[] { 1, 2, -1 })
        {
            var actual = Correlation.PairwiseComplete(rows, columns, threads);
            for (var i = 0; i < columns; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    var (x, y) = Complete(rows, columns, i, j);
                    var r = Correlation.Pearson(x, y);
                    Assert.Equal(x.Length, actual.Pairs(i, j));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(r), BitConverter.DoubleToInt64Bits(actual.Pearson(i, j)));
                    var rho = double.IsNaN(r) ? double.NaN : Correlation.Spearman(x, y);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(rho), BitConverter.DoubleToInt64Bits(actual.Spearman(i, j)));
                }
            }
        }
    }

    [Fact]
    public void PairwiseComplete_ConstantAndEmptyColumns_AreNaN()
    {
        // Column 0 constant, column 1 all missing, column 2 varies.
        double[] rows = [5, double.NaN, 1, 5, double.NaN, 2, 5, double.NaN, 3, 5, double.NaN, 5];
        var result = Correlation.PairwiseComplete(rows, 3);
        Assert.True(double.IsNaN(result.Pearson(0, 2)));
        Assert.True(double.IsNaN(result.Spearman(0, 2)));
        Assert.Equal(0, result.Pairs(1, 2));
        Assert.True(double.IsNaN(result.Pearson(1, 1)));
        Assert.Equal(1.0, result.Pearson(2, 2));
    }

    [Theory]
    [InlineData(1000, 5, 0.1, 1)]
    [InlineData(1000, 0, 0.1, 2)]
    [InlineData(50, 2, 0.5, 3)]
    [InlineData(1, 0, 0.0, 4)]
    public void RanksByCodes_EqualSortedAverageRanks(int n, int levels, double missingShare, int seed)
    {
        var values = Table(n, 1, levels, missingShare, seed);
        var codes = new int[n];
        var distinct = Descriptive.CodeByDistinctValue(values, codes).Length;
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        var presentCodes = codes.Where(code => code >= 0).ToArray();
        Assert.Equal(present.Length, presentCodes.Length);
        Assert.Equal(present.Distinct().Count(), distinct);
        var ranks = new double[present.Length];
        Correlation.AverageRanksOfCodes(presentCodes, distinct, new Correlation.PairScratch(n, distinct), ranks);
        Assert.Equal(Correlation.AverageRanks(present), ranks);
    }

    [Fact]
    public void CodeByDistinctValue_BothZerosShareACode_NaNIsMinusOne()
    {
        double[] values = [0.0, -0.0, 2.5, double.NaN, -1.0, 2.5, 0.0];
        var codes = new int[values.Length];
        Assert.Equal([-1.0, 0.0, 2.5], Descriptive.CodeByDistinctValue(values, codes));
        Assert.Equal([1, 1, 2, -1, 0, 2, 1], codes);
    }

    [Fact]
    public void CodeByDistinctValue_ManyDistinctValues_GrowsAndKeepsOrder()
    {
        var values = Enumerable.Range(0, 5000).Select(i => Math.Sin(i) * 1000).ToArray();
        var codes = new int[values.Length];
        Assert.Equal(5000, Descriptive.CodeByDistinctValue(values, codes).Length);
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        Assert.Equal(Enumerable.Range(0, values.Length), order.Select(i => codes[i]));
    }

    /// <summary>Random values, rounded to <paramref name="levels"/> levels (ties) unless 0, a share of them NaN, some −0.</summary>
    private static double[] Table(int n, int columns, int levels, double missingShare, int seed)
    {
        var random = new Random(seed);
        var rows = new double[n * columns];
        for (var i = 0; i < n; i++)
        {
            var common = random.NextDouble();
            for (var j = 0; j < columns; j++)
            {
                var value = (common + random.NextDouble()) / 2;
                value = levels > 0 ? Math.Round(value * levels) / levels * 100 : value * 100;
                if (value == 0 && random.Next(2) == 0)
                {
                    value = -0.0;
                }
                rows[(i * columns) + j] = random.NextDouble() < missingShare ? double.NaN : value;
            }
        }
        return rows;
    }

    private static (double[] X, double[] Y) Complete(double[] rows, int columns, int i, int j)
    {
        var x = new List<double>();
        var y = new List<double>();
        for (var r = 0; r < rows.Length / columns; r++)
        {
            var a = rows[(r * columns) + i];
            var b = rows[(r * columns) + j];
            if (!double.IsNaN(a) && !double.IsNaN(b))
            {
                x.Add(a);
                y.Add(b);
            }
        }
        return ([.. x], [.. y]);
    }
}
