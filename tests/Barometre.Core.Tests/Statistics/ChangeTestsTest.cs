using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

/// <summary>
/// The tests of change against scipy 1.10 (/usr/bin/python3). p-values agree to 1e-9 relative, which
/// for p ≤ 1 is at least as strict as 1e-9 absolute and keeps tiny p-values meaningful.
/// </summary>
public sealed class ChangeTestsTest
{
    private const double Relative = 1e-9;
    private const double NaN = double.NaN;

    // python3 -W ignore -c "import numpy as np; from scipy import stats; b=np.array([50,33.333333333333336,62.5,25,75,40,12.5,87.5,50,60,0.30000000000000004,0.1]); a=np.array([62.5,50,62.5,37.5,75.00000000000001,52.5,25,87.5,45,55,0.6,0.4]); r=stats.wilcoxon(np.round(a-b,9), zero_method='wilcox', correction=False, method='approx'); print(repr(r.statistic), repr(r.pvalue))"
    // → 7.0 0.06346475448056278 (ties at 12.5, 5 and 0.3, three zeros among which 75 → 75.00000000000001)
    private static readonly double[] TiedBefore = [50, 33.333333333333336, 62.5, 25, 75, 40, 12.5, 87.5, 50, 60, 0.30000000000000004, 0.1];
    private static readonly double[] TiedAfter = [62.5, 50, 62.5, 37.5, 75.00000000000001, 52.5, 25, 87.5, 45, 55, 0.6, 0.4];

    [Fact]
    public void Wilcoxon_TiesAndZeros_MatchesScipy()
    {
        var result = ChangeTests.Wilcoxon(TiedBefore, TiedAfter);
        AssertResult(7.0, 12, 0.06346475448056278, result);
    }

    [Fact]
    public void Wilcoxon_WithNaN_LeavesTheIncompletePairsOut()
    {
        // The pairs above with three incomplete ones added: same statistic and p, the same 12 pairs.
        double[] before = [.. TiedBefore, NaN, 40, NaN];
        double[] after = [.. TiedAfter, 70, NaN, NaN];
        var result = ChangeTests.Wilcoxon(before, after);
        AssertResult(7.0, 12, 0.06346475448056278, result);
    }

    [Fact]
    public void Wilcoxon_RoundsDifferencesSoThatEqualChangesTie()
    {
        // 0.6 − 0.30000000000000004 and 0.4 − 0.1 differ in the last bit; rounded to 9 decimals they tie.
        // python3 -W ignore -c "import numpy as np; from scipy import stats; b=np.array([0.30000000000000004,0.1,0.2]); a=np.array([0.6,0.4,0.8]); print(repr(stats.wilcoxon(np.round(a-b,9), zero_method='wilcox', correction=False, method='approx').pvalue), repr(stats.wilcoxon(a-b, zero_method='wilcox', correction=False, method='approx').pvalue))"
        // → 0.10247043485974937 (rounded) 0.10880943004054568 (not rounded)
        var result = ChangeTests.Wilcoxon([0.30000000000000004, 0.1, 0.2], [0.6, 0.4, 0.8]);
        AssertResult(0.0, 3, 0.10247043485974937, result);
    }

    [Fact]
    public void Wilcoxon_OnePair_MatchesScipy()
    {
        // python3 -W ignore -c "from scipy import stats; r=stats.wilcoxon([3.0], zero_method='wilcox', correction=False, method='approx'); print(repr(r.statistic), repr(r.pvalue))"
        // → 0.0 0.31731050786291415
        var result = ChangeTests.Wilcoxon([3.0], [6.0]);
        AssertResult(0.0, 1, 0.31731050786291415, result);
    }

    [Fact]
    public void Wilcoxon_AllDifferencesZero_IsOne()
    {
        // scipy 1.10 refuses (python3 -c "from scipy import stats; stats.wilcoxon([0.0, 0.0], method='approx')"
        // → ValueError: zero_method 'wilcox' and 'pratt' do not work if x - y is zero for all elements); no change is no evidence.
        Assert.Equal(new ChangeTestResult(0, 3, 1), ChangeTests.Wilcoxon([50, 62.5, 1e-10], [50, 62.5, 0]));
        Assert.Equal(new ChangeTestResult(0, 0, 1), ChangeTests.Wilcoxon([NaN, 50], [40, NaN]));
        Assert.Equal(new ChangeTestResult(0, 0, 1), ChangeTests.Wilcoxon([], []));
    }

