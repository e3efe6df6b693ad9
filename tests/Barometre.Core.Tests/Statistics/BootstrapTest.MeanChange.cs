using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

/// <summary>
/// <see cref="Bootstrap.MeanChangeIntervals(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, long)"/>
/// against a numpy reference that draws each replicate's strata in the same order.
/// </summary>
/// <remarks>
/// The reference (values and seed per test): with <c>PB</c>, <c>PA</c> the paired units' before and
/// after tables, <c>BO</c> the before-only and <c>AO</c> the after-only tables,
/// <code>
/// /usr/bin/python3 -W ignore - &lt;&lt;'EOF'
/// import numpy as np
/// nan = np.nan
/// PB, PA, BO, AO = …  # the test's tables, as 2-D arrays
/// B, rng = …, np.random.default_rng(seed)
/// draw = lambda s: rng.integers(0, len(s), size=len(s)) if len(s) else np.empty(0, int)
/// C = []
/// for _ in range(B):
///     ip, ib, ia = draw(PB), draw(BO), draw(AO)
///     before = np.concatenate([PB[ip], BO[ib]]); after = np.concatenate([PA[ip], AO[ia]])
///     C.append(np.nanmean(after, axis=0) - np.nanmean(before, axis=0))
/// C = np.array(C)
/// print([[repr(v) for v in np.percentile(c[~np.isnan(c)], [2.5, 97.5])] for c in C.T])
/// EOF
/// </code>
/// numpy sums in draw order, the C# in row order: hence <c>AssertClose</c>'s 1e-12 relative tolerance.
/// </remarks>
public sealed partial class BootstrapTest
{
    private const double Missing = double.NaN;

    // 8 paired units, 3 before-only, 1 after-only (a stratum of one unit draws nothing, in numpy too);
    // columns: a theme score and an indicator's 0/1 share, NaN where not scored or without a level.
    private static readonly double[] PairedBefore = [50, 1, 62.5, 0, 37.5, Missing, 75, 1, 25, 0, Missing, 1, 50, 0, 87.5, 1];
    private static readonly double[] PairedAfter = [62.5, 1, 62.5, 1, 50, 1, Missing, 1, 37.5, 0, 62.5, Missing, 75, 1, 87.5, 1];
    private static readonly double[] BeforeOnly = [12.5, 0, 100, 1, Missing, 0];
    private static readonly double[] AfterOnly = [50, 1];

    [Fact]
    public void MeanChangeIntervals_MatchesNumpyStratifiedResampling()
    {
        // The class's reference with PB = np.array([[50, 1], [62.5, 0], [37.5, nan], [75, 1], [25, 0], [nan, 1], [50, 0], [87.5, 1]]),
        // PA = np.array([[62.5, 1], [62.5, 1], [50, 1], [nan, 1], [37.5, 0], [62.5, nan], [75, 1], [87.5, 1]]),
        // BO = np.array([[12.5, 0], [100, 1], [nan, 0]]), AO = np.array([[50, 1]]), B = 2000, seed 2021
        // → [['-9.722222222222221', '20.535714285714285'], ['0.07792207792207795', '0.6891666666666652']]
        var result = Bootstrap.MeanChangeIntervals(PairedBefore, PairedAfter, BeforeOnly, AfterOnly, 2, 2000, seed: 2021);
        AssertClose(-9.722222222222221, result[0].Low);
        AssertClose(20.535714285714285, result[0].High);
        AssertClose(0.07792207792207795, result[1].Low);
        AssertClose(0.6891666666666652, result[1].High);
    }

    // 3 000 paired units (every 11th without an after value), 1 500 before-only, 500 after-only on the
    // grid of a nine-level scale: 5 000 rows, so that 900 replicates span two batches of multiplicities.
    private static double[] GridColumn(int n, Func<int, double> value) => [.. Enumerable.Range(0, n).Select(value)];

    [Fact]
    public void MeanChangeIntervals_LargeEditions_MatchNumpyStratifiedResampling()
    {
        // The class's reference with i, k, l = np.arange(3000), np.arange(1500), np.arange(500);
        // PB = 12.5*((i*7+3)%9); PA = np.where(i%11 == 0, np.nan, 12.5*((i*5+i//7)%9)); BO = 12.5*((k*4+1)%9); AO = 12.5*((l*2+5)%9)
        // (one column: each as [:, None]), B = 900, seed 7 → [['-7.4356484673898295', '-4.589009214794394']]
        var result = Bootstrap.MeanChangeIntervals(
            GridColumn(3000, i => 12.5 * (((i * 7) + 3) % 9)),
            GridColumn(3000, i => i % 11 == 0 ? Missing : 12.5 * (((i * 5) + (i / 7)) % 9)),
            GridColumn(1500, k => 12.5 * (((k * 4) + 1) % 9)),
            GridColumn(500, l => 12.5 * (((l * 2) + 5) % 9)),
            1,
            900,
            seed: 7);
        AssertClose(-7.4356484673898295, result[0].Low);
        AssertClose(-4.589009214794394, result[0].High);
    }

