using Barometre.Core.Results;

namespace Barometre.Core.Tests.Results;

public sealed class ChunkedBufferWriterTest
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((1 << 20) - 1)]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 5)]
    [InlineData(3_000_000)]
    public void CopyTo_FromAnyPosition_GivesTheBytesWritten(int start)
    {
        // Writes of uneven sizes, one larger than a chunk, asking for more room than they use.
        var expected = new List<byte>();
        var buffer = new ChunkedBufferWriter();
        var random = new Random(3);
        foreach (var size in new[] { 10, 70_000, 1_500_000, 3, 999_999, 600_000, 1 })
        {
            var span = buffer.GetSpan(size + 100);
            Assert.True(span.Length >= size + 100);
            for (var i = 0; i < size; i++)
            {
                span[i] = (byte)random.Next(256);
                expected.Add(span[i]);
            }
            buffer.Advance(size);
        }

        using var copy = new MemoryStream();
        buffer.CopyTo(copy, start);

        Assert.Equal(expected.Count, buffer.Length);
        Assert.Equal(expected.Skip(start).ToArray(), copy.ToArray());
    }

    [Fact]
    public void Advance_BeyondTheRoomGiven_Throws()
    {
        var buffer = new ChunkedBufferWriter();
        var room = buffer.GetMemory(10).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(room + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.CopyTo(Stream.Null, 1));
    }
}
