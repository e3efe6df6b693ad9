using System.Globalization;
using System.Text;
using Barometre.Core.Responses;
using Barometre.Data.Import.Surveys;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Data.Import.LimeSurvey;

/// <summary>Responses converted from a LimeSurvey export, and what was set aside on the way, each with its reason.</summary>
/// <param name="Responses">The responses, on the draft's question ids (<see cref="ResponsesCsv.Write(Barometre.Core.Responses.ResponseSet, System.IO.Stream)"/> writes them as the wide CSV).</param>
/// <param name="Notes">Columns not carried over, responses set aside, names missing.</param>
public sealed record ConvertedResponses(ResponseSet Responses, IReadOnlyList<InputProblem> Notes);

/// <summary>
/// Reads a LimeSurvey response export (CSV, « Exporter les réponses ») for a <see cref="ModelDraft"/> made from the same
/// survey: a column per question, headed by its code (<c>G01Q02[SQ001]</c>), its Expression Manager code
/// (<c>Q06_1</c>), its SGQA name (<c>12175X2X5SQ001</c>) or its full text (<c>Question [Item]</c>); cells that hold the
/// answer's code or its full text. Each collectivité is its <c>code</c> column when the survey asked one, else its
/// token, else its response id; its name the <c>nom</c> column, else its code. Responses not submitted (an empty
/// <c>submitdate</c>) are set aside. All or nothing: every problem is reported with its line and column.
/// </summary>
public static class LimeSurveyResponses
{
    /// <summary>The largest export read (256 Mio), ten times a 40,000-collectivité panel of 200 questions.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>LimeSurvey exports with a comma, or the separator chosen: the header holds it most.</summary>
    private static readonly string[] Delimiters = [",", ";", "\t"];

    private static readonly string[] Bookkeeping = ["lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl"];

    /// <summary>Reads an export file.</summary>
    public static ImportResult<ConvertedResponses> Load(string path, ModelDraft draft) => SurveyFile.Load(path, stream => Read(stream, path, draft));

