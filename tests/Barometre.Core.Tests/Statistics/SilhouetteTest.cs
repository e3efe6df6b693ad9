using System.Runtime.CompilerServices;
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

    [Trait("Size", "Large")]
    [Theory]
    [InlineData(5_000, 9, 3, 1)]
    [InlineData(4_100, 3, 4, 2)]
    [InlineData(2_051, 1, 2, 3)]
    [InlineData(300, 20, 5, 4)]
    public void Mean_LargePanels_MatchesThePlainDoubleLoop(int n, int dimensions, int clusters, int seed)
    {
        var (points, labels) = RandomPartition(n, dimensions, clusters, seed);

        var expected = PlainMean(points, dimensions, labels, clusters);

        // Tiles, blocks of eight rows, vector and edge columns and tiny clusters all take part; the sums differ
        // from the plain loop's only by rounding.
        Assert.Equal(expected, Silhouette.Mean(points, dimensions, labels, clusters), 1e-12 * Math.Abs(expected));
    }

    [Trait("Size", "Large")]
    [Fact]
    public void Mean_DoesNotDependOnTheNumberOfThreads()
    {
        var (points, labels) = RandomPartition(6_000, 9, 3, 5);

        var oneThread = Silhouette.Mean(points, 9, labels, 3, latticeUnit: null, maxDegreeOfParallelism: 1);
        var allThreads = Silhouette.Mean(points, 9, labels, 3, latticeUnit: null, maxDegreeOfParallelism: -1);

        Assert.Equal(BitConverter.DoubleToInt64Bits(oneThread), BitConverter.DoubleToInt64Bits(allThreads));
    }

    /// <summary>The step of the theme scores of a 5-level scale with themes of 3 to 5 questions: 25 ÷ lcm(2, 3, 4, 5).</summary>
    private const double ScoreStep = 25.0 / 60;

    [Trait("Size", "Large")]
    [Theory]
    [InlineData(5_000, 9, 3, 1)]
    [InlineData(4_100, 3, 4, 2)]
    [InlineData(2_051, 1, 2, 3)]
    [InlineData(300, 20, 5, 4)]
    public void Mean_OnALattice_MatchesThePlainDoubleLoop(int n, int dimensions, int clusters, int seed)
    {
        var (points, labels) = ScorePartition(n, dimensions, clusters, seed);

        var expected = PlainMean(points, dimensions, labels, clusters);

        // Pairs on the lattice (whole numbers), pairs with a point off it (doubles), blocks straddling both, edge columns.
        Assert.Equal(expected, Silhouette.Mean(points, dimensions, labels, clusters, ScoreStep), 1e-12 * Math.Abs(expected));
    }

    [Trait("Size", "Large")]
    [Fact]
    public void DistanceSums_OnALattice_AgreeWithTheDoublesToTheLastPlaces()
    {
        var (points, labels) = ScorePartition(6_000, 9, 3, 6);

        var doubles = Silhouette.DistanceSums(points, 9, labels, 3);
        var lattice = Silhouette.DistanceSums(points, 9, labels, 3, ScoreStep);

        for (var i = 0; i < doubles.Length; i++)
        {
            Assert.Equal(doubles[i], lattice[i], 1e-13 * doubles[i]);
        }
    }

    [Trait("Size", "Large")]
    [Fact]
    public void Mean_OnALattice_DoesNotDependOnTheNumberOfThreads()
    {
        var (points, labels) = ScorePartition(6_000, 9, 3, 7);

        var oneThread = Silhouette.Mean(points, 9, labels, 3, ScoreStep, maxDegreeOfParallelism: 1);
        var allThreads = Silhouette.Mean(points, 9, labels, 3, ScoreStep, maxDegreeOfParallelism: -1);

        Assert.Equal(BitConverter.DoubleToInt64Bits(oneThread), BitConverter.DoubleToInt64Bits(allThreads));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    public void Mean_WithAUnitNoPointIsAMultipleOf_IsTheDoublesResult(double unit)
    {
        var (points, labels) = ScorePartition(3_000, 9, 3, 8);

        var doubles = Silhouette.Mean(points, 9, labels, 3);

        Assert.Equal(BitConverter.DoubleToInt64Bits(doubles), BitConverter.DoubleToInt64Bits(Silhouette.Mean(points, 9, labels, 3, unit)));
    }

    [Trait("Size", "Large")]
    [Fact]
    public void LatticeRoot_AgreesWithTheDoubleRootTo45Bits()
    {
        // Every square a lattice distance can have: 0 .. 2^24 − 1.
        var worst = 0.0;
        for (var square = 0; square < 1 << 24; square++)
        {
            var root = Silhouette.LatticeRoot(square, out var quotient);
            var distance = ((double)root * ScoreStep) + ((double)quotient * (ScoreStep / 2));
            var exact = Math.Sqrt(square) * ScoreStep;
            worst = Math.Max(worst, exact == 0 ? Math.Abs(distance) : Math.Abs(distance - exact) / exact);
        }
        // The single-precision root's error (under 2^-24) squared by the Newton step, the quotient's roundings, then
        // two double roundings.
        Assert.True(worst <= Math.ScaleB(1, -45), $"relative error {worst:E3}");
    }

    [Trait("Size", "Large")]
    [Fact]
    public void LatticeRoot_ResidualIsExact_SoFusedAndDoubleRoutesAgree()
    {
        // Paths with a fused multiply-add take s − r² from it, the others from doubles: both must be the exact residual.
        for (var square = 0; square < 1 << 24; square++)
        {
            var root = MathF.Sqrt(square);
            var fused = MathF.FusedMultiplyAdd(-root, root, square);
            var fromDoubles = (float)(square - ((double)root * root));
            Assert.True(BitConverter.SingleToInt32Bits(fused) == BitConverter.SingleToInt32Bits(fromDoubles), $"s = {square}: {fused} ≠ {fromDoubles}");
            Assert.Equal(square - ((double)root * root), fromDoubles);
        }
    }

    [Fact]
    public void LatticeLanes_GiveLatticeRootsBitsAndExactProducts()
    {
        // Squares spread over 0 .. 2^24 − 1, and pairs of 16-bit coordinates' products, on each width against the scalar definition.
        int[] squares = [.. Enumerable.Range(0, 1 << 12).Select(k => (int)((k * 4_096L) + (k * 7919 % 4096)) & ((1 << 24) - 1))];
        int[] columns = [.. Enumerable.Range(0, 64).Select(k => ((k * 97) % 1365) | (((k * 31) % 1365) << 16))];
        int[] row = [.. Enumerable.Range(0, 64).Select(k => ((k * 53) % 1365) | (((k * 11) % 1365) << 16))];
        Check<LatticeDistances128, Singles128, Distances128>(squares, columns, row);
        Check<LatticeDistances256, Singles256, Distances256>(squares, columns, row);
        Check<LatticeDistances512, Singles512, Distances512>(squares, columns, row);

        static void Check<TLattice, TSingles, TLanes>(int[] squares, int[] columns, int[] row)
            where TLattice : struct, ILatticeDistances<TLattice, TSingles>
            where TSingles : struct, ISingleLanes<TSingles, TLanes>
            where TLanes : struct, IDistanceLanes<TLanes>
        {
            var roots = new double[TLattice.Count];
            var quotients = new double[TLattice.Count];
            for (var first = 0; first < squares.Length; first += TLattice.Count)
            {
                TSingles.Widen(TLattice.Roots(TLattice.Load(ref squares[first]), out var laneQuotients), out var lower, out var upper);
                lower.Store(ref roots[0]);
                upper.Store(ref roots[TLanes.Count]);
                TSingles.Widen(laneQuotients, out lower, out upper);
                lower.Store(ref quotients[0]);
                upper.Store(ref quotients[TLanes.Count]);
                for (var lane = 0; lane < TLattice.Count; lane++)
                {
                    var root = Silhouette.LatticeRoot(squares[first + lane], out var quotient);
                    Assert.Equal(BitConverter.SingleToInt32Bits(root), BitConverter.SingleToInt32Bits((float)roots[lane]));
                    Assert.Equal(BitConverter.SingleToInt32Bits(quotient), BitConverter.SingleToInt32Bits((float)quotients[lane]));
                }
            }
            var sums = new int[TLattice.Count];
            for (var first = 0; first < columns.Length; first += TLattice.Count)
            {
                ref var sum = ref sums[0];
                var lanes = TLattice.SubtractProducts(TLattice.Broadcast(1 << 24), TLattice.Load(ref columns[first]), TLattice.Load(ref row[first]));
                Unsafe.As<int, TLattice>(ref sum) = lanes;
                for (var lane = 0; lane < TLattice.Count; lane++)
                {
                    int Low(int v) => (short)(v & 0xFFFF);
                    int High(int v) => v >> 16;
                    var k = first + lane;
                    Assert.Equal((1 << 24) - (Low(columns[k]) * Low(row[k])) - (High(columns[k]) * High(row[k])), sums[lane]);
                }
            }
        }
    }

    public static TheoryData<int, int, int, int, bool> PathPanels => new()
    {
        // n, dimensions, clusters, seed, on the lattice (else doubles on a grid). Ragged sizes: n not a multiple of any
        // width, tiny clusters, a tile edge (2,049), odd dimensions, one dimension.
        { 1, 3, 2, 1, true },
        { 7, 9, 2, 2, true },
        { 19, 9, 3, 3, true },
        { 130, 9, 3, 4, true },
        { 131, 4, 3, 5, false },
        { 257, 1, 2, 6, true },
        { 300, 20, 5, 7, true },
        { 300, 7, 4, 8, false },
        { 2_049, 9, 3, 9, true },
    };

    [Theory]
    [MemberData(nameof(PathPanels))]
    public void DistanceSums_AreTheSameBitsOnEveryPath(int n, int dimensions, int clusters, int seed, bool lattice)
    {
        var (points, labels) = lattice ? ScorePartition(n, dimensions, clusters, seed) : RandomPartition(n, dimensions, clusters, seed);
        double? unit = lattice ? ScoreStep : null;

        double[] Sums(VectorPath path)
        {
            using (Kernels.ForcePath(path))
            {
                return Silhouette.DistanceSums(points, dimensions, labels, clusters, unit);
            }
        }

        var scalar = Sums(VectorPath.Scalar);
        // 512 bits run through the runtime's emulation on a machine without AVX-512: right, only slower.
        foreach (var path in new[] { VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512 })
        {
            var sums = Sums(path);
            Assert.True(scalar.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(sums.Select(BitConverter.DoubleToInt64Bits)), $"{path} differs from the scalar path");
        }
        // And each agrees with the plain loop to the last places (the lattice's roots within 2^-45).
        if (n > 2)
        {
            var expected = PlainMean(points, dimensions, labels, clusters);
            using (Kernels.ForcePath(VectorPath.Scalar))
            {
                Assert.Equal(expected, Silhouette.Mean(points, dimensions, labels, clusters, unit ?? double.NaN), 1e-12 * Math.Max(1, Math.Abs(expected)));
            }
        }
    }

    [Trait("Size", "Large")]
    [Fact]
    public void Mean_OfAThemeScorePanel_IsTheSameBitsOnThisMachinesPathAndScalar()
    {
        // Large enough for every tile shape (diagonal and off-diagonal tiles, the root table of the scalar path).
        var (points, labels) = ScorePartition(6_000, 9, 3, 10);
        var native = Silhouette.Mean(points, 9, labels, 3, ScoreStep);
        using (Kernels.ForcePath(VectorPath.Scalar))
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(native), BitConverter.DoubleToInt64Bits(Silhouette.Mean(points, 9, labels, 3, ScoreStep)));
        }
        if (Kernels.HardwarePath >= VectorPath.Vector256)
        {
            using (Kernels.ForcePath(VectorPath.Vector128))
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(native), BitConverter.DoubleToInt64Bits(Silhouette.Mean(points, 9, labels, 3, ScoreStep)));
            }
        }
    }

    /// <summary>
    /// Theme-score-like points: 25 × levels summed ÷ 2 to 5 questions answered; about one point in 30 has a coordinate
    /// off the lattice (as an imputed theme mean); coincident points; one cluster of 3 points.
    /// </summary>
    private static (double[] Points, int[] Labels) ScorePartition(int n, int dimensions, int clusters, int seed) =>
        Partition(n, dimensions, clusters, seed, (random, label) =>
        {
            var answered = random.Next(2, 6);
            var sum = Math.Min(4 * answered, random.Next(0, 2 * answered) + label);
            return (double)sum / answered * 25;
        }, offLattice: 47.123456789);

    /// <summary>Points on a grid of 0.5 steps (ties and coincident points), labels shuffled, one cluster of 3 points.</summary>
    private static (double[] Points, int[] Labels) RandomPartition(int n, int dimensions, int clusters, int seed) =>
        Partition(n, dimensions, clusters, seed, (random, label) => Math.Round(random.NextDouble() * 200) / 2 + (label * 10), offLattice: null);

    /// <summary>
    /// n points drawn by <paramref name="coordinate"/> (given its label), the first three in the last cluster;
    /// with <paramref name="offLattice"/>, about one point in 30 has one coordinate replaced by it. Labels shuffled.
    /// </summary>
    private static (double[] Points, int[] Labels) Partition(int n, int dimensions, int clusters, int seed, Func<Random, int, double> coordinate, double? offLattice)
    {
        var random = new Random(seed);
        var labels = new int[n];
        var points = new double[n * dimensions];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i < 3 ? clusters - 1 : random.Next(clusters - 1);
            for (var d = 0; d < dimensions; d++)
            {
                points[(i * dimensions) + d] = coordinate(random, labels[i]);
            }
            if (offLattice is { } value && random.Next(30) == 0)
            {
                points[(i * dimensions) + random.Next(dimensions)] = value;
            }
        }
        random.Shuffle(labels.AsSpan());
        return (points, labels);
    }

    /// <summary>The definition, pair by pair.</summary>
    private static double PlainMean(double[] points, int dimensions, int[] labels, int clusters)
    {
        var n = labels.Length;
        var sizes = new int[clusters];
        foreach (var label in labels)
        {
            sizes[label]++;
        }
        var total = 0.0;
        var sums = new double[clusters];
        for (var i = 0; i < n; i++)
        {
            Array.Clear(sums);
            for (var j = 0; j < n; j++)
            {
                var squared = 0.0;
                for (var d = 0; d < dimensions; d++)
                {
                    var difference = points[(i * dimensions) + d] - points[(j * dimensions) + d];
                    squared += difference * difference;
                }
                sums[labels[j]] += Math.Sqrt(squared);
            }
            var own = labels[i];
            if (sizes[own] == 1)
            {
                continue;
            }
            var a = sums[own] / (sizes[own] - 1);
            var b = Enumerable.Range(0, clusters).Where(c => c != own && sizes[c] > 0).Min(c => sums[c] / sizes[c]);
            total += (b - a) / Math.Max(a, b);
        }
        return total / n;
    }
}
