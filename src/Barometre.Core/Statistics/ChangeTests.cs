using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics;

namespace Barometre.Core.Statistics;

/// <summary>
/// The outcome of a test of change between two editions.
/// </summary>
/// <param name="Statistic">The test's statistic, as scipy reports it (each test says which).</param>
/// <param name="N">
/// The observations the test was computed on: for a paired test the units with a value in both
/// editions, for an unpaired one the values of both editions together.
/// </param>
/// <param name="PValue">The two-sided p-value, NaN when the test is undefined.</param>
public sealed record ChangeTestResult(double Statistic, int N, double PValue);

/// <summary>
/// Two-sided tests of a change between two editions, each equal to a named scipy function: paired on
/// the units present in both (Wilcoxon signed-rank, exact McNemar), unpaired on every value of each
/// edition (Mann–Whitney U, pooled two-proportion z test).
/// </summary>
/// <remarks>
/// Values are doubles with NaN for a missing one (a theme not scored, an indicator without a level);
/// shares are 0/1 values. Normal tails are computed as erfc of the standardised statistic, never as
/// 1 − cdf, so that a p-value of 1e-300 keeps its digits.
/// </remarks>
public static class ChangeTests
{
    /// <summary>Decimals the paired differences are rounded to, so that equal changes tie (<see cref="Scoring.RankKey"/>'s rule).</summary>
    public const int DifferenceDecimals = 9;

    /// <summary>Trials from which the exact binomial test would need scipy's relative tolerance (see <see cref="BinomialTwoSidedHalf"/>).</summary>
    internal const int MaxBinomialTrials = 20_000_000;

    private const double SqrtHalf = 0.70710678118654752440;

    /// <summary>
    /// The Wilcoxon signed-rank test of the paired differences <c>after − before</c>:
    /// <c>scipy.stats.wilcoxon(d, zero_method="wilcox", correction=False, method="approx")</c> with
    /// <c>d = numpy.round(after − before, 9)</c>.
    /// </summary>
    /// <remarks>
    /// Pairs with a NaN on either side are left out; each difference is rounded to
    /// <see cref="DifferenceDecimals"/> decimals (half to even, as numpy) so that floating-point noise
    /// cannot split a tie; zero differences are dropped (Wilcoxon's method). The statistic is
    /// T = min(R⁺, R⁻), the smaller sum of the average ranks of |d| over the positive and the negative
    /// differences; with m non-zero differences, z = (T − m(m + 1)/4) / σ where
    /// σ² = (m(m + 1)(2m + 1) − ½ Σ (t³ − t)) / 24 over the groups of t tied |d|, without continuity
    /// correction, and p = 2 · P(Z &gt; |z|). When no non-zero difference remains (no change at all,
    /// or no pair) the result is T = 0 and p = 1: no evidence of a change. scipy 1.10 raises a
    /// ValueError there and later versions return NaN (σ = 0).
    /// </remarks>
    /// <param name="before">Each unit's value in the earlier edition, NaN when it has none.</param>
    /// <param name="after">The same units' values in the later edition, in the same order.</param>
    /// <returns>T, the number of pairs with both values (zero differences included) and p.</returns>
    public static ChangeTestResult Wilcoxon(ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        RequireSameLength(before, after);
        var pairs = 0;
        var differences = new List<double>(before.Length);
        for (var i = 0; i < before.Length; i++)
        {
            if (double.IsNaN(before[i]) || double.IsNaN(after[i]))
            {
                continue;
            }
            pairs++;
            var difference = Math.Round(after[i] - before[i], DifferenceDecimals);
            if (difference != 0)
            {
                differences.Add(difference);
            }
        }
        if (differences.Count == 0)
        {
            return new ChangeTestResult(0, pairs, 1);
        }

        var d = CollectionsMarshal.AsSpan(differences);
        var magnitudes = new double[d.Length];
        for (var i = 0; i < d.Length; i++)
        {
            magnitudes[i] = Math.Abs(d[i]);
        }
        var ranks = Correlation.AverageRanksWithTies(magnitudes, out var tieTerm);
        double plus = 0, minus = 0;
        for (var i = 0; i < d.Length; i++)
        {
            if (d[i] > 0)
            {
                plus += ranks[i];
            }
            else
            {
                minus += ranks[i];
            }
        }
        var statistic = Math.Min(plus, minus);
        double m = d.Length;
        var variance = ((m * (m + 1) * ((2 * m) + 1)) - (0.5 * tieTerm)) / 24;
        var z = (statistic - (m * (m + 1) * 0.25)) / Math.Sqrt(variance);
        return new ChangeTestResult(statistic, pairs, DoubledUpperNormalTail(Math.Abs(z)));
    }

