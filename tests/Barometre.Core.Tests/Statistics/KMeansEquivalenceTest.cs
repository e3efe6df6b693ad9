using Barometre.Core.Statistics;
using Barometre.Core.Tests.Statistics.Reference;

namespace Barometre.Core.Tests.Statistics;

/// <summary>
/// The vectorised, parallel k-means against the scalar one-restart-after-another implementation it
/// replaced: the same labels, centroids and inertia to the last bit, whatever the number of threads and
/// whatever the vector path (each <see cref="VectorPath"/> forced in process; the 512-bit one runs through
/// the runtime's emulation on a machine without AVX-512: right, but slow).
/// </summary>
public sealed class KMeansEquivalenceTest
{
    public static TheoryData<int, int, int, int, long> Cases => new()
    {
        // n, d, k, restarts, seed
        { 1000, 9, 3, 10, 7 },
        { 997, 9, 3, 10, 1 },
        { 513, 2, 5, 4, 42 },
        { 301, 1, 2, 3, 3 },
        { 250, 13, 7, 5, 11 },
        { 64, 4, 4, 6, 2024 },
        { 9, 3, 9, 2, 5 },
        { 6, 2, 1, 2, 0 },
        { 200, 5, 8, 3, 4294967295 },
        // Fewer points than any register holds, and a single point.
        { 7, 3, 2, 2, 42 },
        { 3, 1, 3, 2, 5 },
        { 1, 2, 1, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ContinuousData_EqualsScalarReference(int n, int d, int k, int restarts, long seed)
    {
        var random = new Random((int)(seed % int.MaxValue) + n);
        var points = new double[n * d];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = (random.NextDouble() * 100) + (i % d * 10);
        }
        AssertSameAsReference(points, d, k, restarts, seed);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_FewDistinctValuesAndDuplicates_EqualsScalarReference(int n, int d, int k, int restarts, long seed)
    {
        // Coarse levels, as theme scores: many duplicate points and exact ties between distances.
        var random = new Random((int)(seed % int.MaxValue) + (7 * n));
        var points = new double[n * d];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = random.Next(5) * 25.0;
        }
        AssertSameAsReference(points, d, k, restarts, seed);
    }

    [Trait("Size", "Large")]
    [Fact]
    public void Fit_ThemeScoresLikePanel_EqualsScalarReference()
    {
        // Means of 0..4 levels over 3 to 6 questions, scaled to 0..100: the barometer's k-means input.
        var random = new Random(2019);
        const int n = 5003, d = 9;
        var points = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            var maturity = random.NextDouble();
            for (var j = 0; j < d; j++)
            {
                var questions = 3 + (j % 4);
                var sum = 0;
                for (var q = 0; q < questions; q++)
                {
                    sum += Math.Clamp((int)Math.Round((maturity * 4) + ((random.NextDouble() - 0.5) * 3)), 0, 4);
                }
                points[(i * d) + j] = (double)sum / questions * 25.0;
            }
        }
        AssertSameAsReference(points, d, 3, 10, 7);
    }

    [Fact]
    public void Fit_IdenticalPoints_EqualsScalarReference()
    {
        // Empty clusters at every iteration: the relocation path.
        var points = Enumerable.Repeat(new[] { 1.5, -2.0, 3.0 }, 37).SelectMany(p => p).ToArray();
        AssertSameAsReference(points, 3, 4, 5, 42);
    }

    private static void AssertSameAsReference(double[] points, int d, int k, int restarts, long seed)
    {
        var expected = KMeansReference.Fit(points, d, k, restarts, seed);
        foreach (var threads in new[] { 1, 2, 3, -1 })
        {
            AssertSame(expected, KMeans.Fit(points, d, k, restarts, seed, threads));
        }
        foreach (var path in Enum.GetValues<VectorPath>())
        {
            using (Kernels.ForcePath(path))
            {
                AssertSame(expected, KMeans.Fit(points, d, k, restarts, seed));
            }
        }
    }

    private static void AssertSame(KMeansResult expected, KMeansResult actual)
    {
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(Bits(expected.Centroids), Bits(actual.Centroids));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Inertia), BitConverter.DoubleToInt64Bits(actual.Inertia));
    }

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
