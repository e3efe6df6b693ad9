using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

public sealed class ReliabilityTest
{
    private const double Relative = 1e-12;

    [Fact]
    public void CronbachAlpha_ThreeItems_MatchesNumpy()
    {
        // python3 -c "import numpy as np; X=np.array([[3,4,3],[2,2,1],[4,4,4],[1,2,2],[0,1,0],[3,3,4]],float); k=X.shape[1]; print(repr(k/(k-1)*(1-X.var(axis=0,ddof=1).sum()/X.sum(axis=1).var(ddof=1))))"
        const double expected = 0.9558541266794625;
        double[] items =
        [
            3, 4, 3,
            2, 2, 1,
            4, 4, 4,
            1, 2, 2,
            0, 1, 0,
            3, 3, 4,
        ];
        Assert.Equal(expected, Reliability.CronbachAlpha(items, 3), Relative * expected);
    }

    [Fact]
    public void CronbachAlpha_FourItems_MatchesNumpy()
    {
        // python3 -c "import numpy as np; X=np.array([[0,1,2,1],[1,1,2,2],[2,3,3,3],[4,3,4,4],[1,0,1,0],[3,4,2,3],[2,2,2,1]],float); k=X.shape[1]; print(repr(k/(k-1)*(1-X.var(axis=0,ddof=1).sum()/X.sum(axis=1).var(ddof=1))))"
        const double expected = 0.9228529839883551;
        double[] items =
        [
            0, 1, 2, 1,
            1, 1, 2, 2,
            2, 3, 3, 3,
            4, 3, 4, 4,
            1, 0, 1, 0,
            3, 4, 2, 3,
            2, 2, 2, 1,
        ];
        Assert.Equal(expected, Reliability.CronbachAlpha(items, 4), Relative * expected);
    }

    [Fact]
    public void CronbachAlpha_NegativelyRelatedItems_ByHand()
    {
        // Items [1,3,0,2] and [2,1,4,0]: variances 5/3 and 35/12, sum 55/12.
        // Totals [3,4,4,2]: mean 3.25, variance (0.0625 + 0.5625 + 0.5625 + 1.5625) / 3 = 11/12.
        // alpha = 2/1 · (1 − (55/12)/(11/12)) = 2 · (1 − 5) = −8
        double[] items = [1, 2, 3, 1, 0, 4, 2, 0];
        Assert.Equal(-8.0, Reliability.CronbachAlpha(items, 2), Relative * 8);
    }

    [Fact]
    public void CronbachAlpha_IdenticalItems_IsOne()
    {
        // k identical items of variance v: Σ var = k·v, var(total) = k²·v, alpha = k/(k−1)·(1 − 1/k) = 1
        double[] items = [0, 0, 0, 2, 2, 2, 3, 3, 3, 1, 1, 1];
        Assert.Equal(1.0, Reliability.CronbachAlpha(items, 3), Relative);
    }

    [Fact]
    public void CronbachAlpha_TwoRows_IsNaN()
    {
        Assert.True(double.IsNaN(Reliability.CronbachAlpha([1, 2, 3, 4, 0, 1], 3)));
    }

    [Fact]
    public void CronbachAlpha_OneItem_IsNaN()
    {
        Assert.True(double.IsNaN(Reliability.CronbachAlpha([1, 2, 3, 4, 0], 1)));
    }

    [Fact]
    public void CronbachAlpha_ConstantTotals_IsNaN()
    {
        // Totals are 4, 4, 4, 4: no variance to explain.
        double[] items = [1, 3, 2, 2, 3, 1, 0, 4];
        Assert.True(double.IsNaN(Reliability.CronbachAlpha(items, 2)));
    }

    [Fact]
    public void CronbachAlpha_AllConstant_IsNaN()
    {
        double[] items = [2, 2, 2, 2, 2, 2, 2, 2, 2];
        Assert.True(double.IsNaN(Reliability.CronbachAlpha(items, 3)));
    }

    [Fact]
    public void CronbachAlpha_NonPositiveItemCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Reliability.CronbachAlpha([1, 2, 3], 0));
    }
}
