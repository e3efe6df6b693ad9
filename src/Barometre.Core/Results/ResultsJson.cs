using System.Text.Encodings.Web;
using System.Text.Json;

namespace Barometre.Core.Results;

/// <summary>
/// Reads and writes <see cref="BarometerResults"/> as the results JSON contract (camelCase, keys in
/// contract order, undefined values as null; see docs/results-schema.md).
/// </summary>
public static class ResultsJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
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

    /// <summary>Writes results with a caller's writer (for example to embed them in a larger document).</summary>
    public static void Write(BarometerResults results, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
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

        var segments = results.Segments;
        writer.WriteStartObject("segments");
        writer.WriteNumber("k", segments.K);
        WriteNumber(writer, "silhouette", segments.Silhouette);
        WriteNumber(writer, "inertia", segments.Inertia);
        writer.WriteStartArray("groups");
        foreach (var g in segments.Groups)
        {
            writer.WriteStartObject();
            writer.WriteString("label", g.Label);
            writer.WriteNumber("size", g.Size);
            WriteNumber(writer, "meanIndex", g.MeanIndex);
            WriteThemeMap(writer, "centroid", g.Centroid, themeIds);
            writer.WriteStartArray("members");
            foreach (var code in g.Members)
            {
                writer.WriteStringValue(code);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartArray("scores");
        foreach (var s in results.Scores)
        {
            writer.WriteStartObject();
            writer.WriteString("code", s.Code);
            writer.WriteString("nom", s.Nom);
            WriteString(writer, "type", s.Type);
            WriteNumber(writer, "index", s.Index);
            WriteThemeMap(writer, "themes", s.Themes, themeIds);
            WriteString(writer, "segment", s.Segment);
            writer.WriteEndObject();
        }
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

    private static void WriteThemeMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double?> values, IReadOnlyList<string> themeIds)
    {
        // Keys follow the model's theme order, not the dictionary's.
        writer.WriteStartObject(name);
        foreach (var id in themeIds)
        {
            if (values.TryGetValue(id, out var v))
            {
                WriteNumber(writer, id, v);
            }
        }
        writer.WriteEndObject();
    }
}