    // 400 scores on the 0–100 grid of a nine-level scale, many ties, made by integer formulas in both languages.
    private static double[] Grid(int n, Func<int, double> level) => [.. Enumerable.Range(0, n).Select(level)];

    [Fact]
    public void Wilcoxon_LargeSampleWithManyTies_MatchesScipy()
    {
        // python3 -W ignore -c "import numpy as np; from scipy import stats; i=np.arange(400); b=12.5*((i*7+3)%9); a=12.5*((i*5+i//7)%9); r=stats.wilcoxon(np.round(a-b,9), zero_method='wilcox', correction=False, method='approx'); print(repr(r.statistic), repr(r.pvalue))"
        // → 25787.5 0.001992844772246949
        var before = Grid(400, i => 12.5 * (((i * 7) + 3) % 9));
        var after = Grid(400, i => 12.5 * (((i * 5) + (i / 7)) % 9));
        var result = ChangeTests.Wilcoxon(before, after);
        AssertResult(25787.5, 400, 0.001992844772246949, result);
    }

    [Fact]
    public void Wilcoxon_TinyPValue_MatchesScipy()
    {
        // python3 -W ignore -c "import numpy as np; from scipy import stats; i=np.arange(400); b=12.5*((i*7+3)%9); a=np.clip(b+12.5*((i%5)-1),0,100); r=stats.wilcoxon(np.round(a-b,9), zero_method='wilcox', correction=False, method='approx'); print(repr(r.statistic), repr(r.pvalue))"
        // → 5680.0 4.466541983720138e-27
        var before = Grid(400, i => 12.5 * (((i * 7) + 3) % 9));
        var after = Grid(400, i => Math.Clamp(before[i] + (12.5 * ((i % 5) - 1)), 0, 100));
        var result = ChangeTests.Wilcoxon(before, after);
        AssertResult(5680.0, 400, 4.466541983720138e-27, result);
    }

