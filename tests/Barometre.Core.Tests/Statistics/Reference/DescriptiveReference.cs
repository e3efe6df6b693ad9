namespace Barometre.Core.Tests.Statistics.Reference;

/// <summary>The scalar sums and variances <see cref="Core.Statistics.Descriptive"/> replaced, kept as the specification.</summary>
internal static class DescriptiveReference
{
    public static double Mean(ReadOnlySpan<double> values) =>
        values.IsEmpty ? double.NaN : PairwiseSum(values) / values.Length;

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
}
