using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Barometre.Core.Results;

/// <summary>
/// Numbers as the writer formats them, each distinct number formatted once: a panel's theme scores take
/// a few dozen values, its indexes a few thousand, over hundreds of thousands of figures.
/// </summary>
internal sealed class NumberTextCache : IDisposable
{
    private readonly ArrayBufferWriter<byte> _scratch = new(32);
    private readonly Utf8JsonWriter _formatter;
    private int _bits = 10;
    private long[] _keys = new long[1 << 10];
    private byte[]?[] _texts = new byte[1 << 10][];
    private int _count;

    public NumberTextCache()
    {
        _formatter = new Utf8JsonWriter(_scratch);
    }

    public void Dispose() => _formatter.Dispose();

    /// <summary>Writes a property whose value is a number, or null when it is undefined (null or not finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(Text(v), skipInputValidation: true);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private byte[] Text(double value)
    {
        var key = BitConverter.DoubleToInt64Bits(value);
        var mask = _keys.Length - 1;
        var slot = FibonacciHash.Slot(key, _bits);
        while (_texts[slot] is { } text)
        {
            if (_keys[slot] == key)
            {
                return text;
            }
            slot = (slot + 1) & mask;
        }
        _scratch.ResetWrittenCount();
        _formatter.Reset(_scratch);
        _formatter.WriteNumberValue(value);
        _formatter.Flush();
        var formatted = _scratch.WrittenSpan.ToArray();
        _keys[slot] = key;
        _texts[slot] = formatted;
        if (++_count * 2 > _keys.Length)
        {
            Grow();
        }
        return formatted;
    }

    private void Grow()
    {
        var keys = _keys;
        var texts = _texts;
        _bits++;
        _keys = new long[1 << _bits];
        _texts = new byte[1 << _bits][];
        _count = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (texts[i] is { } text)
            {
                var mask = _keys.Length - 1;
                var slot = FibonacciHash.Slot(keys[i], _bits);
                while (_texts[slot] is not null)
                {
                    slot = (slot + 1) & mask;
                }
                _keys[slot] = keys[i];
                _texts[slot] = text;
                _count++;
            }
        }
    }
}
