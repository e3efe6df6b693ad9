using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

/// <summary>
/// The bootstrap's sums on every <see cref="VectorPath"/>, forced in process: each must give the scalar path's bits
/// (and those of the sequential loop). The 512-bit path runs through the runtime's emulation on a machine without
/// AVX-512, hence the small tables.
/// </summary>
public sealed partial class BootstrapTest
{
    public static TheoryData<VectorPath> Paths => [VectorPath.Scalar, VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512];

    /// <summary>Rows, columns, replicates: fewer rows than lanes, a last tile of fewer than 8 replicates, columns not a multiple of a block.</summary>
    public static TheoryData<int, int, int> RaggedSizes => new()
    {
        { 1, 1, 1 }, { 1, 3, 50 }, { 2, 1, 7 }, { 5, 4, 9 }, { 7, 2, 17 }, { 39, 9, 100 }, { 1001, 5, 23 },
    };

    [Theory]
    [MemberData(nameof(RaggedSizes))]
    public void ReplicateMeans_EveryPath_SameBitsAsScalar(int rows, int columns, int replicates)
    {
        var values = Panel(rows, columns, missingShare: 0.15, seed: (ulong)(rows * 31) + (ulong)columns);
        var scalar = ReplicateMeansOn(VectorPath.Scalar, values, columns, replicates);
        AssertSameBits(SequentialReplicateMeans(values, columns, replicates, seed: 17), scalar);
        foreach (var path in new[] { VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512 })
        {
            AssertSameBits(scalar, ReplicateMeansOn(path, values, columns, replicates));
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ReplicateMeans_InfinitiesOnEveryPath_MatchSequentialDraws(VectorPath path)
    {
        // The loop that leaves undrawn rows out (0 · ∞ would be NaN), on each path.
        var values = Panel(50, 4, missingShare: 0.1, seed: 8);
        values[7] = double.PositiveInfinity;
        values[(20 * 4) + 1] = double.NegativeInfinity;
        values[(31 * 4) + 1] = double.PositiveInfinity;
        AssertSameBits(SequentialReplicateMeans(values, 4, 60, seed: 17), ReplicateMeansOn(path, values, 4, 60));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ReplicateMeans_MoreRowsThan16BitsOnEveryPath_MatchSequentialDraws(VectorPath path)
    {
        // 32-bit multiplicities: the other conversion to doubles of each path.
        var values = Panel(70_001, 1, missingShare: 0.05, seed: 5);
        AssertSameBits(SequentialReplicateMeans(values, 1, 9, seed: 17), ReplicateMeansOn(path, values, 1, 9));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void ReplicateChanges_EveryPath_SameBitsAsScalar(int columns)
    {
        // Rows of 4 × columns values: 4, 8, 12 and 20, below, at and off a multiple of eight lanes.
        var units = new Bootstrap.ChangeUnits(
            GridColumn(13 * columns, i => i % 5 == 0 ? Missing : 12.5 * (((i * 7) + 3) % 9)),
            GridColumn(13 * columns, i => i % 11 == 0 ? Missing : 12.5 * (((i * 5) + (i / 7)) % 9)),
            GridColumn(6 * columns, k => 12.5 * (((k * 4) + 1) % 9)),
            GridColumn(3 * columns, l => 12.5 * (((l * 2) + 5) % 9)),
            columns);
        double[] On(VectorPath path)
        {
            using (Kernels.ForcePath(path))
            {
                Assert.Equal(path, Kernels.Path);
                return units.ReplicateChanges(37, 3, maxDegreeOfParallelism: -1);
            }
        }
        var scalar = On(VectorPath.Scalar);
        AssertSameBits(scalar, On(VectorPath.Vector128));
        AssertSameBits(scalar, On(VectorPath.Vector256));
        AssertSameBits(scalar, On(VectorPath.Vector512));
    }

    [Fact]
    public void MeanIntervals_EveryPath_SameIntervals()
    {
        // Through the public entry point, on a panel of 4 000 collectivités × 9 themes: the same bits on every path.
        var values = Panel(4000, 9, missingShare: 0.05, seed: 2019);
        (double Low, double High)[] On(VectorPath path)
        {
            using (Kernels.ForcePath(path))
            {
                return Bootstrap.MeanIntervals(values, 9, 200, seed: 7);
            }
        }
        var scalar = On(VectorPath.Scalar).SelectMany(i => new[] { i.Low, i.High }).ToArray();
        foreach (var path in new[] { VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512 })
        {
            AssertSameBits(scalar, [.. On(path).SelectMany(i => new[] { i.Low, i.High })]);
        }
    }

    private static double[] ReplicateMeansOn(VectorPath path, double[] values, int columns, int replicates)
    {
        using (Kernels.ForcePath(path))
        {
            Assert.Equal(path, Kernels.Path);
            return Bootstrap.ReplicateMeans(values, columns, replicates, 17, maxDegreeOfParallelism: -1);
        }
    }
}
