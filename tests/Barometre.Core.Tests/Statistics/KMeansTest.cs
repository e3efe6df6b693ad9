using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

public sealed partial class KMeansTest
{
    // Three well-separated blobs around (0, 0), (10, 0) and (5, 9), σ = 1, rounded to 2 decimals;
    // point i belongs to blob i mod 3. Generated with:
    // python3 -c "import numpy as np; rng=np.random.default_rng(7); print(', '.join(repr(v) for i in range(10) for c in [(0,0),(10,0),(5,9)] for v in np.round(np.array(c)+rng.normal(0,1,2),2).tolist()))"
    private static readonly double[] Blobs =
    [
        0.0, 0.3, 9.73, -0.89, 4.55, 8.01, 0.06, 1.34, 9.51, -0.62, 5.49, 9.36, 0.11, -0.93, 9.97, 0.7,
        3.66, 8.54, -1.9, -1.29, 8.16, -0.24, 3.73, 9.27, 0.16, -0.19, 7.48, -0.54, 4.95, 9.11, -1.53, -0.48,
        9.02, -0.81, 6.06, 8.19, -0.03, 0.88, 9.42, -0.11, 5.11, 9.06, -1.23, 0.08, 11.36, -1.55, 5.86, 9.12,
        -0.64, 2.0, 10.76, -1.2, 5.07, 9.58, -0.19, 0.68, 9.93, 0.67, 6.44, 8.32,
    ];

    // Reference runs: python3 -W ignore -c "import numpy as np; from sklearn.cluster import KMeans; P=np.array(BLOBS).reshape(-1,2); km=KMeans(n_clusters=K, init='k-means++', n_init=N, tol=0, random_state=S).fit(P); print(km.labels_.tolist(), repr(km.inertia_))"
    // with BLOBS the 60 numbers above and (K, N, S) as named in each test.

    // (K, N, S) = (3, 10, 42) → [0, 2, 1, 0, 2, 1, …] (period 3) 41.48150999999999; (3, 1, 0) gives the same.
    private static readonly int[] SklearnLabels3 = [.. Enumerable.Range(0, 30).Select(i => new[] { 0, 2, 1 }[i % 3])];
    private const double SklearnInertia3 = 41.48150999999999;

    // (K, N, S) = (5, 10, 7)
    private static readonly int[] SklearnLabels5 =
        [2, 3, 1, 2, 0, 1, 2, 0, 1, 4, 0, 1, 2, 0, 1, 4, 0, 1, 2, 0, 1, 4, 3, 1, 2, 3, 1, 2, 0, 1];
    private const double SklearnInertia5 = 26.67535238095238;

    // (K, N, S) = (4, 4, 11)
    private static readonly int[] SklearnLabels4 =
        [2, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 0, 1, 2, 0, 1, 2, 3, 1];
    private const double SklearnInertia4 = 34.01928476190476;

    [Fact]
    public void Fit_SeparatedBlobs_FindsTruePartition()
    {
        var result = KMeans.Fit(Blobs, 2, 3, restarts: 10, seed: 42);
        AssertSamePartition(SklearnLabels3, result.Labels);
        AssertSamePartition([.. Enumerable.Range(0, 30).Select(i => i % 3)], result.Labels);
    }

    [Fact]
    public void Fit_SeparatedBlobs_InertiaMatchesSklearn()
    {
        var result = KMeans.Fit(Blobs, 2, 3, restarts: 10, seed: 42);
        Assert.Equal(SklearnInertia3, result.Inertia, 1e-9 * SklearnInertia3);
    }

    [Fact]
    public void Fit_SeparatedBlobs_LabelsEqualSklearnForSameSeed()
    {
        // KMeans promises scikit-learn's draws for random_state = seed, so even the label numbers agree.
        Assert.Equal(SklearnLabels3, KMeans.Fit(Blobs, 2, 3, restarts: 10, seed: 42).Labels);
        Assert.Equal(SklearnLabels3, KMeans.Fit(Blobs, 2, 3, restarts: 1, seed: 0).Labels);
    }

