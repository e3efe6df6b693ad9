using System.Text.Json;
using Barometre.Core.Model;
using Barometre.Core.Results;

namespace Barometre.Core.Evolution;

/// <summary>Writes <see cref="EvolutionResults"/> as <c>evolution.json</c> (docs/evolution-schema.md).</summary>
public static class EvolutionJson
{
    /// <summary>Writes the evolution as UTF-8 JSON (no BOM) to a stream.</summary>
    public static void Write(EvolutionResults evolution, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(evolution);
        using var writer = new Utf8JsonWriter(stream, ResultsJson.WriterOptions);
        Write(evolution, writer);
    }

    /// <summary>The evolution as a JSON string.</summary>
    public static string Serialize(EvolutionResults evolution)
    {
        using var stream = new MemoryStream();
        Write(evolution, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the evolution's object.</summary>
    public static void Write(EvolutionResults evolution, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(evolution);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", evolution.SchemaVersion);
        WriteEdition(writer, "before", evolution.Before);
        WriteEdition(writer, "after", evolution.After);
        writer.WriteNumber("overlap", evolution.Overlap);

        writer.WriteStartObject("index");
        WriteChange(writer, evolution.Index);
        writer.WriteEndObject();

        writer.WriteStartArray("themes");
        foreach (var theme in evolution.Themes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", theme.Id);
            writer.WriteString("title", theme.Title);
            ResultsJson.WriteString(writer, "beforeId", theme.BeforeId);
            writer.WriteStartArray("beforeIds");
            foreach (var id in theme.BeforeIds)
            {
                writer.WriteStringValue(id);
            }
            writer.WriteEndArray();
            writer.WriteBoolean("sameQuestions", theme.SameQuestions);
            writer.WriteStartObject("scored");
            writer.WriteNumber("before", theme.ScoredBefore);
            writer.WriteNumber("after", theme.ScoredAfter);
            writer.WriteEndObject();
            WriteChange(writer, theme.Change);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("indicators");
        foreach (var indicator in evolution.Indicators)
        {
            writer.WriteStartObject();
            writer.WriteString("id", indicator.Id);
            ResultsJson.WriteString(writer, "title", indicator.Title);
            writer.WriteString("beforeId", indicator.BeforeId);
            writer.WriteStartObject("answered");
            writer.WriteNumber("before", indicator.AnsweredBefore);
            writer.WriteNumber("after", indicator.AnsweredAfter);
            writer.WriteEndObject();
            WriteChange(writer, indicator.Change);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartObject("notComparable");
        WriteIds(writer, "before", evolution.NotComparable.Before);
        WriteIds(writer, "after", evolution.NotComparable.After);
        writer.WriteStartArray("reasons");
        WriteReasons(writer, "before", evolution.NotComparable.Before);
        WriteReasons(writer, "after", evolution.NotComparable.After);
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartArray("collectivites");
        foreach (var collectivite in evolution.Collectivites)
        {
            writer.WriteStartObject();
            writer.WriteString("code", collectivite.Code);
            writer.WriteString("nom", collectivite.Nom);
            WriteValue(writer, "index", collectivite.Index);
            writer.WriteStartObject("segment");
            ResultsJson.WriteString(writer, "before", collectivite.SegmentBefore);
            ResultsJson.WriteString(writer, "after", collectivite.SegmentAfter);
            writer.WriteEndObject();
            writer.WriteStartArray("themes");
            foreach (var theme in collectivite.Themes)
            {
                writer.WriteStartObject();
                writer.WriteString("id", theme.Id);
                WriteValueFields(writer, theme.Score);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartObject("parameters");
        writer.WriteNumber("seed", evolution.Parameters.Seed);
        writer.WriteNumber("bootstrap", evolution.Parameters.Bootstrap);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteEdition(Utf8JsonWriter writer, string name, EditionSummary edition)
    {
        writer.WriteStartObject(name);
        writer.WriteString("model", edition.Model);
        ResultsJson.WriteString(writer, "edition", edition.Edition);
        writer.WriteNumber("respondents", edition.Respondents);
        writer.WriteEndObject();
    }

    /// <summary>A change's fields: before, after, delta, ci95, paired, unpaired.</summary>
    private static void WriteChange(Utf8JsonWriter writer, MeasureChange change)
    {
        ResultsJson.WriteNumber(writer, "before", change.Before);
        ResultsJson.WriteNumber(writer, "after", change.After);
        ResultsJson.WriteNumber(writer, "delta", change.Delta);
        ResultsJson.WriteInterval(writer, "ci95", change.Ci95);
        WriteTest(writer, "paired", change.Paired);
        WriteTest(writer, "unpaired", change.Unpaired);
    }

    private static void WriteTest(Utf8JsonWriter writer, string name, ChangeTest test)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("n", test.N);
        writer.WriteString("test", test.Test);
        ResultsJson.WriteNumber(writer, "statistic", test.Statistic);
        ResultsJson.WriteNumber(writer, "pValue", test.PValue);
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, ValueChange value)
    {
        writer.WriteStartObject(name);
        WriteValueFields(writer, value);
        writer.WriteEndObject();
    }

    private static void WriteValueFields(Utf8JsonWriter writer, ValueChange value)
    {
        ResultsJson.WriteNumber(writer, "before", value.Before);
        ResultsJson.WriteNumber(writer, "after", value.After);
        ResultsJson.WriteNumber(writer, "delta", value.Delta);
    }

    private static void WriteIds(Utf8JsonWriter writer, string name, IReadOnlyList<NotComparable> measures)
    {
        writer.WriteStartArray(name);
        foreach (var measure in measures)
        {
            writer.WriteStringValue(measure.Id);
        }
        writer.WriteEndArray();
    }

    private static void WriteReasons(Utf8JsonWriter writer, string edition, IReadOnlyList<NotComparable> measures)
    {
        foreach (var measure in measures)
        {
            writer.WriteStartObject();
            writer.WriteString("edition", edition);
            writer.WriteString("kind", measure.Kind switch
            {
                MeasureKind.Theme => "theme",
                MeasureKind.Question => "question",
                _ => "indicator",
            });
            writer.WriteString("id", measure.Id);
            writer.WriteString("reason", measure.Reason);
            writer.WriteEndObject();
        }
    }
}
