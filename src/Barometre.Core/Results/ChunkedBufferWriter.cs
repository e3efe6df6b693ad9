using System.Buffers;

namespace Barometre.Core.Results;

/// <summary>
/// Bytes written into memory in chunks of 1 MiB, never copied to grow (as <see cref="ArrayBufferWriter{T}"/> or a
/// <see cref="MemoryStream"/> would be, tens of megabytes at a time), then copied once to a stream.
/// </summary>
internal sealed class ChunkedBufferWriter : IBufferWriter<byte>
{
    private const int ChunkSize = 1 << 20;

    private readonly List<(byte[] Chunk, int Used)> _chunks = [];
    private byte[] _current = [];
    private int _used;

    /// <summary>Bytes written so far.</summary>
    public long Length { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _current.Length - _used);
        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_used);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_used);

    /// <summary>Copies the bytes from position <paramref name="start"/> on to <paramref name="destination"/>.</summary>
    public void CopyTo(Stream destination, long start)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, Length);
        foreach (var (chunk, used) in _chunks.Append((_current, _used)))
        {
            var skip = (int)Math.Min(start, used);
            destination.Write(chunk, skip, used - skip);
            start -= skip;
        }
    }

    private byte[] Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_current.Length - _used < needed)
        {
            if (_used > 0)
            {
                _chunks.Add((_current, _used));
            }
            _current = new byte[Math.Max(ChunkSize, needed)];
            _used = 0;
        }
        return _current;
    }
}
