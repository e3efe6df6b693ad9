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
    /// <summary>The secrecy rule in one French sentence, as public results state it.</summary>
    /// <param name="threshold">The secrecy threshold N.</param>
    public static string SecrecyRule(int threshold) =>
        $"Aucun chiffre pour un groupe de moins de {threshold} collectivités, ni pour un groupe qu'une différence entre filtres révélerait.";

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
        writer.WriteString("rule", SecrecyRule(threshold));
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

        ResultsJson.WriteQuestions(writer, results.Questions, published.IsSuppressed);
        ResultsJson.WriteIndicators(writer, results.Indicators, published.IsSuppressed);
        ResultsJson.WriteThemes(writer, results.Themes, published.IsSuppressed);
        var ids = results.Correlations.Themes;
        ResultsJson.WriteCorrelations(writer, results.Correlations, Disclosure.SecretCorrelations(ids, published.IsSuppressed));

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

        ResultsJson.WriteParameters(writer, results.Parameters);
        writer.WriteEndObject();
        writer.Flush();
    }
}
