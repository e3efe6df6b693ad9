using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

/// <summary>
/// The assignment kernel and the layout on every <see cref="VectorPath"/> forced in process (the whole fit on every
/// path: <see cref="KMeansEquivalenceTest"/>). The 512-bit path runs through the runtime's emulation on a machine
/// without AVX-512: right but slow, hence small inputs.
/// </summary>
public sealed partial class KMeansTest
{
    public static TheoryData<int, int, int[]> NearestCases => new()
    {
        // n, d, candidates (indices into 8 centres, in tie-breaking order)
        { 1, 3, [0] },
        { 2, 1, [1, 0] },
        { 5, 4, [0, 1, 2] },
        { 8, 7, [0, 2, 4, 6] },
        { 13, 9, [7, 1, 3, 2, 5] },
        { 37, 2, [0, 1, 2, 3, 4, 5, 6, 7] },
    };

    [Theory]
    [MemberData(nameof(NearestCases))]
    public void Nearest_EveryPath_SameLabelsAsScalarDefinition(int n, int d, int[] candidates)
    {
        // Coarse coordinates and centres taken among the points, two of them equal: exact ties between distances.
        var points = PathPoints(n, d, seed: n + d, coarse: true);
        var source = PathPoints(8, d, seed: 3 * d, coarse: true);
        source.AsSpan(0, d).CopyTo(source.AsSpan(5 * d, d));
        points.AsSpan(0, d).CopyTo(source.AsSpan(2 * d, d));
        var expected = NearestByDefinition(points, d, source, candidates);
        foreach (var path in Enum.GetValues<VectorPath>())
        {
            var data = new KMeans.PointSet(points, d, centre: false, path);
            Assert.Equal(path, data.Path);
            var labels = new int[data.Stride];
            KMeans.Nearest(path, data.Columns, data.Stride, d, source, candidates, labels);
            Assert.Equal(expected, labels[..n]);
        }
    }

    [Fact]
    public void PointSet_ForcedPath_IsTheOneLaidOut()
    {
        foreach (var path in Enum.GetValues<VectorPath>())
        {
            using (Kernels.ForcePath(path))
            {
                var data = new KMeans.PointSet(PathPoints(11, 3, seed: 1, coarse: false), 3, centre: true);
                Assert.Equal(path, data.Path);
                Assert.Equal(0, data.Stride % KMeans.LaneCount(path));
                Assert.Equal(0, data.PaddedDimensions % KMeans.LaneCount(path));
            }
        }
    }

    /// <summary>The nearest candidate by ‖c‖² − 2 x·c, each sum over the dimensions in order from zero, the first strictly smaller winning.</summary>
    private static int[] NearestByDefinition(double[] points, int d, double[] centres, int[] candidates)
    {
        var n = points.Length / d;
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var best = double.PositiveInfinity;
            foreach (var c in candidates)
            {
                double norm = 0, dot = 0;
                for (var j = 0; j < d; j++)
                {
                    norm += centres[(c * d) + j] * centres[(c * d) + j];
                    dot += points[(i * d) + j] * centres[(c * d) + j];
                }
                var distance = norm - (dot * 2);
                if (c == candidates[0] || distance < best)
                {
                    best = distance;
                    labels[i] = c;
                }
            }
        }
        return labels;
    }

    /// <summary>Seeded points: continuous, or on a few levels as theme scores (duplicates and exact ties).</summary>
    private static double[] PathPoints(int n, int d, long seed, bool coarse)
    {
        var random = new Random((int)seed + (31 * n) + d);
        var points = new double[n * d];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = coarse ? random.Next(5) * 25.0 : (random.NextDouble() * 100) + (i % d * 10);
        }
        return points;
    }
}
