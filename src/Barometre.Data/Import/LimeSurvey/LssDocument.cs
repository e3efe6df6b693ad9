using System.Xml;
using System.Xml.Linq;
using Barometre.Data.Import.Surveys;

namespace Barometre.Data.Import.LimeSurvey;

/// <summary>
/// The tables of a LimeSurvey structure export (.lss): each table's rows as column name → text, with the place of each
/// row in the file. Columns are looked up by name, a missing element or <c>&lt;col/&gt;</c> reading as empty
/// (../shared notes, FORMAT.md §1). The XML is read without DTD nor external entity.
/// </summary>
internal sealed class LssDocument
{
    /// <summary>The most characters an .lss may hold (64 Mi): a survey of a thousand questions in ten languages takes a few Mo.</summary>
    public const int MaxCharacters = 64 * 1024 * 1024;

    private readonly Dictionary<string, List<LssRow>> _tables;

    private LssDocument(string docType, XElement root, Dictionary<string, List<LssRow>> tables, Place rootPlace)
    {
        DocType = docType;
        Root = root;
        _tables = tables;
        Place = rootPlace;
    }

    public string DocType { get; }

    public XElement Root { get; }

    public Place Place { get; }

    /// <summary>The rows of a table; none when the file has no such table.</summary>
    public IReadOnlyList<LssRow> Rows(string table) => _tables.TryGetValue(table, out var rows) ? rows : [];

    public bool HasTable(string table) => _tables.ContainsKey(table);

    /// <summary>
    /// LimeSurvey 4 and later keep texts in <c>*_l10ns</c> tables; LimeSurvey's own importer tells the generations apart
    /// by whether <c>question_l10ns</c> has rows, not by DBVersion, and so does this.
    /// </summary>
    public bool HasL10nTables => Rows("question_l10ns").Count > 0;

    public static ImportResult<LssDocument> Read(Stream stream, string source)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            var message = e.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal) || e.Message.Contains("maximum", StringComparison.OrdinalIgnoreCase)
                ? $"le fichier dépasse {MaxCharacters / (1024 * 1024)} Mi caractères : une enquête LimeSurvey en fait quelques Mo au plus"
                : e.Message.Contains("DTD", StringComparison.Ordinal)
                    ? "le fichier déclare une DTD : un export LimeSurvey n'en a pas, et elle n'est pas lue"
                    : $"XML mal formé à cet endroit : ce n'est pas un export .lss intact ({TextRules.Quote(e.Message)})";
            return ImportResult.Failure<LssDocument>([new InputProblem(source, e.LineNumber > 0 ? e.LineNumber : null, e.LinePosition > 0 ? e.LinePosition : null, message)]);
        }
        var root = document.Root!;
        var rootPlace = At(source, root);
        if (root.Name.LocalName != "document")
        {
            return ImportResult.Failure<LssDocument>([rootPlace.Problem($"ce n'est pas un export LimeSurvey (.lss) : l'élément racine est « {TextRules.Quote(root.Name.LocalName)} », attendu « document »")]);
        }
        var docType = root.Element("LimeSurveyDocType")?.Value.Trim() ?? "";
        if (docType != "Survey")
        {
            var what = docType switch
            {
                "Group" => "un groupe de questions (.lsg)",
                "Question" => "une question (.lsq)",
                "Responses" => "des réponses (.lsr)",
                "" => "un document sans LimeSurveyDocType",
                _ => $"un document « {TextRules.Quote(docType)} »",
            };
            return ImportResult.Failure<LssDocument>([(root.Element("LimeSurveyDocType") is { } type ? At(source, type) : rootPlace).Problem(
                $"ce fichier est {what}, pas une enquête : exportez la structure de l'enquête (.lss) depuis LimeSurvey")]);
        }
        var tables = new Dictionary<string, List<LssRow>>(StringComparer.Ordinal);
        foreach (var table in root.Elements())
        {
            if (table.Element("rows") is not { } rows)
            {
                continue;
            }
            tables[table.Name.LocalName] = [.. rows.Elements("row").Select(row => new LssRow(
                row.Elements().GroupBy(col => col.Name.LocalName).ToDictionary(cols => cols.Key, cols => cols.First().Value, StringComparer.Ordinal),
                At(source, row)))];
        }
        return ImportResult.Success(new LssDocument(docType, root, tables, rootPlace));
    }

    private static Place At(string source, XObject node) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? new Place(source, info.LineNumber, info.LinePosition) : new Place(source, null, null);
}

/// <summary>A row of an .lss table and where it stands.</summary>
internal sealed record LssRow(IReadOnlyDictionary<string, string> Values, Place Place)
{
    /// <summary>A column's text, trimmed; empty when the column is missing.</summary>
    public string this[string column] => Values.TryGetValue(column, out var value) ? value.Trim() : "";

    /// <summary>A column's text as it is (texts keep their spaces until they are made plain).</summary>
    public string Raw(string column) => Values.TryGetValue(column, out var value) ? value : "";

    /// <summary>An integer column (ids, orders); null when missing or not an integer.</summary>
    public int? Integer(string column) =>
        int.TryParse(this[column], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
