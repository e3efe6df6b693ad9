using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Barometre.Core;

namespace Barometre.Data.Import;

/// <summary>
/// Splits CSV text into records and fields as CsvHelper's <c>CsvParser</c> does with the settings of the
/// wide CSV imports (RFC 4180 mode, <c>"</c> as quote and escape, no trimming, blank lines skipped, bad data
/// kept as written), but hands each field out as a span over its buffer instead of a new string. A quote inside
/// an unquoted field (« Ville dite "la belle" ») is kept, as spreadsheets and Python's csv module read it; only
/// a quote left open is an error, which the caller sees as a field running to the end of the text.
/// </summary>
/// <remarks>
/// A record without any quote, nearly every record of a real file, is split with vectorised searches: .NET's for its
/// end, and the vectors of <see cref="Kernels.Path"/> (taken when the reader is made) for its separators. A
/// record holding a quote goes through a character-by-character copy of CsvHelper's state machine, so that
/// quoted, multi-line and malformed fields keep the values and physical line numbers they always had; the
/// tests compare this reader with CsvHelper on many such inputs.
/// A record longer than <see cref="MaxRecordLength"/> characters (a quote left open in a large file, or a file that
/// is not CSV at all) ends the reading, so that memory never grows with the file (<see cref="OverlongRecordLine"/>).
/// </remarks>
internal sealed class CsvRecordReader
{
    /// <summary>
    /// The longest record read, in characters (1 Mi): a header of 4,000 question ids of 250 characters; a row
    /// of the wide CSV holds a few characters per question.
    /// </summary>
    public const int MaxRecordLength = 1 << 20;

    private const char Quote = '"';

    private static readonly SearchValues<char> LineEndOrQuote = SearchValues.Create("\r\n\"");

    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly SearchValues<char> _fieldEnds;
    private readonly VectorPath _path = Kernels.Path;
    private char[] _buffer;
    private int _length;
    private int _position;
    private int _recordStart;
    private bool _endOfText;

    private Field[] _fields = new Field[64];
    private char[] _unquoted = new char[256];
    private int _unquotedLength;

