using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Barometre.Core.Statistics;

/// <summary>Means, variances and quantiles, computed as numpy does them.</summary>
public static class Descriptive
{
    /// <summary>The arithmetic mean (numpy's pairwise sum divided by n); NaN for no value.</summary>
    public static double Mean(ReadOnlySpan<double> values) =>
        values.IsEmpty ? double.NaN : PairwiseSum(values) / values.Length;

    /// <summary>
    /// The sum as numpy computes it along a contiguous axis: blocks of up to 128 values summed with
    /// eight interleaved accumulators, blocks combined pairwise. Same rounding as the reference, on every <see cref="Kernels.Path"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double PairwiseSum(ReadOnlySpan<double> values) => PairwiseSum(values, Kernels.Path);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double PairwiseSum(ReadOnlySpan<double> values, VectorPath path)
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
        if (values.Length <= BlockSize)
        {
            return path switch
            {
                VectorPath.Scalar => BlockSum<EightDoublesScalar>(values),
                VectorPath.Vector128 => BlockSum<EightDoubles128>(values),
                // 512 bits as 256: a block is at most 16 additions of eight lanes, too few for wider registers to show.
                _ => BlockSum<EightDoubles256>(values),
            };
        }
        var half = values.Length / 2;
        half -= half % 8;
        return PairwiseSum(values[..half], path) + PairwiseSum(values[half..], path);
    }

    /// <summary>A block of 8 to 128 values: the eight accumulators are the eight lanes, each adding what its accumulator would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double BlockSum<TLanes>(ReadOnlySpan<double> values)
        where TLanes : struct, IEightDoubles<TLanes>
    {
        ref var first = ref MemoryMarshal.GetReference(values);
        var lanes = TLanes.Load(ref first);
        int i;
        for (i = 8; i < values.Length - (values.Length % 8); i += 8)
        {
            lanes = TLanes.Add(lanes, TLanes.Load(ref Unsafe.Add(ref first, i)));
        }
        var result = TLanes.Total(lanes);
        for (; i < values.Length; i++)
        {
            result += values[i];
        }
        return result;
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

    /// <summary>
    /// <see cref="QuantileOfSorted"/> of the sorted values that distinct values and their counts stand
    /// for, without writing them out: value <paramref name="sortedDistinct"/>[c] repeated as many times
    /// as <paramref name="cumulativeCounts"/>[c] − <paramref name="cumulativeCounts"/>[c − 1].
    /// </summary>
    /// <param name="sortedDistinct">Distinct values in increasing order.</param>
    /// <param name="cumulativeCounts">For each distinct value, how many values are at most it.</param>
    /// <param name="p">Probability, 0..1.</param>
    internal static double QuantileOfCounted(ReadOnlySpan<double> sortedDistinct, ReadOnlySpan<int> cumulativeCounts, double p)
    {
        var count = cumulativeCounts.IsEmpty ? 0 : cumulativeCounts[^1];
        if (count == 0)
        {
            return double.NaN;
        }
        var h = p * (count - 1);
        var lo = (int)Math.Floor(h);
        if (lo >= count - 1)
        {
            return sortedDistinct[^1];
        }
        return Lerp(OrderStatistic(lo, sortedDistinct, cumulativeCounts), OrderStatistic(lo + 1, sortedDistinct, cumulativeCounts), h - lo);

        // The value at 0-based position k of the sorted values: the first whose cumulative count exceeds k.
        static double OrderStatistic(int k, ReadOnlySpan<double> sortedDistinct, ReadOnlySpan<int> cumulativeCounts)
        {
            int low = 0, high = cumulativeCounts.Length - 1;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (cumulativeCounts[middle] > k)
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }
            return sortedDistinct[low];
        }
    }

    /// <summary>
    /// For each code 0..<paramref name="distinct"/>−1, how many of <paramref name="codes"/> are at most it:
    /// the cumulative counts <see cref="QuantileOfCounted"/> takes, from <see cref="CodeByDistinctValue"/>'s codes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[] CumulativeCounts(ReadOnlySpan<int> codes, int distinct)
    {
        var cumulative = new int[distinct];
        foreach (var code in codes)
        {
            cumulative[code]++;
        }
        for (var c = 1; c < cumulative.Length; c++)
        {
            cumulative[c] += cumulative[c - 1];
        }
        return cumulative;
    }

    /// <summary>
    /// Writes each value's position among the distinct values, in increasing order (−1 for NaN), to
    /// <paramref name="codes"/>; values equal by <c>==</c> (−0 and +0 among them) share a code.
    /// </summary>
    /// <returns>The distinct values, in increasing order (+0 for the zeros).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[] CodeByDistinctValue(ReadOnlySpan<double> values, Span<int> codes)
    {
        // Open addressing on the bits of the value (+0 standing for both zeros); a slot holds code + 1.
        var bits = 6;
        var keys = new long[1 << bits];
        var slots = new int[1 << bits];
        var distinct = new double[1 << (bits - 1)];
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (double.IsNaN(value))
            {
                codes[i] = -1;
                continue;
            }
            var key = value == 0 ? 0L : BitConverter.DoubleToInt64Bits(value);
            var mask = slots.Length - 1;
            var slot = FibonacciHash.Slot(key, bits);
            while (slots[slot] != 0 && keys[slot] != key)
            {
                slot = (slot + 1) & mask;
            }
            if (slots[slot] == 0)
            {
                if (count == distinct.Length)
                {
                    bits++;
                    Array.Resize(ref distinct, 1 << (bits - 1));
                    (keys, slots) = Rehash(keys, slots, bits);
                    mask = slots.Length - 1;
                    slot = FibonacciHash.Slot(key, bits);
                    while (slots[slot] != 0)
                    {
                        slot = (slot + 1) & mask;
                    }
                }
                keys[slot] = key;
                distinct[count] = value == 0 ? 0.0 : value;
                slots[slot] = ++count;
            }
            codes[i] = slots[slot] - 1;
        }

        var sorted = distinct[..count];
        SortDistinct(sorted);
        var position = new int[count];
        for (var c = 0; c < count; c++)
        {
            position[c] = PositionOf(sorted, distinct[c]);
        }
        for (var i = 0; i < values.Length; i++)
        {
            if (codes[i] >= 0)
            {
                codes[i] = position[codes[i]];
            }
        }
        return sorted;

        // Scores take a few dozen distinct values: insertion sort them, and leave Array.Sort, whose
        // generic helpers a cold process would have to compile first, to long lists.
        static void SortDistinct(double[] values)
        {
            if (values.Length > 64)
            {
                Array.Sort(values);
                return;
            }
            for (var i = 1; i < values.Length; i++)
            {
                var value = values[i];
                var j = i - 1;
                while (j >= 0 && values[j] > value)
                {
                    values[j + 1] = values[j];
                    j--;
                }
                values[j + 1] = value;
            }
        }

        // Distinct values, so the one equal value is found; Array.BinarySearch's comparer would cost a cold process more to compile.
        static int PositionOf(double[] sorted, double value)
        {
            int low = 0, high = sorted.Length - 1;
            while (sorted[(low + high) >>> 1] != value)
            {
                if (sorted[(low + high) >>> 1] < value)
                {
                    low = ((low + high) >>> 1) + 1;
                }
                else
                {
                    high = ((low + high) >>> 1) - 1;
                }
            }
            return (low + high) >>> 1;
        }

        static (long[] Keys, int[] Slots) Rehash(long[] keys, int[] slots, int bits)
        {
            var newKeys = new long[1 << bits];
            var newSlots = new int[1 << bits];
            var mask = newSlots.Length - 1;
            for (var s = 0; s < slots.Length; s++)
            {
                if (slots[s] != 0)
                {
                    var slot = FibonacciHash.Slot(keys[s], bits);
                    while (newSlots[slot] != 0)
                    {
                        slot = (slot + 1) & mask;
                    }
                    newKeys[slot] = keys[s];
                    newSlots[slot] = slots[s];
                }
            }
            return (newKeys, newSlots);
        }
    }

    // numpy's _lerp: interpolates from the nearer end so that t = 1 returns b exactly.
    private static double Lerp(double a, double b, double t)
    {
        var diff = b - a;
        return t >= 0.5 ? b - (diff * (1 - t)) : a + (diff * t);
    }
}
