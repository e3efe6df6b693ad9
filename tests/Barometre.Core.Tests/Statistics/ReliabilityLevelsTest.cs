using Barometre.Core.Statistics;

namespace Barometre.Core.Tests.Statistics;

/// <summary>
/// <see cref="Reliability.CronbachAlphaOfLevels"/> (integer means, no copy of the complete rows) against
/// <see cref="Reliability.CronbachAlpha"/> on the complete rows copied out as doubles: equal to the last bit.
/// </summary>
public sealed class ReliabilityLevelsTest
{
    [Theory]
    [InlineData(5000, 12, 3, 4, 5, 0.05, 1)]
    [InlineData(2000, 7, 0, 7, 5, 0.2, 2)]
    [InlineData(300, 6, 4, 2, 3, 0.0, 3)]
    [InlineData(40, 5, 1, 3, 11, 0.1, 4)]
    [InlineData(3, 4, 0, 4, 5, 0.0, 5)]
    [InlineData(10, 4, 0, 1, 5, 0.0, 6)]
    [InlineData(200, 4, 0, 4, 5, 0.9, 7)]
    public void CronbachAlphaOfLevels_EqualsCronbachAlphaOfCompleteRows(int rows, int rowLength, int first, int items, int levels, double missingShare, int seed)
    {
        var random = new Random(seed);
        var cells = new sbyte[rows * rowLength];
        for (var r = 0; r < rows; r++)
        {
            var maturity = random.Next(levels);
            for (var q = 0; q < rowLength; q++)
            {
                cells[(r * rowLength) + q] = random.NextDouble() < missingShare
                    ? (sbyte)-1
                    : (sbyte)Math.Clamp(maturity + random.Next(-1, 2), 0, levels - 1);
            }
        }
        var complete = new List<double>();
        for (var r = 0; r < rows; r++)
        {
            var slice = cells.AsSpan((r * rowLength) + first, items);
            if (!slice.ContainsAnyInRange(sbyte.MinValue, (sbyte)-1))
            {
                foreach (var cell in slice)
                {
                    complete.Add(cell);
                }
            }
        }
        var expected = Reliability.CronbachAlpha(complete.ToArray(), items);
        var actual = Reliability.CronbachAlphaOfLevels(cells, rowLength, first, items);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
    }

    [Fact]
    public void CronbachAlphaOfLevels_ItemsBeyondTheRow_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Reliability.CronbachAlphaOfLevels(new sbyte[12], 4, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reliability.CronbachAlphaOfLevels(new sbyte[12], 4, 0, 0));
    }
}
