using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

public sealed partial class BootstrapTest
{
    // 6 rows × 3 columns with missing values.
    private static readonly double[] Table =
    [
        1, 4, double.NaN,
        2, 3, 0,
        4, double.NaN, 1,
        3, 4, 4,
        0, 2, double.NaN,
        2, 1, 3,
    ];

    [Fact]
    public void MeanIntervals_SameSeed_IsDeterministic()
    {
        var first = Bootstrap.MeanIntervals(Table, 3, 500, seed: 42);
        var second = Bootstrap.MeanIntervals(Table, 3, 500, seed: 42);
        Assert.Equal(first, second);
    }

    [Fact]
    public void MeanIntervals_DifferentSeeds_Differ()
    {
        var values = NormalSample(100, 17);
        var first = Bootstrap.MeanIntervals(values, 1, 200, seed: 1);
        var second = Bootstrap.MeanIntervals(values, 1, 200, seed: 2);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void MeanIntervals_ThreadCount_DoesNotMatter()
    {
        var single = Bootstrap.MeanIntervals(Table, 3, 1000, seed: 7, maxDegreeOfParallelism: 1);
        var four = Bootstrap.MeanIntervals(Table, 3, 1000, seed: 7, maxDegreeOfParallelism: 4);
        var unbounded = Bootstrap.MeanIntervals(Table, 3, 1000, seed: 7, maxDegreeOfParallelism: -1);
        Assert.Equal(single, four);
        Assert.Equal(single, unbounded);
        Assert.Equal(single, Bootstrap.MeanIntervals(Table, 3, 1000, seed: 7));
    }

    [Fact]
    public void MeanIntervals_ThreadCount_DoesNotMatterOnLargerData()
    {
        var values = NormalSample(400, 3);
        var single = Bootstrap.MeanIntervals(values, 2, 2000, seed: 5, maxDegreeOfParallelism: 1);
        var four = Bootstrap.MeanIntervals(values, 2, 2000, seed: 5, maxDegreeOfParallelism: 4);
        Assert.Equal(single, four);
    }

    [Fact]
    public void MeanIntervals_ZeroReplicates_IsNaN()
    {
        var result = Bootstrap.MeanIntervals(Table, 3, 0, seed: 42);
        Assert.Equal(3, result.Length);
        Assert.All(result, interval =>
        {
            Assert.True(double.IsNaN(interval.Low));
            Assert.True(double.IsNaN(interval.High));
        });
    }

    [Fact]
    public void MeanIntervals_NoRows_IsNaN()
    {
        var result = Bootstrap.MeanIntervals([], 2, 100, seed: 42);
        Assert.Equal(2, result.Length);
        Assert.All(result, interval => Assert.True(double.IsNaN(interval.Low) && double.IsNaN(interval.High)));
    }

    [Fact]
    public void MeanIntervals_AllMissingColumn_IsNaN()
    {
        double[] values =
        [
            1, double.NaN,
            2, double.NaN,
            3, double.NaN,
            5, double.NaN,
        ];
        var result = Bootstrap.MeanIntervals(values, 2, 200, seed: 42);
        Assert.True(double.IsNaN(result[1].Low));
        Assert.True(double.IsNaN(result[1].High));
        Assert.False(double.IsNaN(result[0].Low));
        Assert.False(double.IsNaN(result[0].High));
    }

    [Fact]
    public void MeanIntervals_ConstantColumnWithGaps_IsThatConstant()
    {
        // Every replicate that sees a value of column 0 has mean exactly 2.5 (w·2.5 sums are exact).
        double[] values = [2.5, 1, double.NaN, 2, 2.5, 3, double.NaN, 4, 2.5, 5];
        var result = Bootstrap.MeanIntervals(values, 2, 300, seed: 9);
        Assert.Equal((2.5, 2.5), result[0]);
    }

    [Fact]
    public void MeanIntervals_ReplicatesWithoutValue_AreLeftOut()
    {
        // One value among 3 rows: about (2/3)³ ≈ 30 % of replicates miss it; they are left out, the
        // others all have mean 7, so both bounds are 7 (a NaN or 0 mean would widen the interval).
        double[] values = [double.NaN, 7, double.NaN];
        var result = Bootstrap.MeanIntervals(values, 1, 400, seed: 21);
        Assert.Equal((7.0, 7.0), result[0]);
    }

    [Fact]
    public void MeanIntervals_OneRow_IsThatRow()
    {
        var result = Bootstrap.MeanIntervals([3.25, -1.0], 2, 50, seed: 1);
        Assert.Equal((3.25, 3.25), result[0]);
        Assert.Equal((-1.0, -1.0), result[1]);
    }

    // MeanIntervals draws the rows as numpy's default_rng(seed).integers(0, n, size=(B, n)) does, so the
    // reference is numpy's nanmean of each resample and np.percentile (linear) over the non-NaN means.
    // The C# sums run in row order, numpy's in draw order, hence a 1e-12 relative tolerance.

    [Fact]
    public void MeanIntervals_MatchesNumpyResampling()
    {
        // python3 -W ignore -c "import numpy as np; X=np.array([[3.5,1],[2.25,0],[4,1],[1.75,0],[3,1],[2.5,1],[5,0],[0.5,1],[3.25,1],[2,0],[4.5,1],[1,0]]); B=2000; idx=np.random.default_rng(2019).integers(0, len(X), size=(B, len(X))); M=np.nanmean(X[idx], axis=1); print([[repr(v) for v in np.percentile(m[~np.isnan(m)], [2.5, 97.5])] for m in M.T])"
        // → [['2.0625', '3.4583333333333335'], ['0.3333333333333333', '0.8333333333333334']]
        double[] values =
        [
            3.5, 1, 2.25, 0, 4, 1, 1.75, 0, 3, 1, 2.5, 1,
            5, 0, 0.5, 1, 3.25, 1, 2, 0, 4.5, 1, 1, 0,
        ];
        var result = Bootstrap.MeanIntervals(values, 2, 2000, seed: 2019);
        AssertClose(2.0625, result[0].Low);
        AssertClose(3.4583333333333335, result[0].High);
        AssertClose(0.3333333333333333, result[1].Low);
        AssertClose(0.8333333333333334, result[1].High);
    }

    [Fact]
    public void MeanIntervals_WithMissingValues_MatchesNumpyResampling()
    {
        // python3 -W ignore -c "import numpy as np; nan=np.nan; X=np.array([[0.3,4,nan],[1.7,3,0],[2.9,nan,1],[3.1,4,4],[0.2,2,nan],[2.6,1,3],[4.4,nan,2],[1.1,0,nan],[3.8,3,1],[0.9,4,0],[2.2,2,4],[4.7,1,nan],[1.4,3,2],[3.3,nan,3],[0.6,0,1]]); B=1000; idx=np.random.default_rng(7).integers(0, len(X), size=(B, len(X))); M=np.nanmean(X[idx], axis=1); print([[repr(v) for v in np.percentile(m[~np.isnan(m)], [2.5, 97.5])] for m in M.T])"
        // → [['1.5465', '2.9266666666666663'], ['1.4545454545454546', '3.0'], ['1.1108333333333333', '2.8181818181818183']]
        const double NaN = double.NaN;
        double[] values =
        [
            0.3, 4, NaN, 1.7, 3, 0, 2.9, NaN, 1, 3.1, 4, 4, 0.2, 2, NaN,
            2.6, 1, 3, 4.4, NaN, 2, 1.1, 0, NaN, 3.8, 3, 1, 0.9, 4, 0,
            2.2, 2, 4, 4.7, 1, NaN, 1.4, 3, 2, 3.3, NaN, 3, 0.6, 0, 1,
        ];
        var result = Bootstrap.MeanIntervals(values, 3, 1000, seed: 7);
        AssertClose(1.5465, result[0].Low);
        AssertClose(2.9266666666666663, result[0].High);
        AssertClose(1.4545454545454546, result[1].Low);
        AssertClose(3.0, result[1].High);
        AssertClose(1.1108333333333333, result[2].Low);
        AssertClose(2.8181818181818183, result[2].High);
    }

    [Fact]
    public void MeanIntervals_SmallTable_MatchesNumpyResampling()
    {
        // python3 -W ignore -c "import numpy as np; nan=np.nan; X=np.array([[1,4,nan],[2,3,0],[4,nan,1],[3,4,4],[0,2,nan],[2,1,3]]); B=500; idx=np.random.default_rng(42).integers(0, len(X), size=(B, len(X))); M=np.nanmean(X[idx], axis=1); print([[repr(v) for v in np.percentile(m[~np.isnan(m)], [2.5, 97.5])] for m in M.T])"
        // → [['1.0', '3.0'], ['1.75', '3.75'], ['0.5', '3.75']]
        var result = Bootstrap.MeanIntervals(Table, 3, 500, seed: 42);
        AssertClose(1.0, result[0].Low);
        AssertClose(3.0, result[0].High);
        AssertClose(1.75, result[1].Low);
        AssertClose(3.75, result[1].High);
        AssertClose(0.5, result[2].Low);
        AssertClose(3.75, result[2].High);
    }

    [Fact]
    public void MeanIntervals_NormalSample_IsCloseToNormalInterval()
    {
        // 400 values of N(50, 10²) (Irwin–Hall, deterministic). The percentile interval should be
        // within 15 % of the half-width of mean ± 1.96·sd/√n.
        var values = NormalSample(400, 2019).Select(z => 50 + (10 * z)).ToArray();
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        var half = 1.96 * sd / Math.Sqrt(values.Length);

        var (low, high) = Bootstrap.MeanIntervals(values, 1, 2000, seed: 42)[0];

        Assert.InRange(low, mean - half - (0.15 * half), mean - half + (0.15 * half));
        Assert.InRange(high, mean + half - (0.15 * half), mean + half + (0.15 * half));
        Assert.InRange(high - low, 2 * half * 0.85, 2 * half * 1.15);
    }

    [Fact]
    public void MeanIntervals_BracketTheSampleMean()
    {
        var values = NormalSample(400, 77);
        var result = Bootstrap.MeanIntervals(values, 2, 1000, seed: 8);
        for (var c = 0; c < 2; c++)
        {
            var mean = Enumerable.Range(0, 200).Average(r => values[(r * 2) + c]);
            Assert.True(result[c].Low < mean);
            Assert.True(result[c].High > mean);
        }
        for (var c = 0; c < 3; c++)
        {
            var column = Enumerable.Range(0, 6).Select(r => Table[(r * 3) + c]).Where(v => !double.IsNaN(v)).ToArray();
            var interval = Bootstrap.MeanIntervals(Table, 3, 1000, seed: 8)[c];
            Assert.InRange(column.Average(), interval.Low, interval.High);
        }
    }

    [Fact]
    public void MeanIntervals_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanIntervals(Table, 0, 10, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanIntervals(Table, 3, -1, seed: 1));
    }

