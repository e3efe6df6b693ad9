using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;

namespace Barometre.Data.Export.OpenData;

/// <summary>What the package says of itself besides its tables: who publishes it, when, and where it comes from.</summary>
public sealed record OpenDataMetadata
{
    /// <summary>The campaign the results are of (its id and name), or null for a results file.</summary>
    public (int Id, string Name)? Campaign { get; init; }

    /// <summary>
    /// When the results were published (the package's <c>created</c>), or null when unknown: never the clock, so that
    /// the same results give the same package byte for byte.
    /// </summary>
    public DateTime? Created { get; init; }

    /// <summary>Who produces the data (the organiser of the barometer), or null when unknown.</summary>
    public string? Producer { get; init; }

    /// <summary>The absolute address of the results on the web (the public dashboard), or null.</summary>
    public Uri? Homepage { get; init; }
}

/// <summary>
/// The open data of published results as a Frictionless Data Package: CSV tables (<see cref="OpenDataTables"/>) and
/// their descriptor, <c>datapackage.json</c>, with the Licence Ouverte 2.0, the model, the method and the secrecy
/// threshold. Built once from public views, so that the dashboard's secrecy is the package's; the command line and
/// the web serve the same bytes (docs/open-data.md).
/// </summary>
public sealed class OpenDataPackage
{
    /// <summary>The descriptor's file name.</summary>
    public const string DescriptorPath = "datapackage.json";

    /// <summary>The media type of the descriptor.</summary>
    public const string DescriptorMediaType = "application/json";

    /// <summary>The media type of the tables.</summary>
    public const string CsvMediaType = "text/csv";

    private static readonly JsonWriterOptions Json = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // A zip entry's date when the results have none: the earliest a zip can hold, the same on every run.
    private static readonly DateTimeOffset NoDate = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private OpenDataPackage(MaturityModel model, int threshold, ComputationParameters parameters, int? respondents, IReadOnlyList<FilterDecision> selections, List<OpenDataTable> tables)
    {
        Selections = selections;
        Model = model;
        Threshold = threshold;
        Parameters = parameters;
        Respondents = respondents;
        Tables = tables;
    }

    /// <summary>The model of the results.</summary>
    public MaturityModel Model { get; }

    /// <summary>The secrecy threshold N the tables were written under.</summary>
    public int Threshold { get; }

    /// <summary>The computation's parameters (seed, bootstrap replicates, k).</summary>
    public ComputationParameters Parameters { get; }

    /// <summary>The whole panel's respondents, or null when the panel itself is under secrecy.</summary>
    public int? Respondents { get; }

    /// <summary>The selections the package describes (<c>selections.csv</c>), whole panel first.</summary>
    public IReadOnlyList<FilterDecision> Selections { get; }

    /// <summary>The tables, in the descriptor's order.</summary>
    public IReadOnlyList<OpenDataTable> Tables { get; }

    /// <summary>
    /// The package of published results: every filter of <paramref name="plan"/> that holds someone, its figures read
    /// from <paramref name="viewOf"/> (the dashboard's views) unless the filter is under secrecy as a whole.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="parameters">The parameters the results were computed with.</param>
    /// <param name="plan">The secrecy plan of the panel.</param>
    /// <param name="viewOf">A filter's public figures (<see cref="Disclosure"/>), as the dashboard shows them.</param>
    /// <param name="cancellationToken">Stops between views.</param>
    public static async Task<OpenDataPackage> BuildAsync(
        MaturityModel model, ComputationParameters parameters, SecrecyPlan plan, Func<PanelFilter, CancellationToken, Task<PublicResults>> viewOf,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(viewOf);
        var views = new List<(FilterDecision, PublicResults?)>();
        foreach (var decision in plan.All.Where(d => d.Suppressed || d.Respondents > 0))
        {
            views.Add((decision, decision.Suppressed ? null : await viewOf(decision.Filter, cancellationToken).ConfigureAwait(false)));
        }
        var whole = plan.Decide(PanelFilter.WholePanel);
        return new OpenDataPackage(model, plan.Threshold, parameters, whole.Suppressed ? null : (int?)whole.Respondents, [.. views.Select(v => v.Item1)], OpenDataTables.Build(model, views));
    }

    /// <summary>
    /// The package of a panel's answers and its results, every filter of its secrecy plan at <paramref name="threshold"/>
    /// computed as the dashboard computes it (<see cref="Disclosure.ForFilter"/>).
    /// </summary>
    public static OpenDataPackage FromAnswers(ResponseSet responses, BarometerResults results, int threshold)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(results);
        var plan = SecrecyPlan.Build(responses, threshold);
        return BuildAsync(responses.Model, results.Parameters, plan,
            (filter, _) => Task.FromResult(Disclosure.ForFilter(responses, results, plan, filter))).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The package of a results file alone: the whole panel only (the filters need the answers), under the plan
    /// <see cref="SecrecyPlan.ForResults"/> decides, which is the dashboard's for the whole panel.
    /// </summary>
    public static OpenDataPackage FromResults(BarometerResults results, MaturityModel model, int threshold)
    {
        ArgumentNullException.ThrowIfNull(results);
        var plan = SecrecyPlan.ForResults(results, model, threshold);
        return BuildAsync(model, results.Parameters, plan,
            (filter, _) => Task.FromResult(Disclosure.Apply(results, plan.Decide(filter), threshold))).GetAwaiter().GetResult();
    }