    [Fact]
    public void MeanChangeIntervals_ThreadCount_DoesNotMatter()
    {
        // Every replicate's change, bit for bit, over two batches of multiplicities and three columns.
        var units = new Bootstrap.ChangeUnits(
            GridColumn(3000 * 3, i => 12.5 * (((i * 7) + 3) % 9)),
            GridColumn(3000 * 3, i => i % 13 == 0 ? Missing : 12.5 * (((i * 5) + (i / 7)) % 9)),
            GridColumn(2000 * 3, k => 12.5 * (((k * 4) + 1) % 9)),
            [],
            3);
        var single = units.ReplicateChanges(900, 3, maxDegreeOfParallelism: 1);
        AssertSameBits(single, units.ReplicateChanges(900, 3, maxDegreeOfParallelism: 3));
        AssertSameBits(single, units.ReplicateChanges(900, 3, maxDegreeOfParallelism: -1));
    }

    [Fact]
    public void MeanChangeIntervals_SameSeed_IsDeterministic()
    {
        var first = Bootstrap.MeanChangeIntervals(PairedBefore, PairedAfter, BeforeOnly, AfterOnly, 2, 500, seed: 5);
        Assert.Equal(first, Bootstrap.MeanChangeIntervals(PairedBefore, PairedAfter, BeforeOnly, AfterOnly, 2, 500, seed: 5));
        Assert.NotEqual(first, Bootstrap.MeanChangeIntervals(PairedBefore, PairedAfter, BeforeOnly, AfterOnly, 2, 500, seed: 6));
    }

    [Fact]
    public void MeanChangeIntervals_SameChangeForEveryPair_IsThatChange()
    {
        // Paired units only, each up by exactly 12.5: every replicate's change is 12.5, up to the
        // rounding of the two means it is the difference of.
        double[] before = [0, 25, 50, 75, 12.5, 37.5];
        var result = Bootstrap.MeanChangeIntervals(before, [.. before.Select(v => v + 12.5)], [], [], 1, 300, seed: 1);
        AssertClose(12.5, result[0].Low);
        AssertClose(12.5, result[0].High);
    }

    [Fact]
    public void MeanChangeIntervals_ReplicatesWithoutValue_AreLeftOut()
    {
        // Column 1 has one before value among 3 before-only units and after values of 4 after-only
        // units all 1: about 30 % of replicates miss the before value and are left out, the others all
        // change by 1 − 0 (a NaN or 0 change would widen the interval).
        double[] beforeOnly = [1, Missing, 2, 0, 3, Missing];
        double[] afterOnly = [1, 1, 2, 1, 3, 1, 4, 1];
        var result = Bootstrap.MeanChangeIntervals([], [], beforeOnly, afterOnly, 2, 400, seed: 21);
        Assert.Equal((1.0, 1.0), result[1]);
        Assert.True(result[0].Low < result[0].High);
    }

    [Fact]
    public void MeanChangeIntervals_NoValueOnOneSide_IsNaN()
    {
        // Nobody scored in the earlier edition, or no unit at all, or no replicate.
        AssertNaN(Bootstrap.MeanChangeIntervals([Missing, Missing], [40, 50], [Missing], [60], 1, 100, seed: 1)[0]);
        AssertNaN(Bootstrap.MeanChangeIntervals([], [], [], [], 1, 100, seed: 1)[0]);
        AssertNaN(Bootstrap.MeanChangeIntervals(PairedBefore, PairedAfter, BeforeOnly, AfterOnly, 2, 0, seed: 1)[1]);

        static void AssertNaN((double Low, double High) interval) =>
            Assert.True(double.IsNaN(interval.Low) && double.IsNaN(interval.High));
    }

    [Fact]
    public void MeanChangeIntervals_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Bootstrap.MeanChangeIntervals([1, 2], [1], [], [], 1, 10, seed: 1));
        Assert.Throws<ArgumentException>(() => Bootstrap.MeanChangeIntervals([1, 2], [1, 2], [3], [], 2, 10, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanChangeIntervals([1], [1], [], [], 0, 10, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanChangeIntervals([1], [1], [], [], 1, -1, seed: 1));
    }
}