    /// <summary>
    /// The exact McNemar test of paired shares: the two-sided binomial test of the discordant pairs,
    /// <c>scipy.stats.binomtest(b, b + c, 0.5).pvalue</c>.
    /// </summary>
    /// <remarks>
    /// Pairs with a NaN on either side are left out. b counts the pairs that went from 0 to 1, c those
    /// that went from 1 to 0; p = 1 when there is no discordant pair (scipy refuses b + c = 0). The
    /// p-value is exact: see <see cref="BinomialTwoSidedHalf"/>.
    /// </remarks>
    /// <param name="before">Each unit's value in the earlier edition: 0, 1 or NaN (no level).</param>
    /// <param name="after">The same units' values in the later edition, in the same order.</param>
    /// <returns>b, the number of pairs with both values and p.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, or a value is neither 0, 1 nor NaN.</exception>
    public static ChangeTestResult McNemar(ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        RequireSameLength(before, after);
        int pairs = 0, gained = 0, lost = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (double.IsNaN(before[i]) || double.IsNaN(after[i]))
            {
                continue;
            }
            var was = IsOne(before[i], nameof(before));
            var now = IsOne(after[i], nameof(after));
            pairs++;
            if (now && !was)
            {
                gained++;
            }
            else if (was && !now)
            {
                lost++;
            }
        }
        return new ChangeTestResult(gained, pairs, BinomialTwoSidedHalf(gained, gained + lost));
    }

    /// <summary>
    /// The Mann–Whitney U test of two independent samples, two-sided, normal approximation with tie and
    /// continuity corrections: <c>scipy.stats.mannwhitneyu(before, after, alternative="two-sided",
    /// method="asymptotic")</c> on the non-NaN values.
    /// </summary>
    /// <remarks>
    /// U₁ = R₁ − n₁(n₁ + 1)/2 from the sum R₁ of the average ranks of <paramref name="before"/> among
    /// both samples; with U = max(U₁, n₁n₂ − U₁),
    /// z = (U − n₁n₂/2 − ½) / √(n₁n₂/12 · ((n + 1) − Σ (t³ − t) / (n(n − 1)))) and
    /// p = min(1, 2 · P(Z &gt; z)); p = 1 when every value is tied (σ = 0). NaN when either sample has
    /// no value (scipy raises a ValueError).
    /// </remarks>
    /// <param name="before">The values of the earlier edition, NaN for a missing one.</param>
    /// <param name="after">The values of the later edition, NaN for a missing one.</param>
    /// <returns>U₁ (scipy's statistic, for <paramref name="before"/>), n₁ + n₂ and p.</returns>
    public static ChangeTestResult MannWhitney(ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        var pooled = new List<double>(before.Length + after.Length);
        AddDefined(before, pooled);
        var n1 = pooled.Count;
        AddDefined(after, pooled);
        var n2 = pooled.Count - n1;
        if (n1 == 0 || n2 == 0)
        {
            return new ChangeTestResult(double.NaN, n1 + n2, double.NaN);
        }

        var ranks = Correlation.AverageRanksWithTies(CollectionsMarshal.AsSpan(pooled), out var tieTerm);
        var rankSum = 0.0;
        for (var i = 0; i < n1; i++)
        {
            rankSum += ranks[i];
        }
        double x = n1, y = n2, n = n1 + n2;
        var u1 = rankSum - (x * (x + 1) / 2);
        var u = Math.Max(u1, (x * y) - u1);
        var deviation = Math.Sqrt(x * y / 12 * ((n + 1) - (tieTerm / (n * (n - 1)))));
        if (deviation == 0)
        {
            return new ChangeTestResult(u1, n1 + n2, 1);
        }
        var z = (u - (x * y / 2) - 0.5) / deviation;
        return new ChangeTestResult(u1, n1 + n2, Math.Min(1.0, DoubledUpperNormalTail(z)));

        static void AddDefined(ReadOnlySpan<double> values, List<double> pooled)
        {
            foreach (var value in values)
            {
                if (!double.IsNaN(value))
                {
                    pooled.Add(value);
                }
            }
        }
    }

    /// <summary>
    /// The pooled two-proportion z test, two-sided, of <paramref name="beforeCount"/> among
    /// <paramref name="beforeTotal"/> against <paramref name="afterCount"/> among <paramref name="afterTotal"/>.
    /// </summary>
    /// <remarks>
    /// z = (p₂ − p₁) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)) with the pooled share p̂ = (x₁ + x₂)/(n₁ + n₂), and
    /// p = 2 · P(Z &gt; |z|) — the p-value of Pearson's χ² on the 2 × 2 table without continuity
    /// correction (<c>scipy.stats.chi2_contingency(table, correction=False)</c>), since z² = χ².
    /// When p̂ is 0 or 1 both shares are equal: z = 0 and p = 1. NaN when either total is 0.
    /// </remarks>
    /// <returns>z (positive when the share rose), n₁ + n₂ and p.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count below 0 or above its total.</exception>
    public static ChangeTestResult TwoProportions(int beforeCount, int beforeTotal, int afterCount, int afterTotal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beforeCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(beforeCount, beforeTotal);
        ArgumentOutOfRangeException.ThrowIfNegative(afterCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(afterCount, afterTotal);
        var total = beforeTotal + afterTotal;
        if (beforeTotal == 0 || afterTotal == 0)
        {
            return new ChangeTestResult(double.NaN, total, double.NaN);
        }
        var pooled = (double)(beforeCount + afterCount) / total;
        if (pooled is 0 or 1)
        {
            return new ChangeTestResult(0, total, 1);
        }
        var difference = ((double)afterCount / afterTotal) - ((double)beforeCount / beforeTotal);
        var z = difference / Math.Sqrt(pooled * (1 - pooled) * ((1.0 / beforeTotal) + (1.0 / afterTotal)));
        return new ChangeTestResult(z, total, DoubledUpperNormalTail(Math.Abs(z)));
    }

    /// <summary>
    /// The two-sided p-value of <paramref name="k"/> successes in <paramref name="n"/> trials of
    /// probability ½, as <c>scipy.stats.binomtest(k, n, 0.5).pvalue</c> defines it: the probability of
    /// the outcomes no more likely than the one observed, at most 1; 1 when <paramref name="n"/> is 0.
    /// </summary>
    /// <remarks>
    /// scipy adds the outcomes whose probability is at most (1 + 10⁻⁷) times the observed one's. At
    /// probability ½ the distribution is symmetric: with m = min(k, n − k), those are the outcomes
    /// 0..m and n − m..n, since the next one inwards, m + 1, is (n − m)/(m + 1) ≥ 1 + 2/n times as
    /// likely, beyond scipy's tolerance while n &lt; 2·10⁷ (<see cref="MaxBinomialTrials"/>; m = n/2
    /// and m = (n − 1)/2 give 1 either way). So p = min(1, 2 · Σ_{j ≤ m} C(n, j) / 2ⁿ), summed here
    /// in exact integers and rounded once.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> outside 0..n, or n ≥ 2·10⁷.</exception>
    internal static double BinomialTwoSidedHalf(int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(n, MaxBinomialTrials);
        var m = Math.Min(k, n - k);
        BigInteger coefficient = 1, tail = 1;
        for (var j = 1; j <= m; j++)
        {
            // C(n, j) = C(n, j − 1) · (n − j + 1) / j, an exact division.
            coefficient = coefficient * (n - j + 1) / j;
            tail += coefficient;
        }
        // 2 · tail / 2ⁿ from its leading 64 bits: one rounding, and no overflow of (double)tail.
        var shift = (int)Math.Max(0, tail.GetBitLength() - 64);
        return Math.Min(1.0, Math.ScaleB((double)(ulong)(tail >> shift), shift + 1 - n));
    }

    /// <summary>2 · P(Z &gt; z) for a standard normal Z, accurate in the far tail (erfc rather than 1 − cdf).</summary>
    private static double DoubledUpperNormalTail(double z) => SpecialFunctions.Erfc(z * SqrtHalf);

    private static bool IsOne(double value, string side) => value switch
    {
        0 => false,
        1 => true,
        _ => throw new ArgumentException($"A share's value is 0, 1 or NaN, not {value}.", side),
    };

    private static void RequireSameLength(ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        if (before.Length != after.Length)
        {
            throw new ArgumentException("The paired samples differ in length.", nameof(after));
        }
    }
}