    // ReplicateMeans draws tiles of replicates in parallel, presuming no earlier rejection, then moves
    // the draws across the true boundaries; the sums run several replicates at a time. These compare
    // it bit for bit with the plain sequential loop it replaced.

    [Theory]
    [InlineData(1, 3, 50)]
    [InlineData(2, 1, 100)]
    [InlineData(3, 2, 333)]
    [InlineData(6, 3, 1000)]
    [InlineData(39, 9, 1000)]
    [InlineData(40, 10, 17)]
    [InlineData(1001, 4, 203)]
    [InlineData(4000, 9, 120)]
    public void ReplicateMeans_MatchSequentialDraws(int rows, int columns, int replicates)
    {
        var values = Panel(rows, columns, missingShare: 0.1, seed: (ulong)rows);
        AssertSameBits(SequentialReplicateMeans(values, columns, replicates, seed: 11), Bootstrap.ReplicateMeans(values, columns, replicates, 11, -1));
    }

    [Trait("Size", "Large")]
    [Fact]
    public void ReplicateMeans_ManyRejections_MatchSequentialDraws()
    {
        // 2³² mod 60 000 = 47 296: about one value in 90 000 is rejected, some 130 here, across tile
        // boundaries and inside tiles.
        var values = Panel(60_000, 1, missingShare: 0.05, seed: 3);
        AssertSameBits(SequentialReplicateMeans(values, 1, 200, seed: 4), Bootstrap.ReplicateMeans(values, 1, 200, 4, -1));
    }