    [Fact]
    public void Fit_MoreClustersThanBlobs_MatchesSklearn()
    {
        // k = 5 on three blobs: the partition depends on the seeding, so agreement tests the draws.
        var result = KMeans.Fit(Blobs, 2, 5, restarts: 10, seed: 7);
        AssertSamePartition(SklearnLabels5, result.Labels);
        Assert.Equal(SklearnInertia5, result.Inertia, 1e-9 * SklearnInertia5);
        Assert.Equal(SklearnLabels5, result.Labels);
    }

    [Fact]
    public void Fit_FourClusters_MatchesSklearn()
    {
        var result = KMeans.Fit(Blobs, 2, 4, restarts: 4, seed: 11);
        AssertSamePartition(SklearnLabels4, result.Labels);
        Assert.Equal(SklearnInertia4, result.Inertia, 1e-9 * SklearnInertia4);
        Assert.Equal(SklearnLabels4, result.Labels);
    }

    [Fact]
    public void Fit_SeparatedBlobs_CentroidsMatchBlobMeans()
    {
        // python3 -c "import numpy as np; P=np.array(BLOBS).reshape(-1,2); L=np.arange(30)%3; print([P[L==c].mean(0).tolist() for c in range(3)])"
        // → [[-0.5189999999999999, 0.23900000000000002], [9.534, -0.4590000000000001], [5.092, 8.856]]
        double[][] expected = [[-0.5189999999999999, 0.23900000000000002], [9.534, -0.4590000000000001], [5.092, 8.856]];
        var result = KMeans.Fit(Blobs, 2, 3, restarts: 10, seed: 42);
        for (var blob = 0; blob < 3; blob++)
        {
            var cluster = result.Labels[blob];
            Assert.Equal(expected[blob][0], result.Centroids[cluster * 2], 1e-12 * Math.Abs(expected[blob][0]));
            Assert.Equal(expected[blob][1], result.Centroids[(cluster * 2) + 1], 1e-12 * Math.Abs(expected[blob][1]));
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(5L)]
    [InlineData(123456789L)]
    [InlineData(4294967295L)]
    public void Fit_AnySeed_FindsTruePartition(long seed)
    {
        var result = KMeans.Fit(Blobs, 2, 3, restarts: 10, seed);
        AssertSamePartition(SklearnLabels3, result.Labels);
        Assert.Equal(SklearnInertia3, result.Inertia, 1e-9 * SklearnInertia3);
    }

    [Fact]
    public void Fit_SameSeed_IsDeterministic()
    {
        var first = KMeans.Fit(Blobs, 2, 4, restarts: 5, seed: 2024);
        var second = KMeans.Fit(Blobs, 2, 4, restarts: 5, seed: 2024);
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Centroids, second.Centroids);
        Assert.Equal(first.Inertia, second.Inertia);
    }

    [Fact]
    public void Fit_CentroidsAreMembersMeans()
    {
        // k = 5 on three blobs: the partition is not obvious, but centroids must still be means.
        var result = KMeans.Fit(Blobs, 2, 5, restarts: 3, seed: 7);
        var n = Blobs.Length / 2;
        var inertia = 0.0;
        for (var c = 0; c < 5; c++)
        {
            var members = Enumerable.Range(0, n).Where(i => result.Labels[i] == c).ToArray();
            Assert.NotEmpty(members);
            for (var j = 0; j < 2; j++)
            {
                var mean = members.Average(i => Blobs[(i * 2) + j]);
                Assert.Equal(mean, result.Centroids[(c * 2) + j], 1e-12 * Math.Max(1, Math.Abs(mean)));
            }
            foreach (var i in members)
            {
                var dx = Blobs[i * 2] - result.Centroids[c * 2];
                var dy = Blobs[(i * 2) + 1] - result.Centroids[(c * 2) + 1];
                inertia += (dx * dx) + (dy * dy);
            }
        }
        Assert.Equal(inertia, result.Inertia, 1e-12 * inertia);
    }

