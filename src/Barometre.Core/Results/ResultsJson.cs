using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Barometre.Core.Results;

/// <summary>
/// Reads and writes <see cref="BarometerResults"/> as the results JSON contract (camelCase, keys in
/// contract order, undefined values as null; see docs/results-schema.md).
/// </summary>
public static class ResultsJson
{
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Results are data files, not HTML: keep « é » and « œ » readable instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes results as UTF-8 JSON (no BOM) to a stream.</summary>
    public static void Write(BarometerResults results, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        Write(results, writer);
    }

    /// <summary>The results as a JSON string.</summary>
    public static string Serialize(BarometerResults results)
    {
        using var buffer = new MemoryStream();
        Write(results, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Writes results whose silhouette is still being computed, as <see cref="Write(BarometerResults, Stream)"/> writes
    /// them once complete, byte for byte: everything after the silhouette — the segments' members and the
    /// respondents' scores, most of the document — is formatted meanwhile, into memory, then written after the rest.
    /// </summary>
    /// <returns>The complete results.</returns>
    public static BarometerResults Write(PendingResults pending, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(stream);
        var tail = new ChunkedBufferWriter();
        long tailStart;
        using (var tailWriter = new Utf8JsonWriter(tail, WriterOptions))
        {
            // The writer is brought to the state the document's writer is in right after the silhouette's value
            // (depth, indentation, a value just written), so that the bytes that follow are the same.
            tailWriter.WriteStartObject();
            tailWriter.WriteStartObject(SegmentsName);
            tailWriter.WriteNumber(KName, 0);
            tailWriter.WriteNumber(SilhouetteName, 0);
            tailWriter.Flush();
            tailStart = tail.Length;
            WriteAfterSilhouette(pending.Partial, tailWriter);
        }
        var results = pending.Complete();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            WriteUpToSilhouette(results, writer);
            writer.Flush();
        }
        tail.CopyTo(stream, tailStart);
        return results;
    }

    /// <summary>Writes results with a caller's writer (for example to embed them in a larger document).</summary>
    public static void Write(BarometerResults results, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        WriteUpToSilhouette(results, writer);
        WriteAfterSilhouette(results, writer);
    }

    private static readonly JsonEncodedText SegmentsName = JsonEncodedText.Encode("segments");
    private static readonly JsonEncodedText KName = JsonEncodedText.Encode("k");
    private static readonly JsonEncodedText SilhouetteName = JsonEncodedText.Encode("silhouette");

    /// <summary>The document from its start to the segments' silhouette, included.</summary>
    private static void WriteUpToSilhouette(BarometerResults results, Utf8JsonWriter writer)
    {
        var themeIds = results.Correlations.Themes;
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", results.SchemaVersion);
        writer.WriteString("referential", results.Referential);
        writer.WriteNumber("respondents", results.Respondents);

        writer.WriteStartArray("questions");
        foreach (var q in results.Questions)
        {
            writer.WriteStartObject();
            writer.WriteString("id", q.Id);
            writer.WriteString("theme", q.Theme);
            WriteQuestionFigures(writer, q);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("indicators");
        foreach (var i in results.Indicators)
        {
            writer.WriteStartObject();
            writer.WriteString("id", i.Id);
            writer.WriteString("question", i.Question);
            writer.WriteString("predicate", i.Predicate);
            WriteIndicatorFigures(writer, i);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("themes");
        foreach (var t in results.Themes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", t.Id);
            writer.WriteString("title", t.Title);
            WriteThemeFigures(writer, t, alphaSuppressed: false);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartObject("correlations");
        writer.WriteStartArray("themes");
        foreach (var id in themeIds)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
        WriteMatrix(writer, "pearson", results.Correlations.Pearson);
        WriteMatrix(writer, "spearman", results.Correlations.Spearman);
        WriteMatrix(writer, "pValues", results.Correlations.PValues);
        writer.WriteEndObject();

        writer.WriteStartObject(SegmentsName);
        writer.WriteNumber(KName, results.Segments.K);
        WriteNumber(writer, SilhouetteName, results.Segments.Silhouette);
    }

    /// <summary>The document after the segments' silhouette, to its end: the segments' groups and the respondents' scores.</summary>
    private static void WriteAfterSilhouette(BarometerResults results, Utf8JsonWriter writer)
    {
        var segments = results.Segments;
        var themeMaps = new ThemeMapWriter(results.Correlations.Themes, writer.Options.Encoder);
        WriteNumber(writer, "inertia", segments.Inertia);
        writer.WriteStartArray("groups");
        foreach (var g in segments.Groups)
        {
            writer.WriteStartObject();
            writer.WriteString("label", g.Label);
            writer.WriteNumber("size", g.Size);
            WriteNumber(writer, "meanIndex", g.MeanIndex);
            themeMaps.Write(writer, "centroid", g.Centroid);
            WriteMembers(writer, g.Members);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartArray("scores");
        WriteScores(writer, results.Scores, segments, themeMaps);
        writer.WriteEndArray();

        writer.WriteStartObject("parameters");
        writer.WriteNumber("seed", results.Parameters.Seed);
        writer.WriteNumber("bootstrap", results.Parameters.Bootstrap);
        writer.WriteNumber("k", results.Parameters.K);
        writer.WriteEndObject();
        writer.WriteStartArray("warnings");
        foreach (var warning in results.Warnings)
        {
            writer.WriteStringValue(warning);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Reads results JSON written by <see cref="Write(BarometerResults, Stream)"/> (or any writer of the contract).</summary>
    /// <exception cref="InvalidDataException">Not JSON, another schema version, or a member missing or of the wrong type.</exception>
    public static BarometerResults Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Fichier de résultats illisible : JSON invalide (ligne {e.LineNumber + 1}) : {e.Message}", e);
        }
        using (document)
        {
            try
            {
                return ReadResults(document.RootElement);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"Fichier de résultats non conforme au schéma {BarometerResults.CurrentSchemaVersion} : {e.Message}", e);
            }
        }
    }

    private static BarometerResults ReadResults(JsonElement root)
    {
        var version = root.GetProperty("schemaVersion").GetInt32();
        if (version != BarometerResults.CurrentSchemaVersion)
        {
            throw new InvalidDataException($"Schéma de résultats {version} non pris en charge (attendu : {BarometerResults.CurrentSchemaVersion}).");
        }
        var correlations = root.GetProperty("correlations");
        var segments = root.GetProperty("segments");
        var parameters = root.TryGetProperty("parameters", out var p)
            ? new ComputationParameters(p.GetProperty("seed").GetInt64(), p.GetProperty("bootstrap").GetInt32(), p.GetProperty("k").GetInt32())
            : new ComputationParameters(BarometerOptions.Default.Seed, BarometerOptions.Default.Bootstrap, segments.GetProperty("k").GetInt32());
        return new BarometerResults(
            version,
            root.GetProperty("referential").GetString()!,
            root.GetProperty("respondents").GetInt32(),
            [.. root.GetProperty("questions").EnumerateArray().Select(q => new QuestionResult(
                q.GetProperty("id").GetString()!,
                q.GetProperty("theme").GetString()!,
                q.GetProperty("answered").GetInt32(),
                [.. q.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32())],
                ReadNumbers(q.GetProperty("shares")),
                ReadNumbers(q.GetProperty("atLeast"))))],
            [.. root.GetProperty("indicators").EnumerateArray().Select(i => new IndicatorResult(
                i.GetProperty("id").GetString()!,
                i.GetProperty("question").GetString()!,
                i.GetProperty("predicate").GetString()!,
                i.GetProperty("count").GetInt32(),
                i.GetProperty("answered").GetInt32(),
                ReadNumber(i.GetProperty("value")),
                ReadInterval(i.GetProperty("ci95")),
                i.TryGetProperty("statement", out var s) ? s.GetString() ?? "" : ""))],
            [.. root.GetProperty("themes").EnumerateArray().Select(t => new ThemeResult(
                t.GetProperty("id").GetString()!,
                t.TryGetProperty("title", out var title) ? title.GetString()! : t.GetProperty("id").GetString()!,
                t.GetProperty("scored").GetInt32(),
                ReadNumber(t.GetProperty("mean")),
                ReadNumber(t.GetProperty("median")),
                ReadNumber(t.GetProperty("q1")),
                ReadNumber(t.GetProperty("q3")),
                t.GetProperty("rank").ValueKind == JsonValueKind.Null ? null : t.GetProperty("rank").GetInt32(),
                ReadNumber(t.GetProperty("alpha")),
                ReadInterval(t.GetProperty("ci95"))))],
            new CorrelationResults(
                [.. correlations.GetProperty("themes").EnumerateArray().Select(e => e.GetString()!)],
                ReadMatrix(correlations.GetProperty("pearson")),
                ReadMatrix(correlations.GetProperty("spearman")),
                ReadMatrix(correlations.GetProperty("pValues"))),
            new SegmentationResult(
                segments.GetProperty("k").GetInt32(),
                ReadNumber(segments.GetProperty("silhouette")),
                ReadNumber(segments.GetProperty("inertia")),
                [.. segments.GetProperty("groups").EnumerateArray().Select(g => new Segment(
                    g.GetProperty("label").GetString()!,
                    g.GetProperty("size").GetInt32(),
                    ReadNumber(g.GetProperty("meanIndex")),
                    ReadThemeMap(g.GetProperty("centroid")),
                    [.. g.GetProperty("members").EnumerateArray().Select(m => m.GetString()!)]))]),
            [.. root.GetProperty("scores").EnumerateArray().Select(s => new RespondentScore(
                s.GetProperty("code").GetString()!,
                s.GetProperty("nom").GetString()!,
                s.GetProperty("type").GetString(),
                ReadNumber(s.GetProperty("index")),
                ReadThemeMap(s.GetProperty("themes")),
                s.GetProperty("segment").GetString()))],
            parameters,
            root.TryGetProperty("warnings", out var w) ? [.. w.EnumerateArray().Select(e => e.GetString()!)] : []);
    }

    private static double? ReadNumber(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static double?[] ReadNumbers(JsonElement e) => [.. e.EnumerateArray().Select(ReadNumber)];

    private static Interval ReadInterval(JsonElement e)
    {
        var bounds = ReadNumbers(e);
        return bounds.Length == 2 ? new Interval(bounds[0], bounds[1]) : throw new FormatException("an interval has two bounds");
    }

    private static double?[][] ReadMatrix(JsonElement e) => [.. e.EnumerateArray().Select(ReadNumbers)];

    private static Dictionary<string, double?> ReadThemeMap(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => ReadNumber(p.Value), StringComparer.Ordinal);

    /// <summary>A question's distribution (shared with the public writer, which may withhold it).</summary>
    internal static void WriteQuestionFigures(Utf8JsonWriter writer, QuestionResult q)
    {
        writer.WriteNumber("answered", q.Answered);
        WriteArray(writer, "counts", q.Counts);
        WriteArray(writer, "shares", q.Shares);
        WriteArray(writer, "atLeast", q.AtLeast);
    }

    internal static void WriteIndicatorFigures(Utf8JsonWriter writer, IndicatorResult i)
    {
        writer.WriteNumber("count", i.Count);
        writer.WriteNumber("answered", i.Answered);
        WriteNumber(writer, "value", i.Value);
        WriteInterval(writer, "ci95", i.Ci95);
        writer.WriteString("statement", i.Statement);
    }

    /// <summary>A theme's score figures; the public writer may withhold its alpha alone.</summary>
    internal static void WriteThemeFigures(Utf8JsonWriter writer, ThemeResult t, bool alphaSuppressed)
    {
        writer.WriteNumber("scored", t.Scored);
        WriteNumber(writer, "mean", t.Mean);
        WriteNumber(writer, "median", t.Median);
        WriteNumber(writer, "q1", t.Q1);
        WriteNumber(writer, "q3", t.Q3);
        WriteNumber(writer, "rank", t.Rank);
        if (alphaSuppressed)
        {
            WriteSuppressed(writer, "alpha");
        }
        else
        {
            WriteNumber(writer, "alpha", t.Alpha);
        }
        WriteInterval(writer, "ci95", t.Ci95);
    }

    /// <summary>A withheld figure: <c>{"suppressed": true}</c>, never a zero.</summary>
    internal static void WriteSuppressed(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteBoolean("suppressed", true);
        writer.WriteEndObject();
    }

    internal static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    internal static void WriteNumberValue(Utf8JsonWriter writer, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<int> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }
        writer.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<double?> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            WriteNumberValue(writer, v);
        }
        writer.WriteEndArray();
    }

    private static void WriteInterval(Utf8JsonWriter writer, string name, Interval interval)
    {
        writer.WriteStartArray(name);
        WriteNumberValue(writer, interval.Low);
        WriteNumberValue(writer, interval.High);
        writer.WriteEndArray();
    }

    private static void WriteMatrix(Utf8JsonWriter writer, string name, IReadOnlyList<IReadOnlyList<double?>> matrix)
    {
        writer.WriteStartArray(name);
        foreach (var row in matrix)
        {
            writer.WriteStartArray();
            foreach (var v in row)
            {
                WriteNumberValue(writer, v);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }

    /// <summary>A segment's members: as many codes as respondents, hence their own optimised loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteMembers(Utf8JsonWriter writer, IReadOnlyList<string> members)
    {
        writer.WriteStartArray("members");
        foreach (var code in members)
        {
            writer.WriteStringValue(code);
            FlushWhenFull(writer);
        }
        writer.WriteEndArray();
    }

    /// <summary>One object per respondent: the bulk of the file, hence its own optimised loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteScores(Utf8JsonWriter writer, IReadOnlyList<RespondentScore> scores, SegmentationResult segments, ThemeMapWriter themeMaps)
    {
        // Property names and segment labels are encoded once, not once per respondent.
        var names = new ScoreNames(writer.Options.Encoder);
        var labels = segments.Groups.Select(g => g.Label).Distinct(StringComparer.Ordinal)
            .ToDictionary(label => label, label => JsonEncodedText.Encode(label, writer.Options.Encoder), StringComparer.Ordinal);
        using var numbers = new NumberTexts();
        foreach (var s in scores)
        {
            writer.WriteStartObject();
            writer.WriteString(names.Code, s.Code);
            writer.WriteString(names.Nom, s.Nom);
            WriteString(writer, names.Type, s.Type);
            numbers.Write(writer, names.Index, s.Index);
            themeMaps.Write(writer, names.Themes, s.Themes, numbers);
            if (s.Segment is not null && labels.TryGetValue(s.Segment, out var label))
            {
                writer.WriteString(names.Segment, label);
            }
            else
            {
                WriteString(writer, names.Segment, s.Segment);
            }
            writer.WriteEndObject();
            FlushWhenFull(writer);
        }
    }

    /// <summary>
    /// Hands what is written so far to the output in blocks: without it the writer would hold the whole
    /// document (tens of megabytes for a large panel) in a buffer grown by copies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FlushWhenFull(Utf8JsonWriter writer)
    {
        if (writer.BytesPending >= FlushThreshold)
        {
            writer.Flush();
        }
    }

    private const int FlushThreshold = 1 << 16;

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>
    /// Numbers as the writer formats them, each distinct number formatted once: a panel's theme scores take
    /// a few dozen values, its indexes a few thousand, over hundreds of thousands of figures.
    /// </summary>
    private sealed class NumberTexts : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _scratch = new(32);
        private readonly Utf8JsonWriter _formatter;
        private long[] _keys = new long[1024];
        private byte[]?[] _texts = new byte[1024][];
        private int _count;

        public NumberTexts()
        {
            _formatter = new Utf8JsonWriter(_scratch);
        }

        public void Dispose() => _formatter.Dispose();

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
            var slot = (int)((ulong)(key * -7046029254386353131L) >> 40) & mask;
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
            _keys = new long[keys.Length * 2];
            _texts = new byte[keys.Length * 2][];
            _count = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                if (texts[i] is { } text)
                {
                    var mask = _keys.Length - 1;
                    var slot = (int)((ulong)(keys[i] * -7046029254386353131L) >> 40) & mask;
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

    /// <summary>The property names of a respondent's scores, encoded as the writer would.</summary>
    private sealed class ScoreNames(JavaScriptEncoder? encoder)
    {
        public JsonEncodedText Code { get; } = JsonEncodedText.Encode("code", encoder);
        public JsonEncodedText Nom { get; } = JsonEncodedText.Encode("nom", encoder);
        public JsonEncodedText Type { get; } = JsonEncodedText.Encode("type", encoder);
        public JsonEncodedText Index { get; } = JsonEncodedText.Encode("index", encoder);
        public JsonEncodedText Themes { get; } = JsonEncodedText.Encode("themes", encoder);
        public JsonEncodedText Segment { get; } = JsonEncodedText.Encode("segment", encoder);
    }

    /// <summary>Writes theme maps with their keys in the given theme order, not the dictionary's.</summary>
    private sealed class ThemeMapWriter
    {
        private readonly IReadOnlyList<string> _themeIds;
        private readonly JsonEncodedText[] _names;
        private ThemeScoreTable? _table;
        private int[] _columns = [];

        public ThemeMapWriter(IReadOnlyList<string> themeIds, JavaScriptEncoder? encoder)
        {
            _themeIds = themeIds;
            _names = [.. themeIds.Select(id => JsonEncodedText.Encode(id, encoder))];
        }

        public void Write(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double?> values) =>
            Write(writer, JsonEncodedText.Encode(name, writer.Options.Encoder), values, numbers: null);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Write(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyDictionary<string, double?> values, NumberTexts? numbers)
        {
            writer.WriteStartObject(name);
            if (values is ThemeScoreRow row)
            {
                // Rows of one table share their themes: where each theme sits in them is looked up once.
                var columns = ColumnsOf(row.Table);
                for (var k = 0; k < _names.Length; k++)
                {
                    if (columns[k] >= 0)
                    {
                        var score = row.ScoreAt(columns[k]);
                        if (numbers is null)
                        {
                            WriteNumber(writer, _names[k], score);
                        }
                        else
                        {
                            numbers.Write(writer, _names[k], score);
                        }
                    }
                }
            }
            else
            {
                for (var k = 0; k < _names.Length; k++)
                {
                    if (values.TryGetValue(_themeIds[k], out var v))
                    {
                        WriteNumber(writer, _names[k], v);
                    }
                }
            }
            writer.WriteEndObject();
        }

        private int[] ColumnsOf(ThemeScoreTable table)
        {
            if (!ReferenceEquals(table, _table))
            {
                _columns = [.. _themeIds.Select(table.IndexOf)];
                _table = table;
            }
            return _columns;
        }
    }
}
