using System.Text.Json;
using Barometre.Core.Publication;

namespace Barometre.Core.Results;

/// <summary>
/// The public results JSON (API, open data): the results schema without individual scores nor segment
/// members, with the filter and the secrecy threshold, and every suppressed figure written as
/// <c>{"suppressed": true}</c> (never as a zero). See docs/results-schema.md.
/// </summary>
public static class PublicResultsJson
{
    /// <summary>Writes public results.</summary>
    /// <param name="stream">Where to write (UTF-8).</param>
    /// <param name="published">The results with the secrecy decision applied (<see cref="Disclosure.Apply"/>).</param>
    /// <param name="campaign">The campaign's id and name, or null outside a campaign.</param>
    /// <param name="threshold">The secrecy threshold N.</param>
    public static void Write(Stream stream, PublicResults published, (int Id, string Name)? campaign, int threshold)
    {
        ArgumentNullException.ThrowIfNull(published);
        using var writer = new Utf8JsonWriter(stream, ResultsJson.WriterOptions);
        var results = published.Results;
        var decision = published.Decision;
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", results.SchemaVersion);
        writer.WriteString("referential", results.Referential);
        if (campaign is { } c)
        {
            writer.WriteStartObject("campaign");
            writer.WriteNumber("id", c.Id);
            writer.WriteString("name", c.Name);
            writer.WriteEndObject();
        }
        writer.WriteStartObject("filter");
        ResultsJson.WriteString(writer, "type", decision.Filter.Type);
        ResultsJson.WriteString(writer, "region", decision.Filter.Region);
        ResultsJson.WriteString(writer, "populationBand", decision.Filter.PopulationBand);
        writer.WriteString("label", decision.Filter.Describe());
        writer.WriteEndObject();
        writer.WriteStartObject("secrecy");
        writer.WriteNumber("threshold", threshold);
        writer.WriteString("rule", $"Aucun chiffre pour un groupe de moins de {threshold} collectivités, ni pour un groupe qu'une différence entre filtres révélerait.");
        writer.WriteEndObject();
        if (decision.Suppressed)
        {
            writer.WriteNull("respondents");
            writer.WriteBoolean("suppressed", true);
            writer.WriteString("reason", "secret statistique");
            writer.WriteEndObject();
            writer.Flush();
            return;
        }
        writer.WriteNumber("respondents", results.Respondents);
        writer.WriteBoolean("suppressed", false);

        writer.WriteStartArray("questions");
        foreach (var q in results.Questions)
        {
            writer.WriteStartObject();
            writer.WriteString("id", q.Id);
            writer.WriteString("theme", q.Theme);
            if (published.IsSuppressed(FigureId.Question(q.Id)))
            {
                writer.WriteBoolean("suppressed", true);
            }
            else
            {
                ResultsJson.WriteQuestionFigures(writer, q);
            }
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
            if (published.IsSuppressed(FigureId.Question(i.Question)))
            {
                writer.WriteBoolean("suppressed", true);
            }
            else
            {
                ResultsJson.WriteIndicatorFigures(writer, i);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("themes");
        foreach (var t in results.Themes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", t.Id);
            writer.WriteString("title", t.Title);
            if (published.IsSuppressed(FigureId.Theme(t.Id)))
            {
                writer.WriteBoolean("suppressed", true);
            }
            else
            {
                ResultsJson.WriteThemeFigures(writer, t, published.IsSuppressed(FigureId.Alpha(t.Id)));
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        var ids = results.Correlations.Themes;
        writer.WriteStartObject("correlations");
        writer.WriteStartArray("themes");
        foreach (var id in ids)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
        var secretCells = Disclosure.SecretCorrelations(ids, published.IsSuppressed);
        foreach (var (name, matrix) in new[] { ("pearson", results.Correlations.Pearson), ("spearman", results.Correlations.Spearman), ("pValues", results.Correlations.PValues) })
        {
            writer.WriteStartArray(name);
            for (var i = 0; i < ids.Count; i++)
            {
                writer.WriteStartArray();
                for (var j = 0; j < ids.Count; j++)
                {
                    if (secretCells[i][j])
                    {
                        writer.WriteStartObject();
                        writer.WriteBoolean("suppressed", true);
                        writer.WriteEndObject();
                    }
                    else
                    {
                        ResultsJson.WriteNumberValue(writer, matrix[i][j]);
                    }
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();

        var segments = results.Segments;
        writer.WriteStartObject("segments");
        writer.WriteNumber("k", segments.K);
        ResultsJson.WriteNumber(writer, "silhouette", segments.Silhouette);
        ResultsJson.WriteNumber(writer, "inertia", segments.Inertia);
        writer.WriteStartArray("groups");
        foreach (var g in segments.Groups)
        {
            writer.WriteStartObject();
            writer.WriteString("label", g.Label);
            if (published.IsSuppressed(Disclosure.SegmentPrefix + g.Label))
            {
                writer.WriteBoolean("suppressed", true);
            }
            else
            {
                writer.WriteNumber("size", g.Size);
                ResultsJson.WriteNumber(writer, "meanIndex", g.MeanIndex);
                writer.WriteStartObject("centroid");
                foreach (var id in ids)
                {
                    if (published.IsSuppressed(FigureId.Theme(id)))
                    {
                        ResultsJson.WriteSuppressed(writer, id);
                    }
                    else
                    {
                        ResultsJson.WriteNumber(writer, id, g.Centroid.GetValueOrDefault(id));
                    }
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartObject("parameters");
        writer.WriteNumber("seed", results.Parameters.Seed);
        writer.WriteNumber("bootstrap", results.Parameters.Bootstrap);
        writer.WriteNumber("k", results.Parameters.K);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }
}