    /// <param name="reader">The text, read once, in large blocks.</param>
    /// <param name="delimiter">The field separator.</param>
    /// <param name="bufferSize">Initial buffer size in characters; the buffer grows to hold the longest record.</param>
    public CsvRecordReader(TextReader reader, char delimiter, int bufferSize = 1 << 15)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _delimiter = delimiter;
        _fieldEnds = SearchValues.Create([delimiter, '\r', '\n']);
        _buffer = new char[Math.Max(bufferSize, 16)];
    }

    /// <summary>The number of fields of the current record.</summary>
    public int Count { get; private set; }

    /// <summary>The physical line where the current record ends (1-based), as CsvHelper's <c>RawRow</c>.</summary>
    public int RawRow { get; private set; }

    /// <summary>The text of the current record, its line break included, as CsvHelper's <c>RawRecord</c>.</summary>
    public ReadOnlySpan<char> RawRecord => _buffer.AsSpan(_recordStart, _position - _recordStart);

    /// <summary>
    /// The physical line where a record longer than <see cref="MaxRecordLength"/> starts, once <see cref="Read"/>
    /// has stopped at it; null otherwise.
    /// </summary>
    public int? OverlongRecordLine { get; private set; }

    /// <summary>Whether the text ends inside a quoted field of the current record (its last): a quote left open.</summary>
    public bool QuoteLeftOpen { get; private set; }

    /// <summary>A field of the current record, unquoted; valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            ref readonly var field = ref _fields[index];
            return field.Unquoted ? _unquoted.AsSpan(field.Start, field.Length) : _buffer.AsSpan(field.Start, field.Length);
        }
    }

    /// <summary>
    /// Estimates how many records remain from the text's length in bytes and the length of the lines read
    /// ahead; never more than the text could hold with records of <paramref name="minimumRecordLength"/> characters.
    /// </summary>
    public int EstimateRecords(long textBytes, int minimumRecordLength)
    {
        var readAhead = _buffer.AsSpan(_position, _length - _position);
        var lines = readAhead.Count('\n');
        var estimate = lines == 0 ? 0 : textBytes * lines / Math.Max(readAhead.Length, 1);
        return (int)Math.Min(estimate + (estimate / 32) + 16, Math.Min(textBytes / Math.Max(minimumRecordLength, 1), Array.MaxLength / 256));
    }

    /// <summary>Reads the next record; false at the end of the text, or at a record too long to read (<see cref="OverlongRecordLine"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read()
    {
        RawRow++;
        Count = 0;
        _unquotedLength = 0;
        _recordStart = _position;
        // Nearly every record is a line without quotes that ends before the end of the buffer.
        if (_position < _length && _buffer[_position] is not ('\r' or '\n'))
        {
            var found = _buffer.AsSpan(_position, _length - _position).IndexOfAny(LineEndOrQuote);
            if (found >= 0 && _position + found + 1 < _length && _buffer[_position + found] != Quote)
            {
                var lineEnd = _position + found;
                SplitLine(_position, lineEnd);
                _position = lineEnd + (_buffer[lineEnd] == '\r' && _buffer[lineEnd + 1] == '\n' ? 2 : 1);
                return true;
            }
        }
        return ReadAnyRecord();
    }

    /// <summary>Reads the next record whatever it holds: blank lines, quotes, or a record cut by the end of the buffer.</summary>
    private bool ReadAnyRecord()
    {
        if (OverlongRecordLine is not null)
        {
            return false;
        }
        while (true)
        {
            _recordStart = _position;
            if (_position >= _length && !Fill())
            {
                return false;
            }
            var first = _buffer[_position];
            if (first is not ('\r' or '\n'))
            {
                break;
            }
            // A blank line: skipped, but counted as a physical line.
            if (first == '\r' && _position + 1 >= _length && !_endOfText)
            {
                Fill();
            }
            _position += first == '\r' && _position + 1 < _length && _buffer[_position + 1] == '\n' ? 2 : 1;
            RawRow++;
        }

        int found;
        while (true)
        {
            found = _buffer.AsSpan(_recordStart, _length - _recordStart).IndexOfAny(LineEndOrQuote);
            var needsMore = found < 0 || (_buffer[_recordStart + found] == '\r' && _recordStart + found + 1 == _length);
            if (!needsMore || !Fill())
            {
                break;
            }
        }
        if (OverlongRecordLine is not null)
        {
            return false;
        }
        if (found >= 0 && _buffer[_recordStart + found] == Quote)
        {
            return ReadRecordWithQuotes();
        }
        var lineEnd = found < 0 ? _length : _recordStart + found;
        SplitLine(_recordStart, lineEnd);
        _position = lineEnd;
        if (found >= 0)
        {
            _position += _buffer[lineEnd] == '\r' && lineEnd + 1 < _length && _buffer[lineEnd + 1] == '\n' ? 2 : 1;
        }
        return true;
    }

    /// <summary>Splits a line without quotes at each separator, comparing as many characters at a time as the path's vectors hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SplitLine(int start, int end)
    {
        // A line of n characters has at most n + 1 fields: room for all of them is made once.
        if (_fields.Length < end - start + 1)
        {
            _fields = new Field[Math.Max(_fields.Length * 2, end - start + 1)];
        }
        Count = _path switch
        {
            VectorPath.Vector512 => Split<Separators512>(start, end),
            VectorPath.Vector256 => Split<Separators256>(start, end),
            VectorPath.Vector128 => Split<Separators128>(start, end),
            _ => Split<NoVectors>(start, end),
        };
    }

    /// <summary>
    /// Compiles the separator search of <see cref="Kernels.Path"/>: a generic method, which precompiled (ReadyToRun)
    /// code holds only for 128-bit vectors, so that the first line of a file does not wait for its compilation.
    /// </summary>
    /// <returns>The method compiled, as <c>Type.Method</c>.</returns>
    internal static string PrepareSplit()
    {
        var mask = Kernels.Path switch
        {
            VectorPath.Vector512 => typeof(Separators512),
            VectorPath.Vector256 => typeof(Separators256),
            VectorPath.Vector128 => typeof(Separators128),
            _ => typeof(NoVectors),
        };
        var split = typeof(CsvRecordReader).GetMethod(nameof(Split), BindingFlags.NonPublic | BindingFlags.Instance)!;
        RuntimeHelpers.PrepareMethod(split.MethodHandle, [mask.TypeHandle]);
        return $"{nameof(CsvRecordReader)}.{nameof(Split)}<{mask.Name}>";
    }

    /// <summary>
    /// Splits with a mask of the separators among each <c>TWide.Width</c> characters, then among 8 (on a wider path),
    /// then one at a time: .NET's <c>IndexOf</c> per field would cost a call for each field of one or two characters.
    /// </summary>
    private int Split<TWide>(int start, int end)
        where TWide : struct, ISeparatorMask
    {
        var fields = _fields;
        var count = 0;
        var fieldStart = start;
        var position = start;
        var text = MemoryMarshal.Cast<char, ushort>(_buffer.AsSpan(0, end));
        var separator = (ushort)_delimiter;
        if (TWide.Width > 0)
        {
            for (; position + TWide.Width <= end; position += TWide.Width)
            {
                AddSeparators(TWide.Find(text[position..], separator), position, fields, ref count, ref fieldStart);
            }
        }
        if (TWide.Width > Separators128.Width)
        {
            for (; position + Separators128.Width <= end; position += Separators128.Width)
            {
                AddSeparators(Separators128.Find(text[position..], separator), position, fields, ref count, ref fieldStart);
            }
        }
        for (; position < end; position++)
        {
            if (text[position] == separator)
            {
                fields[count++] = new Field(fieldStart, position - fieldStart, unquoted: false);
                fieldStart = position + 1;
            }
        }
        fields[count++] = new Field(fieldStart, end - fieldStart, unquoted: false);
        return count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void AddSeparators(ulong found, int at, Field[] fields, ref int count, ref int fieldStart)
        {
            while (found != 0)
            {
                var separatorAt = at + BitOperations.TrailingZeroCount(found);
                fields[count++] = new Field(fieldStart, separatorAt - fieldStart, unquoted: false);
                fieldStart = separatorAt + 1;
                found &= found - 1;
            }
        }
    }

    /// <summary>Where the separator is among <see cref="Width"/> characters, one bit per character.</summary>
    private interface ISeparatorMask
    {
        /// <summary>The characters compared at once; 0 without vectors.</summary>
        static abstract int Width { get; }

        static abstract ulong Find(ReadOnlySpan<ushort> text, ushort separator);
    }

    private readonly struct Separators512 : ISeparatorMask
    {
        public static int Width => Vector512<ushort>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Find(ReadOnlySpan<ushort> text, ushort separator) =>
            Vector512.Equals(Vector512.Create(text), Vector512.Create(separator)).ExtractMostSignificantBits();
    }

    private readonly struct Separators256 : ISeparatorMask
    {
        public static int Width => Vector256<ushort>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Find(ReadOnlySpan<ushort> text, ushort separator) =>
            Vector256.Equals(Vector256.Create(text), Vector256.Create(separator)).ExtractMostSignificantBits();
    }

    private readonly struct Separators128 : ISeparatorMask
    {
        public static int Width => Vector128<ushort>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Find(ReadOnlySpan<ushort> text, ushort separator) =>
            Vector128.Equals(Vector128.Create(text), Vector128.Create(separator)).ExtractMostSignificantBits();
    }

    /// <summary>The scalar path: no mask, every character compared on its own.</summary>
    private readonly struct NoVectors : ISeparatorMask
    {
        public static int Width => 0;

        public static ulong Find(ReadOnlySpan<ushort> text, ushort separator) => throw new UnreachableException();
    }

    /// <summary>
    /// Reads a record holding a quote with CsvHelper's rules: a field is quoted only when its first character
    /// is a quote; inside it, <c>""</c> is a quote and line breaks belong to the field (and count as physical
    /// lines); a quote anywhere else makes the field « bad data », kept as written.
    /// </summary>
    private bool ReadRecordWithQuotes()
    {
        // The scan starts over from the record's start when the buffer runs out, so that refilling (which
        // moves the record to the start of the buffer) never leaves the scanner's state pointing into old text.
        while (!TryScanRecordWithQuotes())
        {
            if (!Fill() && OverlongRecordLine is not null)
            {
                return false;
            }
        }
        return true;
    }

    private bool TryScanRecordWithQuotes()
    {
        Count = 0;
        _unquotedLength = 0;
        var lines = 0;
        var position = _recordStart;
        var fieldStart = position;
        var fieldIsQuoted = false;
        var inQuotes = false;
        var isBad = false;
        var quoteCount = 0;
        var c = '\0';
        while (position < _length)
        {
            var previous = c;
            c = _buffer[position++];
            var isFirstCharOfField = fieldStart == position - 1;
            if (isFirstCharOfField)
            {
                fieldIsQuoted = c == Quote;
                if (!fieldIsQuoted)
                {
                    // An unquoted field runs to the next separator or line break, whatever quotes it holds.
                    var rest = _buffer.AsSpan(position - 1, _length - position + 1);
                    var fieldLength = rest.IndexOfAny(_fieldEnds);
                    if (fieldLength != 0)
                    {
                        fieldLength = fieldLength < 0 ? rest.Length : fieldLength;
                        isBad = rest[..fieldLength].Contains(Quote);
                        position += fieldLength - 1;
                        c = _buffer[position - 1];
                        continue;
                    }
                }
            }
            if (fieldIsQuoted)
            {
                if (c == Quote)
                {
                    quoteCount++;
                    if (!inQuotes && !isFirstCharOfField && previous != Quote)
                    {
                        isBad = true;
                    }
                    else if (!isBad)
                    {
                        inQuotes = !inQuotes;
                    }
                }
                if (inQuotes)
                {
                    if (c == '\r' || (c == '\n' && previous != '\r'))
                    {
                        lines++;
                    }
                    continue;
                }
            }
            else if (c == Quote)
            {
                isBad = true;
            }

            if (c == _delimiter)
            {
                AddProcessedField(fieldStart, position - 1 - fieldStart, quoteCount, isBad);
                fieldStart = position;
                quoteCount = 0;
                isBad = false;
                continue;
            }
            if (c is '\r' or '\n')
            {
                var end = position - 1;
                if (c == '\r')
                {
                    if (position >= _length && !_endOfText)
                    {
                        return false;
                    }
                    if (position < _length && _buffer[position] == '\n')
                    {
                        position++;
                    }
                }
                AddProcessedField(fieldStart, end - fieldStart, quoteCount, isBad);
                RawRow += lines;
                _position = position;
                return true;
            }
        }
        if (!_endOfText)
        {
            return false;
        }
        // The text ends inside the record (no final line break, or a quote left open): what is left is its last field.
        AddProcessedField(fieldStart, position - fieldStart, quoteCount, isBad);
        QuoteLeftOpen = inQuotes;
        RawRow += lines;
        _position = position;
        return true;
    }

    /// <summary>Adds a field with quotes and escapes removed as CsvHelper's <c>ProcessRFC4180Field</c> does.</summary>
    private void AddProcessedField(int start, int length, int quoteCount, bool isBad)
    {
        if (length == 0 || (!isBad && quoteCount == 0))
        {
            AddField(start, length, unquoted: false);
        }
        else if (isBad || _buffer[start + length - 1] != Quote || length == 1 || _buffer[start] != Quote)
        {
            AddBadField(start, length);
        }
        else if (quoteCount == 2)
        {
            AddField(start + 1, length - 2, unquoted: false);
        }
        else
        {
            var output = ReserveUnquoted(length);
            var written = 0;
            var inEscape = false;
            foreach (var c in _buffer.AsSpan(start + 1, length - 2))
            {
                if (inEscape)
                {
                    inEscape = false;
                }
                else if (c == Quote)
                {
                    inEscape = true;
                    continue;
                }
                output[written++] = c;
            }
            CommitUnquoted(written);
        }
    }

    /// <summary>A field with a stray quote, as CsvHelper's <c>ProcessRFC4180BadField</c>: kept as written unless it starts with a quote.</summary>
    private void AddBadField(int start, int length)
    {
        if (_buffer[start] != Quote)
        {
            AddField(start, length, unquoted: false);
            return;
        }
        var output = ReserveUnquoted(length);
        var written = 0;
        var inEscape = false;
        var doneProcessing = false;
        var c = '\0';
        foreach (var next in _buffer.AsSpan(start + 1, length - 1))
        {
            var previous = c;
            c = next;
            if (inEscape)
            {
                inEscape = false;
                if (c == Quote)
                {
                    continue;
                }
                if (previous == Quote)
                {
                    // A quote that escapes nothing closed the field: what follows is kept as written.
                    doneProcessing = true;
                }
            }
            if (c == Quote && !doneProcessing)
            {
                inEscape = true;
                continue;
            }
            output[written++] = c;
        }
        CommitUnquoted(written);
    }

    private Span<char> ReserveUnquoted(int length)
    {
        if (_unquotedLength + length > _unquoted.Length)
        {
            Array.Resize(ref _unquoted, Math.Max(_unquoted.Length * 2, _unquotedLength + length));
        }
        return _unquoted.AsSpan(_unquotedLength, length);
    }

    private void CommitUnquoted(int written)
    {
        AddField(_unquotedLength, written, unquoted: true);
        _unquotedLength += written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddField(int start, int length, bool unquoted)
    {
        if (Count == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }
        _fields[Count++] = new Field(start, length, unquoted);
    }

    /// <summary>
    /// Moves the current record to the start of the buffer (growing it when the record fills it) and reads
    /// more text after it; false at the end of the text, or when the record would outgrow <see cref="MaxRecordLength"/>.
    /// </summary>
    private bool Fill()
    {
        if (_endOfText || OverlongRecordLine is not null)
        {
            return false;
        }
        var kept = _length - _recordStart;
        if (_recordStart == 0 && _length == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordLength)
            {
                OverlongRecordLine = RawRow;
                return false;
            }
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, Math.Max(MaxRecordLength, _buffer.Length + 1)));
        }
        else if (_recordStart > 0)
        {
            Array.Copy(_buffer, _recordStart, _buffer, 0, kept);
            _position -= _recordStart;
            _recordStart = 0;
        }
        _length = kept;
        while (_length < _buffer.Length)
        {
            var read = _reader.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _endOfText = true;
                break;
            }
            _length += read;
        }
        return _length > kept;
    }

    private readonly struct Field(int start, int length, bool unquoted)
    {
        public readonly int Start = start;
        public readonly int Length = length;
        /// <summary>The field is in the buffer of unquoted fields, not in the text buffer.</summary>
        public readonly bool Unquoted = unquoted;
    }
}