    [Fact]
    public void ReplicateMeans_MoreRowsThan16Bits_MatchSequentialDraws()
    {
        // Above 65 535 rows a multiplicity may not fit 16 bits: the 32-bit path.
        var values = Panel(70_001, 1, missingShare: 0.05, seed: 5);
        AssertSameBits(SequentialReplicateMeans(values, 1, 30, seed: 6), Bootstrap.ReplicateMeans(values, 1, 30, 6, -1));
    }

    [Fact]
    public void ReplicateMeans_Infinities_MatchSequentialDraws()
    {
        // A row not drawn adds nothing, even where its value is infinite (0 · ∞ would be NaN).
        var values = Panel(50, 4, missingShare: 0.1, seed: 8);
        values[7] = double.PositiveInfinity;
        values[(20 * 4) + 1] = double.NegativeInfinity;
        values[(31 * 4) + 1] = double.PositiveInfinity;
        var expected = SequentialReplicateMeans(values, 4, 500, seed: 9);
        var actual = Bootstrap.ReplicateMeans(values, 4, 500, 9, -1);
        Assert.Contains(expected, double.IsNaN);
        Assert.Contains(expected, double.IsInfinity);
        AssertSameBits(expected, actual);
    }

    [Fact]
    public void ReplicateMeans_ThreadCount_DoesNotMatter()
    {
        var values = Panel(60_000, 3, missingShare: 0.05, seed: 12);
        var single = Bootstrap.ReplicateMeans(values, 3, 100, 13, maxDegreeOfParallelism: 1);
        AssertSameBits(single, Bootstrap.ReplicateMeans(values, 3, 100, 13, maxDegreeOfParallelism: 2));
        AssertSameBits(single, Bootstrap.ReplicateMeans(values, 3, 100, 13, maxDegreeOfParallelism: 5));
        AssertSameBits(single, Bootstrap.ReplicateMeans(values, 3, 100, 13, maxDegreeOfParallelism: -1));
    }

