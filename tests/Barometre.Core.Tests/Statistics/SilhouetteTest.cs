using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

public sealed class SilhouetteTest
{
    private const double Relative = 1e-12;

    // Three clusters in 2-D, cluster 2 a singleton, labels interleaved.
    private static readonly double[] Points = [0, 0, 5, 5, 1, 0, 10, 0, 6, 5.5, 0, 1.5, 5.5, 7, 4.8, 6.2];
    private static readonly int[] Labels = [0, 1, 0, 2, 1, 0, 1, 1];

    [Fact]
    public void Mean_WithSingleton_MatchesSklearn()
    {
        // python3 -c "import numpy as np; from sklearn.metrics import silhouette_score; P=np.array([0,0, 5,5, 1,0, 10,0, 6,5.5, 0,1.5, 5.5,7, 4.8,6.2],float).reshape(-1,2); L=[0,1,0,2,1,0,1,1]; print(repr(silhouette_score(P,L)))"
        const double expected = 0.7042547711560825;
        Assert.Equal(expected, Silhouette.Mean(Points, 2, Labels, 3), Relative * expected);
    }

    [Fact]
    public void Mean_ThreeDimensions_MatchesSklearn()
    {
        // python3 -c "import numpy as np; from sklearn.metrics import silhouette_score; P=np.array([1,2,3, 2,2,2, 9,9,8, 8,9,9, 1,1,1, 9,8,8, 4,5,5],float).reshape(-1,3); L=[2,2,0,0,2,0,1]; print(repr(silhouette_score(P,L)))"
        const double expected = 0.6227911543785091;
        double[] points = [1, 2, 3, 2, 2, 2, 9, 9, 8, 8, 9, 9, 1, 1, 1, 9, 8, 8, 4, 5, 5];
        Assert.Equal(expected, Silhouette.Mean(points, 3, [2, 2, 0, 0, 2, 0, 1], 3), Relative * expected);
    }

    [Fact]
    public void Mean_TwoPairsOnALine_ByHand()
    {
        // Points 0 1 | 5 6. For 0: a = 1, b = (5 + 6)/2 = 5.5, s = 4.5/5.5 = 9/11.
        // For 1: a = 1, b = (4 + 5)/2 = 4.5, s = 3.5/4.5 = 7/9. 5 and 6 mirror 1 and 0.
        // Mean = (9/11 + 7/9) / 2 = 79/99.
        Assert.Equal(79.0 / 99, Silhouette.Mean([0, 1, 5, 6], 1, [0, 0, 1, 1], 2), Relative);
    }

    [Fact]
    public void Mean_EmptyCluster_IsIgnored()
    {
        // Same partition with a fourth, empty, cluster: sklearn only sees the labels present.
        var expected = Silhouette.Mean(Points, 2, Labels, 3);
        Assert.Equal(expected, Silhouette.Mean(Points, 2, Labels, 4), Relative * expected);
    }

    [Fact]
    public void Mean_LabelNames_DoNotMatter()
    {
        int[] renamed = [.. Labels.Select(l => (l + 1) % 3)];
        var expected = Silhouette.Mean(Points, 2, Labels, 3);
        Assert.Equal(expected, Silhouette.Mean(Points, 2, renamed, 3), Relative * expected);
    }

    [Fact]
    public void Mean_OneCluster_IsNaN()
    {
        Assert.True(double.IsNaN(Silhouette.Mean(Points, 2, [0, 0, 0, 0, 0, 0, 0, 0], 1)));
    }

    [Fact]
    public void Mean_OneNonEmptyClusterAmongSeveral_IsNaN()
    {
        Assert.True(double.IsNaN(Silhouette.Mean(Points, 2, [2, 2, 2, 2, 2, 2, 2, 2], 3)));
    }

    [Fact]
    public void Mean_EveryPointAlone_IsNaN()
    {
        // Non-empty clusters == n.
        Assert.True(double.IsNaN(Silhouette.Mean([0, 1, 5], 1, [0, 1, 2], 3)));
    }

    [Fact]
    public void Mean_AllButOneSingletons_IsZeroExceptPair()
    {
        // Points 0 1 | 10 | 20 (n − 1 = 3 clusters, allowed). Singletons score 0.
        // For 0: a = 1, b = min(10, 20) = 10, s = 9/10. For 1: a = 1, b = min(9, 19) = 9, s = 8/9.
        // Mean = (9/10 + 8/9) / 4 = (81 + 80)/90/4 = 161/360.
        Assert.Equal(161.0 / 360, Silhouette.Mean([0, 1, 10, 20], 1, [0, 0, 1, 2], 3), Relative);
    }
}
