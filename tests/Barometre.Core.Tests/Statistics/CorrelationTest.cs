using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

public sealed class CorrelationTest
{
    private const double Relative = 1e-12;

    private static readonly double[] X = [1.0, 2.5, 3.1, 4.8, 5.0, 7.2, 8.9];
    private static readonly double[] Y = [2.0, 1.9, 3.5, 4.0, 6.1, 6.0, 9.4];

    // Levels 0–4 with heavy ties, as survey answers have them.
    private static readonly double[] TiedA = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 4, 4];
    private static readonly double[] TiedB = [1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4];

    [Fact]
    public void Pearson_MatchesScipy()
    {
        // python3 -c "from scipy import stats; x=[1.0, 2.5, 3.1, 4.8, 5.0, 7.2, 8.9]; y=[2.0, 1.9, 3.5, 4.0, 6.1, 6.0, 9.4]; r,p=stats.pearsonr(x,y); print(repr(r), repr(p), repr(stats.spearmanr(x,y)[0]))"
        // → 0.9429779150811827 0.0014459865126991575 0.9285714285714288
        Assert.Equal(0.9429779150811827, Correlation.Pearson(X, Y), Relative);
    }

    [Fact]
    public void Pearson_ThreePairs_MatchesScipy()
    {
        // python3 -c "from scipy import stats; print(repr(stats.pearsonr([4.0,1.0,3.0],[2.0,5.0,9.0])[0]))"
        const double expected = -0.24854790640047997;
        Assert.Equal(expected, Correlation.Pearson([4.0, 1.0, 3.0], [2.0, 5.0, 9.0]), Relative * Math.Abs(expected));
    }

    [Fact]
    public void Pearson_TiedLevels_MatchesScipy()
    {
        // python3 -c "from scipy import stats; a=[0,0,0,1,1,2,2,2,2,3,4,4]; b=[1,1,2,2,2,2,3,3,4,4,4,4]; print(repr(stats.spearmanr(a,b)[0]), repr(stats.pearsonr(a,b)[0]))"
        // → 0.8989331499509896 0.8857053420936778
        Assert.Equal(0.8857053420936778, Correlation.Pearson(TiedA, TiedB), Relative);
    }

    [Fact]
    public void Pearson_ExactLinear_IsClampedToOne()
    {
        // y = 3x − 2 exactly: r = 1, and never above 1 after rounding.
        double[] x = [0.1, 0.7, 1.3, 2.9, 3.3];
        var y = x.Select(v => (3 * v) - 2).ToArray();
        var r = Correlation.Pearson(x, y);
        Assert.InRange(r, 1 - 1e-15, 1.0);
        var negative = Correlation.Pearson(x, x.Select(v => -v).ToArray());
        Assert.InRange(negative, -1.0, -1 + 1e-15);
    }

    [Fact]
    public void Pearson_IsSymmetric()
    {
        Assert.Equal(Correlation.Pearson(X, Y), Correlation.Pearson(Y, X), 1e-15);
    }

    [Fact]
    public void Pearson_ConstantSide_IsNaN()
    {
        Assert.True(double.IsNaN(Correlation.Pearson([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 2.0])));
        Assert.True(double.IsNaN(Correlation.Pearson([5.0, 5.0, 5.0], [1.0, 2.0, 3.0])));
    }

    [Fact]
    public void Pearson_FewerThanThreePairs_IsNaN()
    {
        Assert.True(double.IsNaN(Correlation.Pearson([1.0, 2.0], [3.0, 5.0])));
        Assert.True(double.IsNaN(Correlation.Pearson([1.0], [3.0])));
        Assert.True(double.IsNaN(Correlation.Pearson([], [])));
    }

    [Fact]
    public void Pearson_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => Correlation.Pearson([1.0, 2.0, 3.0], [1.0, 2.0]));
    }

    [Fact]
    public void Spearman_DistinctValues_MatchesScipy()
    {
        // Same command as Pearson_MatchesScipy → spearmanr 0.9285714285714288
        // (by hand: ranks of Y are [2,1,3,4,6,5,7], so Σd² = 4 and ρ = 1 − 6·4/(7·48) = 13/14).
        Assert.Equal(0.9285714285714288, Correlation.Spearman(X, Y), Relative);
    }

    [Fact]
    public void Spearman_HeavyTies_MatchesScipy()
    {
        // Same command as Pearson_TiedLevels_MatchesScipy → spearmanr 0.8989331499509896
        Assert.Equal(0.8989331499509896, Correlation.Spearman(TiedA, TiedB), Relative);
    }

    [Fact]
    public void Spearman_TwoLevelSide_MatchesScipy()
    {
        // python3 -c "from scipy import stats; print(repr(stats.spearmanr([1,1,1,1,2,2,2,2,2,2],[3,3,1,1,1,2,2,3,3,3])[0]), repr(stats.spearmanr([5,4,3,2,1],[1,2,3,4,5])[0]))"
        // → 0.15430334996209194 -0.9999999999999999
        const double expected = 0.15430334996209194;
        var actual = Correlation.Spearman([1, 1, 1, 1, 2, 2, 2, 2, 2, 2], [3, 3, 1, 1, 1, 2, 2, 3, 3, 3]);
        Assert.Equal(expected, actual, Relative * expected);
    }

    [Fact]
    public void Spearman_Reversed_IsMinusOne()
    {
        // scipy gives -0.9999999999999999 (see Spearman_TwoLevelSide_MatchesScipy); the exact value is −1.
        Assert.Equal(-1.0, Correlation.Spearman([5.0, 4.0, 3.0, 2.0, 1.0], [1.0, 2.0, 3.0, 4.0, 5.0]), Relative);
    }

    [Fact]
    public void Spearman_MonotoneTransform_IsInvariant()
    {
        var expY = Y.Select(Math.Exp).ToArray();
        Assert.Equal(Correlation.Spearman(X, Y), Correlation.Spearman(X, expY), 1e-15);
    }

    [Fact]
    public void Spearman_ConstantSide_IsNaN()
    {
        Assert.True(double.IsNaN(Correlation.Spearman([3.0, 3.0, 3.0, 3.0], [1.0, 2.0, 3.0, 4.0])));
    }

    [Fact]
    public void Spearman_FewerThanThreePairs_IsNaN()
    {
        Assert.True(double.IsNaN(Correlation.Spearman([1.0, 2.0], [2.0, 1.0])));
    }

    [Fact]
    public void Spearman_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => Correlation.Spearman([1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0]));
    }

    [Fact]
    public void AverageRanks_MatchesScipyRankdata()
    {
        // python3 -c "from scipy import stats; print(list(stats.rankdata([3,1,4,1,5,9,2,6,5,3,5])), list(stats.rankdata([2.5,-1.0,2.5,2.5,0.0])))"
        // → [4.5, 1.5, 6.0, 1.5, 8.0, 11.0, 3.0, 10.0, 8.0, 4.5, 8.0] [4.0, 1.0, 4.0, 4.0, 2.0]
        Assert.Equal(
            [4.5, 1.5, 6.0, 1.5, 8.0, 11.0, 3.0, 10.0, 8.0, 4.5, 8.0],
            Correlation.AverageRanks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]));
        Assert.Equal([4.0, 1.0, 4.0, 4.0, 2.0], Correlation.AverageRanks([2.5, -1.0, 2.5, 2.5, 0.0]));
    }

    [Fact]
    public void AverageRanks_AllTied_AreTheMiddleRank()
    {
        // Ranks 1..4 averaged: (1 + 2 + 3 + 4) / 4 = 2.5
        Assert.Equal([2.5, 2.5, 2.5, 2.5], Correlation.AverageRanks([7.0, 7.0, 7.0, 7.0]));
    }

    [Fact]
    public void AverageRanks_Empty_IsEmpty()
    {
        Assert.Empty(Correlation.AverageRanks([]));
    }

    [Fact]
    public void AverageRanks_DoesNotModifyInput()
    {
        double[] values = [3.0, 1.0, 2.0];
        _ = Correlation.AverageRanks(values);
        Assert.Equal([3.0, 1.0, 2.0], values);
    }

    // PValue uses MathNet's regularized incomplete beta and scipy cephes' stdtr: different algorithms,
    // which nevertheless agree to 1e-12 relative on these inputs.
    // python3 -c "import numpy as np; from scipy import stats; print([repr(2*stats.t.sf(abs(r*np.sqrt((n-2)/(1-r*r))), n-2)) for r,n in ((0.5,10),(-0.3,25),(0.99,5),(0.05,200),(0.2,3))])"
    // → ['0.14111328125000003', '0.14511308137364495', '0.0011986195114020068', '0.48198436848550474', '0.8718115663020501']
    [Theory]
    [InlineData(0.5, 10, 0.14111328125000003)]
    [InlineData(-0.3, 25, 0.14511308137364495)]
    [InlineData(0.99, 5, 0.0011986195114020068)]
    [InlineData(0.05, 200, 0.48198436848550474)]
    [InlineData(0.2, 3, 0.8718115663020501)]
    public void PValue_MatchesScipy(double r, int n, double expected)
    {
        Assert.Equal(expected, Correlation.PValue(r, n), 1e-12 * expected);
    }

    [Fact]
    public void PValue_OfPearson_MatchesScipyPearsonr()
    {
        // Same command as Pearson_MatchesScipy → p 0.0014459865126991575 (n = 7)
        const double expected = 0.0014459865126991575;
        Assert.Equal(expected, Correlation.PValue(Correlation.Pearson(X, Y), X.Length), 1e-12 * expected);
    }

    [Fact]
    public void PValue_ZeroR_IsOne()
    {
        // t = 0: P(|T| > 0) = 1
        Assert.Equal(1.0, Correlation.PValue(0.0, 12), 1e-12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    public void PValue_PerfectCorrelation_IsZero(double r)
    {
        Assert.Equal(0.0, Correlation.PValue(r, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void PValue_FewerThanThreePairs_IsNaN(int n)
    {
        Assert.True(double.IsNaN(Correlation.PValue(0.5, n)));
    }

    [Fact]
    public void PValue_NaNR_IsNaN()
    {
        Assert.True(double.IsNaN(Correlation.PValue(double.NaN, 10)));
    }

    [Fact]
    public void PValue_IsSymmetricInSign()
    {
        Assert.Equal(Correlation.PValue(0.37, 15), Correlation.PValue(-0.37, 15));
    }
}