    /// <summary>
    /// The bootstrap's replicate means as first written: replicate after replicate, each row drawn by
    /// <see cref="SeededRandom.NextInt"/>, then Σ w · value and Σ w · present in row order over the rows drawn.
    /// </summary>
    private static double[] SequentialReplicateMeans(double[] values, int columns, int replicates, long seed)
    {
        var n = values.Length / columns;
        var rng = new SeededRandom(seed);
        var means = new double[replicates * columns];
        var multiplicity = new int[n];
        for (var b = 0; b < replicates; b++)
        {
            Array.Clear(multiplicity);
            for (var draw = 0; draw < n; draw++)
            {
                multiplicity[rng.NextInt(n)]++;
            }
            var sum = new double[columns];
            var weight = new double[columns];
            for (var row = 0; row < n; row++)
            {
                var w = multiplicity[row];
                if (w == 0)
                {
                    continue;
                }
                for (var c = 0; c < columns; c++)
                {
                    var value = values[(row * columns) + c];
                    sum[c] += w * (double.IsNaN(value) ? 0 : value);
                    weight[c] += w * (double.IsNaN(value) ? 0 : 1);
                }
            }
            for (var c = 0; c < columns; c++)
            {
                means[(b * columns) + c] = weight[c] > 0 ? sum[c] / weight[c] : double.NaN;
            }
        }
        return means;
    }

    private static void AssertSameBits(double[] expected, double[] actual) =>
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));

    /// <summary>Scores on a 0–100 scale with 4 decimals and a share of missing values (MMIX generator, independent of SeededRandom).</summary>
    private static double[] Panel(int rows, int columns, double missingShare, ulong seed)
    {
        var state = seed;
        var values = new double[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            state = unchecked((state * 6364136223846793005UL) + 1442695040888963407UL);
            var u = (state >> 11) * (1.0 / (1UL << 53));
            values[i] = u < missingShare ? double.NaN : Math.Round((u - missingShare) / (1 - missingShare) * 100, 4);
        }
        return values;
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.Equal(expected, actual, 1e-12 * Math.Abs(expected));

    /// <summary>
    /// Approximately standard normal values: the sum of 12 uniforms minus 6 (Irwin–Hall), the uniforms
    /// from Knuth's MMIX linear congruential generator — independent of <see cref="SeededRandom"/>.
    /// </summary>
    private static double[] NormalSample(int count, ulong seed)
    {
        var state = seed;
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < 12; j++)
            {
                state = unchecked((state * 6364136223846793005UL) + 1442695040888963407UL);
                sum += (state >> 11) * (1.0 / (1UL << 53));
            }
            result[i] = sum - 6;
        }
        return result;
    }
}
