using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Barometre.Core.Publication;

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
    public static BarometerResults Write(PendingResults pending, Stream stream) => PendingResultsWriter.Write(pending, stream);

    /// <summary>Writes results with a caller's writer (for example to embed them in a larger document).</summary>
    public static void Write(BarometerResults results, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        WriteUpToSilhouette(results, writer);
        WriteAfterSilhouette(results, writer);
    }

    internal static readonly JsonEncodedText SegmentsName = JsonEncodedText.Encode("segments");
    internal static readonly JsonEncodedText KName = JsonEncodedText.Encode("k");
    internal static readonly JsonEncodedText SilhouetteName = JsonEncodedText.Encode("silhouette");

    /// <summary>The document from its start to the segments' silhouette, included.</summary>
    internal static void WriteUpToSilhouette(BarometerResults results, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", results.SchemaVersion);
        writer.WriteString("referential", results.Referential);
        writer.WriteNumber("respondents", results.Respondents);
        WriteQuestions(writer, results.Questions, isSuppressed: null);
        WriteIndicators(writer, results.Indicators, isSuppressed: null);
        WriteThemes(writer, results.Themes, isSuppressed: null);
        WriteCorrelations(writer, results.Correlations, secretCells: null);

        writer.WriteStartObject(SegmentsName);
        writer.WriteNumber(KName, results.Segments.K);
        WriteNumber(writer, SilhouetteName, results.Segments.Silhouette);
    }

    /// <summary>The document after the segments' silhouette, to its end: the segments' groups and the respondents' scores.</summary>
    internal static void WriteAfterSilhouette(BarometerResults results, Utf8JsonWriter writer)
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

        WriteParameters(writer, results.Parameters);
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

    // The arrays and objects below are shared with the public writer (PublicResultsJson): the figures a secrecy
    // decision withholds read {"suppressed": true} there, never a zero; with no decision every figure is written.

    /// <summary>The <c>questions</c> array (<see cref="WriteQuestion"/>).</summary>
    internal static void WriteQuestions(Utf8JsonWriter writer, IReadOnlyList<QuestionResult> questions, Func<string, bool>? isSuppressed) =>
        WriteObjects(writer, "questions", questions, isSuppressed, WriteQuestion);

    /// <summary>The <c>indicators</c> array (<see cref="WriteIndicator"/>).</summary>
    internal static void WriteIndicators(Utf8JsonWriter writer, IReadOnlyList<IndicatorResult> indicators, Func<string, bool>? isSuppressed) =>
        WriteObjects(writer, "indicators", indicators, isSuppressed, WriteIndicator);

    /// <summary>The <c>themes</c> array (<see cref="WriteTheme"/>).</summary>
    internal static void WriteThemes(Utf8JsonWriter writer, IReadOnlyList<ThemeResult> themes, Func<string, bool>? isSuppressed) =>
        WriteObjects(writer, "themes", themes, isSuppressed, WriteTheme);

    /// <summary>The <c>correlations</c> object; a cell <paramref name="secretCells"/> marks reads suppressed.</summary>
    internal static void WriteCorrelations(Utf8JsonWriter writer, CorrelationResults correlations, bool[][]? secretCells)
    {
        writer.WriteStartObject("correlations");
        writer.WriteStartArray("themes");
        foreach (var id in correlations.Themes)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
        WriteMatrix(writer, "pearson", correlations.Pearson, secretCells);
        WriteMatrix(writer, "spearman", correlations.Spearman, secretCells);
        WriteMatrix(writer, "pValues", correlations.PValues, secretCells);
        writer.WriteEndObject();
    }

    /// <summary>The <c>parameters</c> object: what reproduces the results.</summary>
    internal static void WriteParameters(Utf8JsonWriter writer, ComputationParameters parameters)
    {
        writer.WriteStartObject("parameters");
        writer.WriteNumber("seed", parameters.Seed);
        writer.WriteNumber("bootstrap", parameters.Bootstrap);
        writer.WriteNumber("k", parameters.K);
        writer.WriteEndObject();
    }

    /// <summary>A question: its ids, then its distribution unless withheld.</summary>
    private static void WriteQuestion(Utf8JsonWriter writer, QuestionResult q, Func<string, bool>? isSuppressed)
    {
        writer.WriteString("id", q.Id);
        writer.WriteString("theme", q.Theme);
        if (!Withheld(writer, isSuppressed, FigureId.Question, q.Id))
        {
            writer.WriteNumber("answered", q.Answered);
            WriteArray(writer, "counts", q.Counts);
            WriteArray(writer, "shares", q.Shares);
            WriteArray(writer, "atLeast", q.AtLeast);
        }
    }

    /// <summary>A key indicator: its ids and predicate, then its figures unless its question's are withheld.</summary>
    private static void WriteIndicator(Utf8JsonWriter writer, IndicatorResult i, Func<string, bool>? isSuppressed)
    {
        writer.WriteString("id", i.Id);
        writer.WriteString("question", i.Question);
        writer.WriteString("predicate", i.Predicate);
        if (!Withheld(writer, isSuppressed, FigureId.Question, i.Question))
        {
            writer.WriteNumber("count", i.Count);
            writer.WriteNumber("answered", i.Answered);
            WriteNumber(writer, "value", i.Value);
            WriteInterval(writer, "ci95", i.Ci95);
            writer.WriteString("statement", i.Statement);
        }
    }

    /// <summary>A theme: its id and title, then its score figures unless withheld (its alpha may be withheld alone).</summary>
    private static void WriteTheme(Utf8JsonWriter writer, ThemeResult t, Func<string, bool>? isSuppressed)
    {
        writer.WriteString("id", t.Id);
        writer.WriteString("title", t.Title);
        if (Withheld(writer, isSuppressed, FigureId.Theme, t.Id))
        {
            return;
        }
        writer.WriteNumber("scored", t.Scored);
        WriteNumber(writer, "mean", t.Mean);
        WriteNumber(writer, "median", t.Median);
        WriteNumber(writer, "q1", t.Q1);
        WriteNumber(writer, "q3", t.Q3);
        WriteNumber(writer, "rank", t.Rank);
        if (isSuppressed is not null && isSuppressed(FigureId.Alpha(t.Id)))
        {
            WriteSuppressed(writer, "alpha");
        }
        else
        {
            WriteNumber(writer, "alpha", t.Alpha);
        }
        WriteInterval(writer, "ci95", t.Ci95);
    }

    /// <summary>An array of objects, one per item, each written by <paramref name="write"/>.</summary>
    private static void WriteObjects<T>(
        Utf8JsonWriter writer, string name, IReadOnlyList<T> items, Func<string, bool>? isSuppressed, Action<Utf8JsonWriter, T, Func<string, bool>?> write)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStartObject();
            write(writer, item, isSuppressed);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes <c>"suppressed": true</c> in place of an object's figures when the secrecy decision withholds the figure
    /// <paramref name="figureId"/>(<paramref name="id"/>); returns whether it did. Without a decision nothing is withheld.
    /// </summary>
    private static bool Withheld(Utf8JsonWriter writer, Func<string, bool>? isSuppressed, Func<string, string> figureId, string id)
    {
        if (isSuppressed is null || !isSuppressed(figureId(id)))
        {
            return false;
        }
        writer.WriteBoolean("suppressed", true);
        return true;
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

    internal static void WriteInterval(Utf8JsonWriter writer, string name, Interval interval)
    {
        writer.WriteStartArray(name);
        WriteNumberValue(writer, interval.Low);
        WriteNumberValue(writer, interval.High);
        writer.WriteEndArray();
    }

    private static void WriteMatrix(Utf8JsonWriter writer, string name, IReadOnlyList<IReadOnlyList<double?>> matrix, bool[][]? secretCells)
    {
        writer.WriteStartArray(name);
        for (var i = 0; i < matrix.Count; i++)
        {
            writer.WriteStartArray();
            for (var j = 0; j < matrix[i].Count; j++)
            {
                if (secretCells is not null && secretCells[i][j])
                {
                    writer.WriteStartObject();
                    writer.WriteBoolean("suppressed", true);
                    writer.WriteEndObject();
                }
                else
                {
                    WriteNumberValue(writer, matrix[i][j]);
                }
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
        using var numbers = new NumberTextCache();
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

    internal static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double? value)
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
}