    /// <summary>The table of that name (the file without <c>.csv</c>), or null.</summary>
    public OpenDataTable? Table(string name) => Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>The package's name: lower-case letters, digits and dashes, from the model and the campaign.</summary>
    public string Name(OpenDataMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var name = metadata.Campaign is { } campaign ? $"{Model.Id}-campagne-{campaign.Id.ToString(CultureInfo.InvariantCulture)}" : Model.Id;
        var safe = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '-')]);
        return "barometre-" + safe;
    }

    /// <summary>The descriptor, <c>datapackage.json</c> (UTF-8, indented).</summary>
    public byte[] Descriptor(OpenDataMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Json))
        {
            WriteDescriptor(writer, metadata);
        }
        return buffer.ToArray();
    }

    /// <summary>Every file of the package: the descriptor first, then the tables.</summary>
    public IReadOnlyList<(string Path, byte[] Content)> Files(OpenDataMetadata metadata) =>
        [(DescriptorPath, Descriptor(metadata)), .. Tables.Select(t => (t.Path, t.Content))];

    /// <summary>
    /// Writes the package as a zip archive of <see cref="Files"/>, the same bytes for the same results: fixed order, and
    /// every entry dated by <see cref="OpenDataMetadata.Created"/>.
    /// </summary>
    public void WriteZip(Stream stream, OpenDataMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(metadata);
        var date = metadata.Created is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Unspecified), TimeSpan.Zero) : NoDate;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (path, content) in Files(metadata))
        {
            var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
            entry.LastWriteTime = date;
            using var target = entry.Open();
            target.Write(content);
        }
    }

    private void WriteDescriptor(Utf8JsonWriter writer, OpenDataMetadata metadata)
    {
        var edition = Model.Edition is { } e ? $", édition {e}" : "";
        writer.WriteStartObject();
        writer.WriteString("profile", "tabular-data-package");
        writer.WriteString("name", Name(metadata));
        writer.WriteString("title", metadata.Campaign is { } campaign
            ? $"Baromètre de maturité numérique des collectivités — {campaign.Name} : résultats publiés"
            : $"Baromètre de maturité numérique des collectivités — {Model.Title}{edition} : résultats");
        writer.WriteString("description",
            $"Résultats agrégés du baromètre (référentiel « {Model.Title} »{edition}) pour l'ensemble du panel et chaque sélection par type de collectivité, "
            + "région et tranche de population : réponses par question et par niveau, indicateurs clés, scores des thèmes, segments. "
            + $"Secret statistique au seuil de {Threshold} collectivités : aucune réponse ni aucun score individuel, aucune collectivité nommée.");
        if (metadata.Homepage is { } homepage)
        {
            writer.WriteString("homepage", homepage.AbsoluteUri);
        }
        if (metadata.Created is { } created)
        {
            writer.WriteString("created", DateTime.SpecifyKind(created, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        writer.WriteStartArray("keywords");
        foreach (var keyword in (string[])["maturité numérique", "collectivités territoriales", "baromètre", "transformation numérique", "secret statistique"])
        {
            writer.WriteStringValue(keyword);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("licenses");
        writer.WriteStartObject();
        writer.WriteString("name", "etalab-2.0");
        writer.WriteString("path", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/");
        writer.WriteString("title", "Licence Ouverte / Open Licence version 2.0");
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (metadata.Producer is { } producer)
        {
            writer.WriteStartArray("contributors");
            writer.WriteStartObject();
            writer.WriteString("title", producer);
            writer.WriteString("role", "publisher");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        writer.WriteStartArray("sources");
        writer.WriteStartObject();
        writer.WriteString("title", metadata.Campaign is { } source
            ? $"Réponses des collectivités à la campagne « {source.Name} », figées à sa clôture"
            : "Réponses des collectivités au questionnaire du baromètre");
        if (metadata.Homepage is { } page)
        {
            writer.WriteString("path", page.AbsoluteUri);
        }
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("referentiel");
        writer.WriteString("id", Model.Id);
        writer.WriteString("titre", Model.Title);
        if (Model.Edition is { } modelEdition)
        {
            writer.WriteString("edition", modelEdition);
        }
        else
        {
            writer.WriteNull("edition");
        }
        writer.WriteEndObject();
        if (metadata.Campaign is { } c)
        {
            writer.WriteStartObject("campagne");
            writer.WriteNumber("id", c.Id);
            writer.WriteString("nom", c.Name);
            writer.WriteEndObject();
        }
        if (Respondents is { } respondents)
        {
            writer.WriteNumber("repondants", respondents);
        }
        else
        {
            writer.WriteNull("repondants");
        }
        writer.WriteStartObject("methode");
        writer.WriteString("description", Method());
        writer.WriteString("documentation", "Baromètre, docs/open-data.md (ce jeu de données), docs/results-schema.md (définition de chaque chiffre) et docs/publication.md (secret statistique)");
        writer.WriteNumber("graine", Parameters.Seed);
        writer.WriteNumber("bootstrap", Parameters.Bootstrap);
        writer.WriteNumber("segments", Parameters.K);
        writer.WriteEndObject();
        writer.WriteStartObject("secret_statistique");
        writer.WriteNumber("seuil", Threshold);
        writer.WriteString("regle", PublicResultsJson.SecrecyRule(Threshold));
        writer.WriteString("signalement", "Un chiffre sous secret statistique est une cellule vide, avec secret_statistique = true sur sa ligne ; jamais un zéro.");
        writer.WriteEndObject();

        writer.WriteStartArray("resources");
        foreach (var table in Tables)
        {
            WriteResource(writer, table);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private string Method() =>
        "Chaque collectivité du panel donne, pour chaque question du référentiel, un niveau de maturité (ou « ne sait pas », « non concerné », hors de tout dénominateur). "
        + "Le score d'un thème est la moyenne des niveaux renseignés ramenée de 0 à 100, défini quand au moins la moitié des questions du thème sont renseignées ; "
        + "l'indice global est la moyenne pondérée des scores de thème. Les indicateurs clés sont des parts avec leur intervalle de Wilson à 95 % ; "
        + $"l'intervalle du score moyen d'un thème est un bootstrap percentile à {Parameters.Bootstrap.ToString(CultureInfo.InvariantCulture)} rééchantillonnages ; "
        + $"les segments sont des k-moyennes (k = {Parameters.K.ToString(CultureInfo.InvariantCulture)}) sur les scores de thème. "
        + $"Chaque sélection est recalculée sur ses seules collectivités, avec la même graine ({Parameters.Seed.ToString(CultureInfo.InvariantCulture)}). "
        + "Le secret statistique est celui du tableau de bord : les chiffres qu'il masque sont vides ici.";

    private static void WriteResource(Utf8JsonWriter writer, OpenDataTable table)
    {
        writer.WriteStartObject();
        writer.WriteString("profile", "tabular-data-resource");
        writer.WriteString("name", table.Name);
        writer.WriteString("path", table.Path);
        writer.WriteString("title", table.Title);
        writer.WriteString("description", table.Description);
        writer.WriteString("format", "csv");
        writer.WriteString("mediatype", CsvMediaType);
        writer.WriteString("encoding", "utf-8");
        writer.WriteNumber("bytes", table.Content.Length);
        writer.WriteString("hash", "sha256:" + Convert.ToHexStringLower(SHA256.HashData(table.Content)));
        writer.WriteStartObject("dialect");
        writer.WriteString("delimiter", ",");
        writer.WriteString("lineTerminator", "\n");
        writer.WriteString("quoteChar", "\"");
        writer.WriteBoolean("doubleQuote", true);
        writer.WriteBoolean("header", true);
        writer.WriteEndObject();
        writer.WriteStartObject("schema");
        writer.WriteStartArray("fields");
        foreach (var field in table.Fields)
        {
            writer.WriteStartObject();
            writer.WriteString("name", field.Name);
            writer.WriteString("type", field.SchemaType);
            writer.WriteString("title", field.Title);
            writer.WriteString("description", field.Description);
            if (field.Type == OpenDataType.TrueFalse)
            {
                writer.WriteStartArray("trueValues");
                writer.WriteStringValue("true");
                writer.WriteEndArray();
                writer.WriteStartArray("falseValues");
                writer.WriteStringValue("false");
                writer.WriteEndArray();
            }
            if (field.Required)
            {
                writer.WriteStartObject("constraints");
                writer.WriteBoolean("required", true);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("missingValues");
        writer.WriteStringValue("");
        writer.WriteEndArray();
        WriteNames(writer, "primaryKey", table.PrimaryKey);
        if (table.ForeignKeys.Count > 0)
        {
            writer.WriteStartArray("foreignKeys");
            foreach (var key in table.ForeignKeys)
            {
                writer.WriteStartObject();
                WriteNames(writer, "fields", key.Fields);
                writer.WriteStartObject("reference");
                writer.WriteString("resource", key.Resource);
                WriteNames(writer, "fields", key.ReferencedFields);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNames(Utf8JsonWriter writer, string name, IReadOnlyList<string> names)
    {
        writer.WriteStartArray(name);
        foreach (var item in names)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }
}