    [Fact]
    public void Wilcoxon_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChangeTests.Wilcoxon([1.0, 2.0], [1.0]));
    }

    // python3 -W ignore -c "from scipy import stats; print([repr(stats.binomtest(b, b+c, 0.5).pvalue) for b,c in ((3,12),(0,5),(5,5),(1,0),(7,8),(10,90),(0,60),(400,600),(5,1000),(990,10))])"
    // → ['0.03515625', '0.0625', '1.0', '1.0', '1.0', '3.0632901754379845e-17', '1.734723475976807e-18', '2.728464156065976e-10', '4.9588178945293664e-290', '4.9666775829792705e-278']
    [Theory]
    [InlineData(3, 12, 0.03515625)]
    [InlineData(0, 5, 0.0625)]
    [InlineData(5, 5, 1.0)]
    [InlineData(1, 0, 1.0)]
    [InlineData(7, 8, 1.0)]
    [InlineData(10, 90, 3.0632901754379845e-17)]
    [InlineData(0, 60, 1.734723475976807e-18)]
    [InlineData(400, 600, 2.728464156065976e-10)]
    [InlineData(5, 1000, 4.9588178945293664e-290)]
    [InlineData(990, 10, 4.9666775829792705e-278)]
    public void BinomialTwoSidedHalf_MatchesScipyBinomtest(int b, int c, double expected)
    {
        AssertP(expected, ChangeTests.BinomialTwoSidedHalf(b, b + c));
    }

    [Fact]
    public void BinomialTwoSidedHalf_NoTrial_IsOne()
    {
        // scipy refuses n = 0 (binomtest(0, 0): ValueError, n must be ≥ 1); no discordant pair is no evidence.
        Assert.Equal(1.0, ChangeTests.BinomialTwoSidedHalf(0, 0));
    }

    [Fact]
    public void BinomialTwoSidedHalf_BeyondTheExactRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChangeTests.BinomialTwoSidedHalf(3, ChangeTests.MaxBinomialTrials));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChangeTests.BinomialTwoSidedHalf(4, 3));
    }

    [Fact]
    public void McNemar_CountsTheDiscordantPairs()
    {
        // 3 pairs 0 → 1, 12 pairs 1 → 0, 4 concordant, 3 incomplete: binomtest(3, 15) as above.
        double[] before = [0, 0, 0, .. Enumerable.Repeat(1.0, 12), 0, 0, 1, 1, NaN, 1, 0];
        double[] after = [1, 1, 1, .. Enumerable.Repeat(0.0, 12), 0, 0, 1, 1, 1, NaN, NaN];
        var result = ChangeTests.McNemar(before, after);
        AssertResult(3.0, 19, 0.03515625, result);
    }

    [Fact]
    public void McNemar_NoDiscordantPair_IsOne()
    {
        Assert.Equal(new ChangeTestResult(0, 3, 1), ChangeTests.McNemar([1, 0, 1, NaN], [1, 0, 1, 0]));
        Assert.Equal(new ChangeTestResult(0, 0, 1), ChangeTests.McNemar([NaN], [1]));
    }

    [Fact]
    public void McNemar_ValueOtherThanZeroOrOne_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChangeTests.McNemar([0, 0.5], [1, 1]));
        Assert.Throws<ArgumentException>(() => ChangeTests.McNemar([0], [1, 1]));
    }

    // python3 -W ignore -c "from scipy import stats; r=stats.mannwhitneyu([50,62.5,37.5,50,75,25,50,62.5], [62.5,75,50,87.5,62.5,75,100], alternative='two-sided', method='asymptotic'); print(repr(r.statistic), repr(r.pvalue))"
    // → 9.5 0.03323597981432504
    [Fact]
    public void MannWhitney_Ties_MatchesScipy()
    {
        var result = ChangeTests.MannWhitney([50, 62.5, 37.5, 50, 75, 25, 50, 62.5], [62.5, 75, 50, 87.5, 62.5, 75, 100]);
        AssertResult(9.5, 15, 0.03323597981432504, result);
    }

    [Fact]
    public void MannWhitney_WithNaN_LeavesTheMissingValuesOut()
    {
        var result = ChangeTests.MannWhitney([50, NaN, 62.5, 37.5, 50, 75, 25, 50, 62.5, NaN], [62.5, 75, NaN, 50, 87.5, 62.5, 75, 100]);
        AssertResult(9.5, 15, 0.03323597981432504, result);
    }

    [Fact]
    public void MannWhitney_SmallestAndAllTied_MatchScipy()
    {
        // python3 -W ignore -c "from scipy import stats; f=lambda x,y: stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic'); print([(repr(r.statistic), repr(r.pvalue)) for r in (f([50,50,50],[50,50]), f([1],[2]), f([2],[2]))])"
        // → [('3.0', '1.0'), ('0.0', '1.0'), ('0.5', '1.0')]
        Assert.Equal(new ChangeTestResult(3, 5, 1), ChangeTests.MannWhitney([50, 50, 50], [50, 50]));
        Assert.Equal(new ChangeTestResult(0, 2, 1), ChangeTests.MannWhitney([1], [2]));
        Assert.Equal(new ChangeTestResult(0.5, 2, 1), ChangeTests.MannWhitney([2], [2]));
    }

    [Fact]
    public void MannWhitney_EmptySample_IsNaN()
    {
        // scipy refuses (ValueError: `x` and `y` must be of nonzero size.).
        var result = ChangeTests.MannWhitney([NaN, NaN], [1, 2, 3]);
        Assert.Equal(3, result.N);
        Assert.True(double.IsNaN(result.Statistic));
        Assert.True(double.IsNaN(result.PValue));
        Assert.True(double.IsNaN(ChangeTests.MannWhitney([1], []).PValue));
    }

    [Fact]
    public void MannWhitney_LargeSamplesWithManyTies_MatchScipy()
    {
        // python3 -W ignore -c "import numpy as np; from scipy import stats; i=np.arange(400); j=np.arange(380); x=5*((i*13+1)%21); y=5*((j*11+4)%21); r=stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic'); print(repr(r.statistic), repr(r.pvalue))"
        // → 75856.0 0.9635685030632835
        var x = Grid(400, i => 5 * (((i * 13) + 1) % 21));
        var y = Grid(380, j => 5 * (((j * 11) + 4) % 21));
        var result = ChangeTests.MannWhitney(x, y);
        AssertResult(75856.0, 780, 0.9635685030632835, result);
    }

    [Fact]
    public void MannWhitney_TinyPValue_MatchesScipy()
    {
        // python3 -W ignore -c "import numpy as np; from scipy import stats; i=np.arange(400); j=np.arange(380); x=5*((i*13+1)%21); y=np.minimum(100, 5*((j*11+4)%21)+20); r=stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic'); print(repr(r.statistic), repr(r.pvalue))"
        // → 50369.0 3.1516582692775085e-16
        var x = Grid(400, i => 5 * (((i * 13) + 1) % 21));
        var y = Grid(380, j => Math.Min(100, (5 * (((j * 11) + 4) % 21)) + 20));
        var result = ChangeTests.MannWhitney(x, y);
        AssertResult(50369.0, 780, 3.1516582692775085e-16, result);
    }

    // Pearson's χ² without continuity correction, whose p-value is the pooled z test's (z² = χ²), and z itself:
    // python3 -W ignore -c "import math; from scipy import stats; print([(repr(stats.chi2_contingency([[x1,n1-x1],[x2,n2-x2]], correction=False)[1]), repr((x2/n2-x1/n1)/math.sqrt((x1+x2)/(n1+n2)*(1-(x1+x2)/(n1+n2))*(1/n1+1/n2)))) for x1,n1,x2,n2 in ((20,39,30,45),(150,400,260,400),(3,10,3,10),(1,2,0,3),(20,2000,300,2100))])"
    // → [('0.15195761915950307', '1.4326509301929782'), ('7.217772473381981e-15', '7.780606412587148'), ('1.0', '0.0'),
    //    ('0.17090352023079353', '-1.369306393762915'), ('1.3645183867179831e-56', '15.851873320055958')]
    [Theory]
    [InlineData(20, 39, 30, 45, 1.4326509301929782, 0.15195761915950307)]
    [InlineData(150, 400, 260, 400, 7.780606412587148, 7.217772473381981e-15)]
    [InlineData(3, 10, 3, 10, 0.0, 1.0)]
    [InlineData(1, 2, 0, 3, -1.369306393762915, 0.17090352023079353)]
    [InlineData(20, 2000, 300, 2100, 15.851873320055958, 1.3645183867179831e-56)]
    public void TwoProportions_MatchesScipyChiSquare(int beforeCount, int beforeTotal, int afterCount, int afterTotal, double z, double p)
    {
        var result = ChangeTests.TwoProportions(beforeCount, beforeTotal, afterCount, afterTotal);
        Assert.Equal(z, result.Statistic, 1e-12 * Math.Abs(z));
        Assert.Equal(beforeTotal + afterTotal, result.N);
        AssertP(p, result.PValue);
    }

    [Fact]
    public void TwoProportions_PooledShareZeroOrOne_IsOne()
    {
        // scipy's χ² refuses these tables (a zero expected frequency); both shares are equal.
        Assert.Equal(new ChangeTestResult(0, 22, 1), ChangeTests.TwoProportions(0, 10, 0, 12));
        Assert.Equal(new ChangeTestResult(0, 22, 1), ChangeTests.TwoProportions(10, 10, 12, 12));
    }

    [Fact]
    public void TwoProportions_EmptyEdition_IsNaN()
    {
        var result = ChangeTests.TwoProportions(0, 0, 3, 12);
        Assert.Equal(12, result.N);
        Assert.True(double.IsNaN(result.Statistic) && double.IsNaN(result.PValue));
    }

    [Fact]
    public void TwoProportions_CountAboveTotal_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChangeTests.TwoProportions(11, 10, 3, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChangeTests.TwoProportions(1, 10, -1, 12));
    }

    private static void AssertP(double expected, double actual) => Assert.Equal(expected, actual, Relative * expected);

    private static void AssertResult(double statistic, int n, double p, ChangeTestResult actual)
    {
        Assert.Equal(statistic, actual.Statistic);
        Assert.Equal(n, actual.N);
        AssertP(p, actual.PValue);
    }
}