    [Fact]
    public void Fit_EveryPointNearestToItsCentroid()
    {
        // Lloyd's fixed point: no point is strictly closer to another centroid (up to rounding).
        var result = KMeans.Fit(Blobs, 2, 4, restarts: 4, seed: 11);
        for (var i = 0; i < Blobs.Length / 2; i++)
        {
            var own = KMeans.SquaredDistance(Blobs.AsSpan(i * 2, 2), result.Centroids.AsSpan(result.Labels[i] * 2, 2));
            for (var c = 0; c < 4; c++)
            {
                Assert.True(own <= KMeans.SquaredDistance(Blobs.AsSpan(i * 2, 2), result.Centroids.AsSpan(c * 2, 2)) + 1e-12);
            }
        }
    }

    [Fact]
    public void Fit_IdenticalPoints_OneClusterOthersEmpty()
    {
        double[] points = [1.5, -2.0, 1.5, -2.0, 1.5, -2.0, 1.5, -2.0, 1.5, -2.0];
        var result = KMeans.Fit(points, 2, 3, restarts: 4, seed: 42);
        Assert.Equal(5, result.Labels.Length);
        Assert.All(result.Labels, label => Assert.Equal(result.Labels[0], label));
        Assert.Equal(0.0, result.Inertia);
        Assert.Equal(1.5, result.Centroids[result.Labels[0] * 2]);
        Assert.Equal(-2.0, result.Centroids[(result.Labels[0] * 2) + 1]);
        for (var c = 0; c < 3; c++)
        {
            if (c != result.Labels[0])
            {
                // Documented: NaN for an empty cluster.
                Assert.True(double.IsNaN(result.Centroids[c * 2]));
                Assert.True(double.IsNaN(result.Centroids[(c * 2) + 1]));
            }
        }
    }

    [Fact]
    public void Fit_FewerPointsThanClusters_Throws()
    {
        Assert.Throws<ArgumentException>(() => KMeans.Fit([0.0, 0.0, 1.0, 1.0], 2, 3, restarts: 1, seed: 1));
    }

    [Fact]
    public void Fit_InvalidArguments_Throw()
    {
        double[] points = [0.0, 1.0, 2.0, 3.0];
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(points, 1, 0, restarts: 1, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(points, 1, 2, restarts: 0, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(points, 0, 2, restarts: 1, seed: 1));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(4294967296L)]
    public void Fit_SeedOutsideRandomStateRange_Throws(long seed)
    {
        // scikit-learn's random_state takes 0..2³²−1.
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(Blobs, 2, 3, restarts: 1, seed));
    }

    [Fact]
    public void Fit_KEqualsN_EachPointAlone()
    {
        double[] points = [0.0, 5.0, 9.0, 20.0];
        var result = KMeans.Fit(points, 1, 4, restarts: 2, seed: 3);
        Assert.Equal(4, result.Labels.Distinct().Count());
        Assert.Equal(0.0, result.Inertia);
    }

    [Fact]
    public void Lloyd_OneDimension_ByHand()
    {
        // Points 0 1 2 10 11 12, centres 0 and 1:
        //   assign {0} {1,2,10,11,12} → centres 0 and 36/5 = 7.2
        //   assign {0,1,2} {10,11,12} → centres 1 and 11 → stable.
        // Inertia = (1 + 0 + 1) + (1 + 0 + 1) = 4.
        double[] points = [0, 1, 2, 10, 11, 12];
        var data = new KMeans.PointSet(points, 1, centre: false);
        var (labels, inertia) = KMeans.Lloyd(data, 2, [0.0, 1.0], new KMeans.Workspace(data, 2));
        Assert.Equal([0, 0, 0, 1, 1, 1], labels);
        Assert.Equal(4.0, inertia);
    }