    /// <summary>Reads an export from a stream; <paramref name="source"/> names it in problems.</summary>
    public static ImportResult<ConvertedResponses> Read(Stream stream, string source, ModelDraft draft)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.ColumnsModel() is not { } model)
        {
            return Fail(new InputProblem(source, null, null, "aucune question de l'enquête n'est reprise dans le brouillon : il n'y a pas de réponse à convertir"));
        }
        if (stream.CanSeek && stream.Length > MaxBytes)
        {
            return Fail(new InputProblem(source, null, null, $"le fichier dépasse {MaxBytes / (1024 * 1024)} Mio"));
        }
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        var text = reader.ReadToEnd();
        var invalid = text.AsSpan().IndexOfAny('\uFFFD', '\0');
        if (invalid >= 0)
        {
            var line = 1 + text.AsSpan(0, invalid).Count('\n');
            var column = invalid - (invalid == 0 ? 0 : text.LastIndexOf('\n', invalid - 1) + 1) + 1;
            return Fail(new InputProblem(source, line, column, "le fichier n'est pas encodé en UTF-8 : exportez les réponses en UTF-8 depuis LimeSurvey"));
        }
        var headerEnd = text.IndexOf('\n', StringComparison.Ordinal);
        var header = headerEnd < 0 ? text : text[..headerEnd];
        var delimiter = Delimiters.OrderByDescending(d => header.Count(c => c == d[0])).First();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, BadDataFound = null, MissingFieldFound = null, DetectColumnCountChanges = false };
        using var parser = new CsvParser(new StringReader(text), configuration);
        return new Conversion(source, model, draft).Run(parser);
    }

    private static ImportResult<ConvertedResponses> Fail(InputProblem problem) => ImportResult.Failure<ConvertedResponses>([problem]);

    /// <summary>One conversion: the header's columns, then each record.</summary>
    private sealed class Conversion(string source, Core.Model.MaturityModel model, ModelDraft draft)
    {
        private readonly List<InputProblem> _problems = [];
        private readonly List<InputProblem> _notes = [];
        private readonly List<DraftQuestion> _questions = [.. draft.Questions];

        public ImportResult<ConvertedResponses> Run(CsvParser parser)
        {
            if (!parser.Read())
            {
                return Fail(new InputProblem(source, null, null, "le fichier est vide : exportez les réponses avec leur ligne d'en-tête"));
            }
            var header = parser.Record!;
            var byHeading = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var q = _questions.Count - 1; q >= 0; q--)
            {
                foreach (var heading in _questions[q].Headings)
                {
                    byHeading[heading] = q;
                }
            }
            var questionColumn = new int[_questions.Count];
            Array.Fill(questionColumn, -1);
            int code = -1, name = -1, type = -1, region = -1, population = -1, token = -1, id = -1, submitted = -1;
            var unknown = new List<string>();
            for (var j = 0; j < header.Length; j++)
            {
                var heading = header[j].Trim();
                switch (heading.ToLowerInvariant())
                {
                    case "code": code = j; continue;
                    case "nom": name = j; continue;
                    case "type": type = j; continue;
                    case "region": region = j; continue;
                    case "population": population = j; continue;
                    case "token": token = j; continue;
                    case "id": id = j; continue;
                    case "submitdate": submitted = j; continue;
                    case var fixedColumn when Bookkeeping.Contains(fixedColumn, StringComparer.Ordinal): continue;
                }
                if ((byHeading.TryGetValue(heading, out var q) || byHeading.TryGetValue(SurveyText.Plain(heading) ?? "", out q)) && questionColumn[q] < 0)
                {
                    questionColumn[q] = j;
                }
                else
                {
                    unknown.Add(heading);
                }
            }
            if (unknown.Count > 0)
            {
                _notes.Add(new InputProblem(source, 1, null, $"colonne(s) sans question du brouillon, non reprises : {SurveyText.List(unknown)}"));
            }
            var missing = _questions.Where((_, q) => questionColumn[q] < 0).Select(question => question.Code + " → " + question.Id).ToList();
            if (missing.Count > 0)
            {
                _notes.Add(new InputProblem(source, 1, null, $"question(s) sans colonne dans l'export, laissées sans réponse : {SurveyText.List(missing)}"));
            }
            var codeColumn = code >= 0 ? code : token >= 0 ? token : id;
            if (codeColumn < 0)
            {
                return Fail(new InputProblem(source, 1, null, "l'export n'a ni colonne « id » ni « token » ni « code » : exportez les réponses avec leur identifiant"));
            }
            if (name < 0)
            {
                _notes.Add(new InputProblem(source, 1, null, $"pas de colonne « nom » : chaque collectivité est nommée par son code (« {TextRules.Quote(header[codeColumn])} ») ; complétez la colonne nom du fichier de réponses"));
            }

            var respondents = new List<Respondent>();
            var cells = new List<sbyte>();
            var codes = new HashSet<string>(StringComparer.Ordinal);
            var setAside = new List<string>();
            var lastLine = 1;
            while (parser.Read())
            {
                var line = lastLine + 1;
                lastLine = parser.RawRow;
                var record = parser.Record!;
                string Field(int column) => column >= 0 && column < record.Length ? record[column].Trim() : "";
                if (record.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                // An anonymous survey has an empty token: the response id identifies the collectivité then.
                var rowCodeColumn = codeColumn == token && Field(token).Length == 0 && id >= 0 ? id : codeColumn;
                var respondentCode = Field(rowCodeColumn);
                if (submitted >= 0 && Field(submitted).Length == 0)
                {
                    setAside.Add(respondentCode);
                    continue;
                }
                if (Checked(respondentCode, line, rowCodeColumn, "Le code", FieldLimits.Code) is not { Length: > 0 } checkedCode)
                {
                    if (respondentCode.Length == 0)
                    {
                        _problems.Add(new InputProblem(source, line, rowCodeColumn + 1, $"« {TextRules.Quote(header[rowCodeColumn])} » vide : chaque réponse doit identifier sa collectivité"));
                    }
                    continue;
                }
                if (!codes.Add(checkedCode))
                {
                    _problems.Add(new InputProblem(source, line, rowCodeColumn + 1, $"la collectivité « {TextRules.Quote(checkedCode)} » a déjà une réponse plus haut dans le fichier"));
                    continue;
                }
                var respondentName = name >= 0 && Field(name).Length > 0 ? Checked(Field(name), line, name, "Le nom", FieldLimits.CollectiviteName) : checkedCode;
                respondents.Add(new Respondent(checkedCode, respondentName ?? "",
                    NullIfEmpty(Checked(Field(type), line, type, "Le type", FieldLimits.Name)),
                    Population(Field(population), line, population),
                    NullIfEmpty(Checked(Field(region), line, region, "La région", FieldLimits.Name))));
                for (var q = 0; q < _questions.Count; q++)
                {
                    cells.Add(Cell(_questions[q], Field(questionColumn[q]), line, questionColumn[q]));
                }
            }
            if (setAside.Count > 0)
            {
                _notes.Add(new InputProblem(source, null, null, $"{setAside.Count.ToString(CultureInfo.InvariantCulture)} réponse(s) non terminée(s) (submitdate vide) écartée(s) : {SurveyText.List(setAside)}"));
            }
            if (_problems.Count > 0)
            {
                return ImportResult.Failure<ConvertedResponses>(_problems);
            }
            return ImportResult.Success(new ConvertedResponses(new ResponseSet(model, respondents, cells.ToArray()), _notes));
        }

        /// <summary>An answer as a cell: empty (or N/A, or « Autre ») is no answer; a code or a label of the question's answers its cell.</summary>
        private sbyte Cell(DraftQuestion question, string value, int line, int column)
        {
            if (value.Length == 0 || value is "N/A" or "-oth-")
            {
                return CellCode.Blank;
            }
            if (question.Cells.TryGetValue(value, out var cell) || question.LabelCells.TryGetValue(SurveyText.Plain(value) ?? value, out cell))
            {
                return cell;
            }
            _problems.Add(new InputProblem(source, line, column + 1,
                $"question « {TextRules.Quote(question.Code)} » ({question.Id}) : « {TextRules.Quote(value)} » n'est ni un code ni un libellé de ses réponses ({SurveyText.List(question.Cells.Keys)})"));
            return CellCode.Blank;
        }

        private string? Checked(string value, int line, int column, string what, int maxLength)
        {
            if (TextRules.Problem(value, what, maxLength, multiline: false) is { } problem)
            {
                _problems.Add(new InputProblem(source, line, column + 1, problem));
                return null;
            }
            return value;
        }

        private long? Population(string value, int line, int column)
        {
            if (ResponsesCsv.TryParsePopulation(value, out var population))
            {
                return population;
            }
            _problems.Add(new InputProblem(source, line, column + 1, ResponsesCsv.PopulationProblem(value)));
            return null;
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
