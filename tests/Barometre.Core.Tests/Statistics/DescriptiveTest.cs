using Barometre.Core.Statistics;
using Barometre.Core.Tests.Statistics.Reference;

namespace Barometre.Core.Tests.Statistics;

public sealed class DescriptiveTest
{
    private const double Relative = 1e-12;

    private static readonly double[] Odd = [1.5, 2.0, 3.25, 7.0, 10.0];
    private static readonly double[] Even = [-4.0, 0.5, 1.0, 2.5, 8.0, 9.75];
    private static readonly double[] Sample = [2.1, 3.7, 1.2, 9.9, 4.4, 0.3];

    [Fact]
    public void Mean_MatchesNumpy()
    {
        // python3 -c "import numpy as np; print(repr(np.mean([2.1, 3.7, 1.2, 9.9, 4.4, 0.3])))"
        const double expected = 3.600000000000001;
        Assert.Equal(expected, Descriptive.Mean(Sample), Relative * expected);
    }

    [Fact]
    public void Mean_SmallIntegers_IsExact()
    {
        // (1 + 2 + 6) / 3 = 3
        Assert.Equal(3.0, Descriptive.Mean([1.0, 2.0, 6.0]));
    }

    // Harmonic terms 1/1 … 1/n: a naive left-to-right sum of 1000 of them ends at 7.485470860550343,
    // numpy's pairwise sum at 7.485470860550345; Descriptive promises numpy's rounding, so equality is exact.
    // python3 -c "import numpy as np; print([repr(float(np.sum(1/np.arange(1, n+1)))) for n in (5, 100, 1000, 1001)], repr(float(np.mean(1/np.arange(1, 1001)))))"
    // → ['2.283333333333333', '5.187377517639621', '7.485470860550345', '7.486469861549347'] 0.007485470860550345
    [Theory]
    [InlineData(5, 2.283333333333333)]
    [InlineData(100, 5.187377517639621)]
    [InlineData(1000, 7.485470860550345)]
    [InlineData(1001, 7.486469861549347)]
    public void PairwiseSum_RoundsAsNumpy(int n, double expected)
    {
        Assert.Equal(expected, Descriptive.PairwiseSum(Harmonic(n)));
    }

    [Fact]
    public void Mean_RoundsAsNumpy()
    {
        // See PairwiseSum_RoundsAsNumpy's command: np.mean of 1000 harmonic terms.
        Assert.Equal(0.007485470860550345, Descriptive.Mean(Harmonic(1000)));
    }