    [Fact]
    public void WithCentroids_ByHand()
    {
        // Clusters {0, 1, 2} and {10, 11, 12} of the line: means 1 and 11, inertia 2 + 2 = 4; cluster 2 empty.
        var result = KMeans.WithCentroids([0.0, 1, 2, 10, 11, 12], 1, 3, [0, 0, 0, 1, 1, 1]);
        Assert.Equal(1.0, result.Centroids[0]);
        Assert.Equal(11.0, result.Centroids[1]);
        Assert.True(double.IsNaN(result.Centroids[2]));
        Assert.Equal(4.0, result.Inertia);
    }

    [Theory]
    // python3 -W ignore -c "import numpy as np; from sklearn.cluster import kmeans_plusplus; P=np.array(BLOBS).reshape(-1,2); c,i=kmeans_plusplus(P, 3, random_state=5); print(i.tolist()); c,i=kmeans_plusplus(P, 5, random_state=8); print(i.tolist())"
    // → [3, 25, 14] and [3, 7, 20, 21, 25]
    [InlineData(3, 5u, new[] { 3, 25, 14 })]
    [InlineData(5, 8u, new[] { 3, 7, 20, 21, 25 })]
    public void SeedPlusPlus_PicksSklearnsPoints(int k, uint seed, int[] expected)
    {
        var centres = SeedPlusPlus(k, seed);
        Assert.Equal(expected, IndicesOf(centres, k));
    }

    [Fact]
    public void SeedPlusPlus_SeparatedBlobs_OneCentrePerBlob()
    {
        var centres = SeedPlusPlus(3, 5);
        Assert.Equal([0, 1, 2], IndicesOf(centres, 3).Select(i => i % 3).Order());
    }

    [Fact]
    public void SquaredDistance_ByHand()
    {
        // (1 − 4)² + (2 − 6)² + (3 − 3)² = 9 + 16 + 0 = 25
        Assert.Equal(25.0, KMeans.SquaredDistance([1.0, 2.0, 3.0], [4.0, 6.0, 3.0]));
    }

    [Fact]
    public void SamePartition_IgnoresRenaming()
    {
        Assert.True(KMeans.SamePartition([0, 0, 1, 2], [2, 2, 0, 1], 3));
        Assert.False(KMeans.SamePartition([0, 0, 1, 2], [2, 1, 0, 1], 3));
    }

    /// <summary>scikit-learn's <c>kmeans_plusplus(Blobs, k, random_state=seed)</c>: on the data as given, not centred.</summary>
    private static double[] SeedPlusPlus(int k, uint seed)
    {
        var data = new KMeans.PointSet(Blobs, 2, centre: false);
        var draws = KMeans.SeedingDraws.Take(new MersenneTwister(seed), data.Count, k);
        return KMeans.SeedPlusPlus(data, k, draws, new KMeans.Workspace(data, k));
    }

    private static int[] IndicesOf(double[] centres, int k) =>
        [.. Enumerable.Range(0, k).Select(c => Enumerable.Range(0, Blobs.Length / 2)
            .First(i => Blobs[i * 2] == centres[c * 2] && Blobs[(i * 2) + 1] == centres[(c * 2) + 1]))];

    private static void AssertSamePartition(int[] expected, int[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var forward = new Dictionary<int, int>();
        var backward = new Dictionary<int, int>();
        for (var i = 0; i < expected.Length; i++)
        {
            if (forward.TryGetValue(expected[i], out var mapped))
            {
                Assert.Equal(mapped, actual[i]);
            }
            else
            {
                forward[expected[i]] = actual[i];
            }
            if (backward.TryGetValue(actual[i], out var back))
            {
                Assert.Equal(back, expected[i]);
            }
            else
            {
                backward[actual[i]] = expected[i];
            }
        }
    }
}
