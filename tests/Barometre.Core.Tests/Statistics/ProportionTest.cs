using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

public sealed class ProportionTest
{
    private const double Relative = 1e-12;

    // Wilson's formula in plain python (statsmodels is not available), for the values below:
    // python3 -c "import math; w=lambda c,n,z=1.959964: (lambda p,d: (max(0,(p+z*z/(2*n))/d-z*math.sqrt(p*(1-p)/n+z*z/(4*n*n))/d), min(1,(p+z*z/(2*n))/d+z*math.sqrt(p*(1-p)/n+z*z/(4*n*n))/d)))(c/n,1+z*z/n); print([[repr(v) for v in w(c,n)] for c,n in ((20,39),(1,10),(0,12),(12,12),(7,7),(150,400))])"
    // → [['0.3619936277532354', '0.6613482477597057'], ['0.017876212896073995', '0.4041500295247722'], ['0', '0.2424940095530979'],
    //    ['0.7575059904469021', '1'], ['0.6456695613241317', '1'], ['0.32895707911249294', '0.42342099450824033']]
    [Theory]
    [InlineData(20, 39, 0.3619936277532354, 0.6613482477597057)]
    [InlineData(1, 10, 0.017876212896073995, 0.4041500295247722)]
    [InlineData(150, 400, 0.32895707911249294, 0.42342099450824033)]
    public void Wilson_MatchesFormula(int count, int total, double low, double high)
    {
        var (actualLow, actualHigh) = Proportion.Wilson(count, total);
        Assert.Equal(low, actualLow, Relative * low);
        Assert.Equal(high, actualHigh, Relative * high);
    }

    [Fact]
    public void Wilson_CustomZ_MatchesFormula()
    {
        // python3 -c "import math; c,n,z=20,39,2.575829; p=c/n; d=1+z*z/n; ce=(p+z*z/(2*n))/d; h=z*math.sqrt(p*(1-p)/n+z*z/(4*n*n))/d; print(repr(ce-h), repr(ce+h))"
        // → 0.3203593520361148 0.7015537037336845
        var (low, high) = Proportion.Wilson(20, 39, z: 2.575829);
        Assert.Equal(0.3203593520361148, low, Relative * 0.3203593520361148);
        Assert.Equal(0.7015537037336845, high, Relative * 0.7015537037336845);
    }

    [Fact]
    public void Wilson_Z95_IsTheContractValue()
    {
        Assert.Equal(1.959964, Proportion.Z95);
    }

    [Fact]
    public void Wilson_NoSuccess_LowIsZero()
    {
        // See Wilson_MatchesFormula's command: (0, 12) → ['0', '0.2424940095530979']
        var (low, high) = Proportion.Wilson(0, 12);
        Assert.Equal(0.0, low);
        Assert.Equal(0.2424940095530979, high, Relative * 0.2424940095530979);
    }

    [Theory]
    [InlineData(12, 0.7575059904469021)]
    [InlineData(7, 0.6456695613241317)]
    public void Wilson_AllSuccesses_HighIsOne(int total, double expectedLow)
    {
        // See Wilson_MatchesFormula's command: (12, 12) and (7, 7)
        var (low, high) = Proportion.Wilson(total, total);
        Assert.Equal(1.0, high);
        Assert.Equal(expectedLow, low, Relative * expectedLow);
    }

    [Fact]
    public void Wilson_SymmetricCounts_MirrorEachOther()
    {
        // The interval of n − c successes is 1 minus the interval of c successes.
        var (low, high) = Proportion.Wilson(3, 17);
        var (mirrorLow, mirrorHigh) = Proportion.Wilson(14, 17);
        Assert.Equal(1 - high, mirrorLow, 1e-15);
        Assert.Equal(1 - low, mirrorHigh, 1e-15);
    }

    [Fact]
    public void Wilson_BracketsTheProportion()
    {
        var (low, high) = Proportion.Wilson(20, 39);
        Assert.InRange(20 / 39.0, low, high);
    }

    [Fact]
    public void Wilson_ZeroTotal_IsNaN()
    {
        var (low, high) = Proportion.Wilson(0, 0);
        Assert.True(double.IsNaN(low));
        Assert.True(double.IsNaN(high));
    }
}