    [Fact]
    public void PairwiseSum_EveryLength_EqualsScalarReference()
    {
        // The vectorised leaves must round as the eight scalar accumulators did, for every remainder and split.
        var random = new Random(11);
        var values = Enumerable.Range(0, 3000).Select(_ => (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-8, 9))).ToArray();
        for (var length = 0; length <= 700; length++)
        {
            Assert.Equal(DescriptiveReference.PairwiseSum(values.AsSpan(0, length)), Descriptive.PairwiseSum(values.AsSpan(0, length)));
        }
        foreach (var length in new[] { 1023, 1024, 1025, 2999, 3000 })
        {
            Assert.Equal(DescriptiveReference.PairwiseSum(values.AsSpan(0, length)), Descriptive.PairwiseSum(values.AsSpan(0, length)));
            Assert.Equal(DescriptiveReference.PairwiseSum(values.AsSpan(3000 - length)), Descriptive.PairwiseSum(values.AsSpan(3000 - length)));
        }
    }

    [Fact]
    public void PairwiseSum_EveryPath_SameBitsAsScalar()
    {
        // The eight accumulators as four, two or one register or as eight scalars (512 bits runs the 256-bit
        // code): the same bits for every remainder and split, and the scalar path's those of the reference.
        var random = new Random(12);
        var values = Enumerable.Range(0, 3000).Select(_ => (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-8, 9))).ToArray();
        int[] lengths = [.. Enumerable.Range(0, 300), 1023, 1024, 1025, 2999, 3000];
        double[] On(VectorPath path)
        {
            using (Kernels.ForcePath(path))
            {
                Assert.Equal(path, Kernels.Path);
                return [.. lengths.Select(length => Descriptive.PairwiseSum(values.AsSpan(3000 - length)))];
            }
        }
        var scalar = On(VectorPath.Scalar);
        Assert.Equal(lengths.Select(length => DescriptiveReference.PairwiseSum(values.AsSpan(3000 - length))), scalar);
        foreach (var path in new[] { VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512 })
        {
            Assert.Equal(scalar.Select(BitConverter.DoubleToInt64Bits), On(path).Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(40000, 41)]
    [InlineData(999, 7)]
    [InlineData(500, 0)]
    public void QuantileOfCounted_EqualsQuantileOfSorted(int n, int levels)
    {
        // Counts of distinct values stand for the sorted column: same order statistics, same interpolation.
        var random = new Random(n + levels);
        var values = Enumerable.Range(0, n).Select(_ => levels > 0 ? random.Next(levels) * 100.0 / 3 : random.NextDouble()).ToArray();
        var codes = new int[n];
        var distinct = Descriptive.CodeByDistinctValue(values, codes);
        var cumulative = Descriptive.CumulativeCounts(codes, distinct.Length);
        var sorted = values.Order().ToArray();
        foreach (var p in new[] { 0.0, 0.25, 0.5, 0.75, 0.9, 1.0 })
        {
            Assert.Equal(Descriptive.QuantileOfSorted(sorted, p), Descriptive.QuantileOfCounted(distinct, cumulative, p));
        }
    }

    [Fact]
    public void QuantileOfCounted_NoValue_IsNaN()
    {
        Assert.True(double.IsNaN(Descriptive.QuantileOfCounted([], [], 0.5)));
    }

    [Fact]
    public void PairwiseSum_Empty_IsZero()
    {
        Assert.Equal(0.0, Descriptive.PairwiseSum([]));
    }

    [Fact]
    public void Mean_Empty_IsNaN()
    {
        Assert.True(double.IsNaN(Descriptive.Mean([])));
    }

    [Fact]
    public void SampleVariance_MatchesNumpy()
    {
        // python3 -c "import numpy as np; print(repr(np.var([2.1, 3.7, 1.2, 9.9, 4.4, 0.3], ddof=1)))"
        const double expected = 11.848;
        Assert.Equal(expected, Descriptive.SampleVariance(Sample), Relative * expected);
    }

    [Fact]
    public void SampleVariance_ByHand()
    {
        // [1, 2, 6]: mean 3, squared deviations 4 + 1 + 9 = 14, / (3 − 1) = 7
        Assert.Equal(7.0, Descriptive.SampleVariance([1.0, 2.0, 6.0]), Relative * 7);
    }

    [Fact]
    public void SampleVariance_OneValue_IsNaN()
    {
        Assert.True(double.IsNaN(Descriptive.SampleVariance([5.0])));
    }

    [Fact]
    public void SampleVariance_Empty_IsNaN()
    {
        Assert.True(double.IsNaN(Descriptive.SampleVariance([])));
    }

    [Fact]
    public void SampleVariance_Constant_IsZero()
    {
        Assert.Equal(0.0, Descriptive.SampleVariance([4.25, 4.25, 4.25, 4.25]));
    }

    // python3 -c "import numpy as np; print([repr(float(np.percentile([1.5, 2.0, 3.25, 7.0, 10.0], q))) for q in (25, 50, 75, 2.5, 97.5)])"
    // → ['2.0', '3.25', '7.0', '1.55', '9.7']
    [Theory]
    [InlineData(0.25, 2.0)]
    [InlineData(0.5, 3.25)]
    [InlineData(0.75, 7.0)]
    [InlineData(0.025, 1.55)]
    [InlineData(0.975, 9.7)]
    public void QuantileOfSorted_OddLength_MatchesNumpyLinear(double p, double expected)
    {
        Assert.Equal(expected, Descriptive.QuantileOfSorted(Odd, p), Relative * Math.Abs(expected));
    }

    // python3 -c "import numpy as np; print([repr(float(np.percentile([-4.0, 0.5, 1.0, 2.5, 8.0, 9.75], q))) for q in (25, 50, 75, 2.5, 97.5)])"
    // → ['0.625', '1.75', '6.625', '-3.4375', '9.53125']
    [Theory]
    [InlineData(0.25, 0.625)]
    [InlineData(0.5, 1.75)]
    [InlineData(0.75, 6.625)]
    [InlineData(0.025, -3.4375)]
    [InlineData(0.975, 9.53125)]
    public void QuantileOfSorted_EvenLength_MatchesNumpyLinear(double p, double expected)
    {
        Assert.Equal(expected, Descriptive.QuantileOfSorted(Even, p), Relative * Math.Abs(expected));
    }

    // python3 -c "import numpy as np; print([repr(float(np.percentile([42.0], q))) for q in (25, 50, 75, 2.5, 97.5)])"
    // → ['42.0', '42.0', '42.0', '42.0', '42.0']
    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(0.025)]
    [InlineData(0.975)]
    public void QuantileOfSorted_OneValue_IsThatValue(double p)
    {
        Assert.Equal(42.0, Descriptive.QuantileOfSorted([42.0], p));
    }

    [Fact]
    public void QuantileOfSorted_Extremes_AreMinAndMax()
    {
        Assert.Equal(-4.0, Descriptive.QuantileOfSorted(Even, 0));
        Assert.Equal(9.75, Descriptive.QuantileOfSorted(Even, 1));
    }

    [Fact]
    public void QuantileOfSorted_Empty_IsNaN()
    {
        Assert.True(double.IsNaN(Descriptive.QuantileOfSorted([], 0.5)));
    }

    private static double[] Harmonic(int n) => [.. Enumerable.Range(1, n).Select(i => 1.0 / i)];
}
