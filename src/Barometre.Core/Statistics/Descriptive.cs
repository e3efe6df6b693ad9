using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Barometre.Core.Statistics;

/// <summary>Means, variances and quantiles, computed as numpy does them.</summary>
public static class Descriptive
{
    /// <summary>The arithmetic mean (numpy's pairwise sum divided by n); NaN for no value.</summary>
    public static double Mean(ReadOnlySpan<double> values) =>
        values.IsEmpty ? double.NaN : PairwiseSum(values) / values.Length;

    /// <summary>
    /// The sum as numpy computes it along a contiguous axis: blocks of up to 128 values summed with
    /// eight interleaved accumulators, blocks combined pairwise. Same rounding as the reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double PairwiseSum(ReadOnlySpan<double> values)
    {
        const int BlockSize = 128;
        if (values.Length < 8)
        {
            var sum = 0.0;
            foreach (var v in values)
            {
                sum += v;
            }
            return sum;
        }
        if (values.Length <= BlockSize && Vector256.IsHardwareAccelerated)
        {
            // The eight accumulators as two vectors of four: each lane adds what its accumulator would.
            ref var first = ref MemoryMarshal.GetReference(values);
            var low = Vector256.LoadUnsafe(ref first);
            var high = Vector256.LoadUnsafe(ref first, 4);
            int i;
            for (i = 8; i < values.Length - (values.Length % 8); i += 8)
            {
                low += Vector256.LoadUnsafe(ref first, (nuint)i);
                high += Vector256.LoadUnsafe(ref first, (nuint)(i + 4));
            }
            var result = ((low[0] + low[1]) + (low[2] + low[3])) + ((high[0] + high[1]) + (high[2] + high[3]));
            for (; i < values.Length; i++)
            {
                result += values[i];
            }
            return result;
        }
        if (values.Length <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            values[..8].CopyTo(r);
            int i;
            for (i = 8; i < values.Length - (values.Length % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    r[j] += values[i + j];
                }
            }
            var result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < values.Length; i++)
            {
                result += values[i];
            }
            return result;
        }
        var half = values.Length / 2;
        half -= half % 8;
        return PairwiseSum(values[..half]) + PairwiseSum(values[half..]);
    }

    /// <summary>The sample variance (n − 1 denominator); NaN below two values.</summary>
    public static double SampleVariance(ReadOnlySpan<double> values)
    {
        if (values.Length < 2)
        {
            return double.NaN;
        }
        var mean = Mean(values);
        var sum = 0.0;
        foreach (var v in values)
        {
            var d = v - mean;
            sum += d * d;
        }
        return sum / (values.Length - 1);
    }

    /// <summary>
    /// The quantile of already sorted values at probability <paramref name="p"/> (0..1), by linear
    /// interpolation between order statistics: numpy's default (<c>method="linear"</c>), the
    /// h = (n − 1)·p rule. NaN for no value.
    /// </summary>
    public static double QuantileOfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }
        var h = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1)
        {
            return sorted[^1];
        }
        return Lerp(sorted[lo], sorted[lo + 1], h - lo);
    }

    // numpy's _lerp: interpolates from the nearer end so that t = 1 returns b exactly.
    private static double Lerp(double a, double b, double t)
    {
        var diff = b - a;
        return t >= 0.5 ? b - (diff * (1 - t)) : a + (diff * t);
    }
}
