using System.Globalization;
using System.Text;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Data.Import;

/// <summary>
/// Imports a panel's answers from the wide CSV: <c>code</c>, <c>nom</c>, optional <c>type</c>,
/// <c>population</c>, <c>region</c>, then one column per question id in any order.
/// </summary>
/// <remarks>
/// UTF-8 with an optional BOM; the separator is <c>;</c> when the header line holds more <c>;</c> than
/// <c>,</c>, else <c>,</c>. A cell is a level 0..L−1, empty (no answer), <c>NSP</c> or <c>NC</c>
/// (any case); blanks around cells and names are ignored. The file is read as a stream, once; every
/// problem is reported with its line (the physical line where the record ends), column (1-based
/// position, with its name) and value, and nothing is returned unless the whole file is valid.
/// </remarks>
public static class ResponsesCsv
{
    /// <summary>The identification columns, in the order they are written.</summary>
    public static IReadOnlyList<string> MetadataColumns { get; } = ["code", "nom", "type", "population", "region"];

    private const int CodeRole = -1, NameRole = -2, TypeRole = -3, PopulationRole = -4, RegionRole = -5, EmailRole = -6, UnknownRole = -9;

    /// <summary>Imports responses to <paramref name="model"/> from a file.</summary>
    public static ImportResult<ResponseSet> Load(string path, MaturityModel model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ImportResult.Failure<ResponseSet>([new InputProblem(path, null, null, $"lecture impossible : {e.Message}")]);
        }
        using (stream)
        {
            return Read(stream, path, model);
        }
    }

    /// <summary>Imports responses to <paramref name="model"/> from a stream; <paramref name="source"/> names it in problems.</summary>
    public static ImportResult<ResponseSet> Read(Stream stream, string source, MaturityModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var table = ReadTable(stream, source, model, allowEmail: false);
        return table.Value is { } read
            ? ImportResult.Success(new ResponseSet(model, read.Rows.Select(row => row.Respondent), read.Cells))
            : ImportResult.Failure<ResponseSet>(table.Problems, table.ProblemCount);
    }

    /// <summary>
    /// Reads a wide CSV: the identification columns (and <c>email</c> when allowed), then, with a model,
    /// one column per question; without a model, no question column. Shared by the responses and the
    /// panel imports so that both report problems the same way.
    /// </summary>
    internal static ImportResult<WideTable> ReadTable(Stream stream, string source, MaturityModel? model, bool allowEmail)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var problems = new Problems(source);
        // Bytes that are not UTF-8 decode to U+FFFD, which every field is checked for: a Latin-1 export is
        // refused with the line and column of its first accent, not silently garbled.
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        var header = ReadFirstLine(text);
        if (header is null || string.IsNullOrWhiteSpace(header))
        {
            problems.Add(1, null, "fichier vide : la première ligne doit nommer les colonnes (code, nom, puis une colonne par question)");
            return problems.ToFailure();
        }
        var delimiter = header.Count(c => c == ';') > header.Count(c => c == ',') ? ";" : ",";
        using var replay = new PrefixedReader(header + "\n", text);
        return ReadRecords(replay, delimiter, new Layout(model, allowEmail), problems);
    }

    /// <summary>What columns a wide CSV may have.</summary>
    private sealed record Layout(MaturityModel? Model, bool AllowEmail)
    {
        public IEnumerable<string> MetadataColumns => AllowEmail ? [.. ResponsesCsv.MetadataColumns, "email"] : ResponsesCsv.MetadataColumns;
    }

    private static ImportResult<WideTable> ReadRecords(TextReader reader, string delimiter, Layout layout, Problems problems)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            // A quote inside an unquoted field (« Ville dite "la belle" ») is kept as written, as
            // spreadsheets and Python's csv module read it; only a quote left open is an error.
            BadDataFound = null,
        };
        using var parser = new CsvParser(reader, configuration);
        if (!parser.Read())
        {
            problems.Add(1, null, "fichier vide : la première ligne doit nommer les colonnes");
            return problems.ToFailure();
        }
        CheckEncoding(parser, 1, problems);
        var roles = ReadHeader(parser, layout, problems);
        var hasHeaderProblem = problems.Count > 0;

        var model = layout.Model;
        var q = model?.Questions.Count ?? 0;
        var max = model?.Scale.MaxLevel ?? 0;
        var rows = new List<WideRow>();
        var cells = new List<sbyte>();
        var row = new sbyte[q];
        var firstLineOfCode = new Dictionary<string, int>(StringComparer.Ordinal);
        while (parser.Read())
        {
            var line = parser.RawRow;
            if (!CheckEncoding(parser, line, problems))
            {
                continue;
            }
            if (parser.Count != roles.Length)
            {
                var (problemLine, message) = FieldCountProblem(parser, roles.Length, delimiter, line);
                problems.Add(problemLine, null, message);
                continue;
            }
            string? code = null, name = null, type = null, region = null, email = null;
            long? population = null;
            Array.Fill(row, Answer.Blank);
            for (var j = 0; j < roles.Length; j++)
            {
                var role = roles[j];
                switch (role)
                {
                    case >= 0:
                        var value = parser[j].AsSpan().Trim();
                        if (!TryParseCell(value, max, out row[role]))
                        {
                            problems.Add(line, j + 1, $"colonne {model!.Questions[role].Id} : valeur « {Shorten(parser[j])} » invalide (attendu : un niveau de 0 à {max}, vide, NSP ou NC)");
                        }
                        break;
                    case CodeRole:
                        code = parser[j].Trim();
                        break;
                    case NameRole:
                        name = parser[j].Trim();
                        break;
                    case TypeRole:
                        type = NullIfEmpty(parser[j]);
                        break;
                    case RegionRole:
                        region = NullIfEmpty(parser[j]);
                        break;
                    case PopulationRole:
                        population = ParsePopulation(parser[j], line, j + 1, problems);
                        break;
                    case EmailRole:
                        email = ParseEmail(parser[j], line, j + 1, problems);
                        break;
                }
            }
            if (code is not null)
            {
                if (code.Length == 0)
                {
                    problems.Add(line, Array.IndexOf(roles, CodeRole) + 1, "code vide : chaque collectivité a un code unique");
                }
                else if (!firstLineOfCode.TryAdd(code, line))
                {
                    problems.Add(line, Array.IndexOf(roles, CodeRole) + 1, $"code « {code} » en double (déjà ligne {firstLineOfCode[code]})");
                }
            }
            if (problems.Count == 0 && !hasHeaderProblem)
            {
                rows.Add(new WideRow(new Respondent(code!, name ?? "", type, population, region), email, line));
                cells.AddRange(row);
            }
        }
        if (problems.Count > 0)
        {
            return problems.ToFailure();
        }
        if (rows.Count == 0)
        {
            problems.Add(null, null, "aucune collectivité : le fichier n'a que sa ligne d'en-tête");
            return problems.ToFailure();
        }
        return ImportResult.Success(new WideTable(rows, [.. cells]));
    }

    /// <summary>Reports the first field holding bytes that were not UTF-8 (decoded as U+FFFD); false when the record has one.</summary>
    private static bool CheckEncoding(CsvParser parser, int line, Problems problems)
    {
        for (var j = 0; j < parser.Count; j++)
        {
            if (parser[j].Contains('\uFFFD', StringComparison.Ordinal))
            {
                problems.AddEncodingProblem(line, j + 1, Shorten(parser[j]));
                return false;
            }
        }
        return true;
    }

    private static (int Line, string Message) FieldCountProblem(CsvParser parser, int expected, string delimiter, int line)
    {
        var multiLine = Enumerable.Range(0, parser.Count).FirstOrDefault(j => parser[j].Contains('\n', StringComparison.Ordinal), -1);
        if (multiLine >= 0)
        {
            // A field running over several lines with the wrong field count is almost always a quote left
            // open; it then swallows the file's last line break, which the parser counts as one more line.
            var field = parser[multiLine];
            var lastLine = field.EndsWith('\n') ? line - 1 : line;
            var firstLine = lastLine - parser.RawRecord.TrimEnd('\r', '\n').Count(c => c == '\n');
            return (firstLine, $"guillemet ouvert et jamais refermé : le champ « {Shorten(field.Trim().ReplaceLineEndings(" "))} » court jusqu'à la ligne {lastLine}");
        }
        return (line, $"{parser.Count} champs alors que l'en-tête a {expected} colonnes (séparateur « {delimiter} » ; un champ contenant « {delimiter} » doit être entre guillemets)");
    }

    /// <summary>Maps each file column to a metadata role or a question index, reporting unknown, duplicated and missing columns.</summary>
    private static int[] ReadHeader(CsvParser parser, Layout layout, Problems problems)
    {
        var model = layout.Model;
        var roles = new int[parser.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < roles.Length; j++)
        {
            var name = parser[j].Trim();
            roles[j] = name switch
            {
                "code" => CodeRole,
                "nom" => NameRole,
                "type" => TypeRole,
                "population" => PopulationRole,
                "region" => RegionRole,
                "email" when layout.AllowEmail => EmailRole,
                _ => model?.IndexOfQuestion(name) is >= 0 and var index ? index : UnknownRole,
            };
            if (roles[j] == UnknownRole)
            {
                problems.Add(1, j + 1, name.Length == 0
                    ? "colonne sans nom"
                    : model is null
                        ? $"colonne inconnue « {name} » : un fichier de panel a les colonnes {string.Join(", ", layout.MetadataColumns)}"
                        : $"colonne inconnue « {name} » : ni une colonne d'identification ({string.Join(", ", layout.MetadataColumns)}) ni une question du référentiel {model.Id}{Suggestion(name, model)}");
            }
            else if (!seen.TryAdd(name, j + 1))
            {
                problems.Add(1, j + 1, $"colonne « {name} » en double (déjà colonne {seen[name]})");
            }
        }
        var missing = MetadataColumns.Take(2).Concat(model?.Questions.Select(question => question.Id) ?? []).Where(name => !seen.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(1, null, $"colonne(s) manquante(s) : {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? $" (et {missing.Count - 20} autres)" : "")}");
        }
        return roles;
    }

    private static string Suggestion(string name, MaturityModel model)
    {
        var close = model.Questions.Select(question => question.Id)
            .FirstOrDefault(id => string.Equals(id, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(id.Replace('_', '-'), name.Replace('_', '-'), StringComparison.OrdinalIgnoreCase));
        return close is null ? "" : $" (vouliez-vous dire « {close} » ?)";
    }

    /// <summary>
    /// Writes responses as the wide CSV (comma-separated, UTF-8 without BOM): the identification columns,
    /// then one column per question in model order. Reading the file back gives the same responses.
    /// </summary>
    public static void Write(ResponseSet responses, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(responses);
        using var text = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
        foreach (var column in MetadataColumns.Concat(responses.Model.Questions.Select(question => question.Id)))
        {
            csv.WriteField(column);
        }
        csv.NextRecord();
        for (var r = 0; r < responses.Count; r++)
        {
            var respondent = responses.Respondents[r];
            csv.WriteField(respondent.Code);
            csv.WriteField(respondent.Name);
            csv.WriteField(respondent.Type ?? "");
            csv.WriteField(respondent.Population?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(respondent.Region ?? "");
            foreach (var cell in responses.Row(r))
            {
                csv.WriteField(cell switch
                {
                    >= 0 => ((char)('0' + cell)).ToString(),
                    Answer.DontKnow => "NSP",
                    Answer.NotConcerned => "NC",
                    _ => "",
                });
            }
            csv.NextRecord();
        }
    }

    /// <summary>A cell: one digit 0..max, empty, NSP or NC (any case).</summary>
    internal static bool TryParseCell(ReadOnlySpan<char> value, int max, out sbyte cell)
    {
        cell = Answer.Blank;
        if (value.IsEmpty)
        {
            return true;
        }
        if (value.Length == 1 && value[0] >= '0' && value[0] <= '0' + max)
        {
            cell = (sbyte)(value[0] - '0');
            return true;
        }
        if (value.Equals("NSP", StringComparison.OrdinalIgnoreCase))
        {
            cell = Answer.DontKnow;
            return true;
        }
        if (value.Equals("NC", StringComparison.OrdinalIgnoreCase))
        {
            cell = Answer.NotConcerned;
            return true;
        }
        return false;
    }

    private static long? ParsePopulation(string text, int line, int column, Problems problems)
    {
        // Spreadsheets write « 12 345 » with (narrow) no-break spaces; accept any blank as a thousands separator.
        var digits = new string([.. text.Where(c => !char.IsWhiteSpace(c) && c != '\u202F' && c != '\u00A0')]);
        if (digits.Length == 0)
        {
            return null;
        }
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var population))
        {
            return population;
        }
        problems.Add(line, column, $"colonne population : « {Shorten(text)} » n'est pas un nombre d'habitants (entier positif)");
        return null;
    }

    private static string? ParseEmail(string text, int line, int column, Problems problems)
    {
        var email = text.Trim();
        if (email.Length == 0)
        {
            return null;
        }
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == email.Length - 1 || email.Any(char.IsWhiteSpace) || email.IndexOf('@', at + 1) >= 0 || email.Length > 320)
        {
            problems.Add(line, column, $"colonne email : « {Shorten(text)} » n'est pas une adresse électronique");
            return null;
        }
        return email;
    }

    private static string? NullIfEmpty(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    /// <summary>Reads characters up to the first line break (excluded), or null at the end of the stream.</summary>
    private static string? ReadFirstLine(TextReader reader)
    {
        var line = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }
            line.Append((char)c);
        }
        return line.Length == 0 ? null : line.ToString();
    }

    /// <summary>One row of a wide CSV.</summary>
    internal sealed record WideRow(Respondent Respondent, string? Email, int Line);

    /// <summary>The rows of a wide CSV and, with a model, their cells (row-major, model question order).</summary>
    internal sealed record WideTable(IReadOnlyList<WideRow> Rows, sbyte[] Cells);

    private sealed class Problems(string source)
    {
        private readonly List<InputProblem> _list = [];

        private int _encodingProblem = -1;
        private int _badlyEncodedRecords;

        public int Count { get; private set; }

        public void Add(int? line, int? column, string message)
        {
            Count++;
            if (_list.Count < ImportResult<WideTable>.MaxReported)
            {
                _list.Add(new InputProblem(source, line, column, message));
            }
        }

        /// <summary>One problem for the whole file, at its first occurrence: re-saving as UTF-8 fixes them all.</summary>
        public void AddEncodingProblem(int line, int column, string value)
        {
            _badlyEncodedRecords++;
            if (_encodingProblem < 0)
            {
                Add(line, column, $"caractères non UTF-8 dans « {value} » : le fichier n'est pas encodé en UTF-8 ; enregistrez-le en « CSV UTF-8 » depuis votre tableur");
                _encodingProblem = _list.Count - 1;
            }
        }

        public ImportResult<WideTable> ToFailure()
        {
            if (_badlyEncodedRecords > 1 && _encodingProblem >= 0)
            {
                var first = _list[_encodingProblem];
                _list[_encodingProblem] = first with { Message = $"{first.Message} ({_badlyEncodedRecords} lignes touchées)" };
            }
            return ImportResult.Failure<WideTable>(_list, Count);
        }
    }

    /// <summary>A reader that first replays text already consumed (the header line), then continues with the stream.</summary>
    private sealed class PrefixedReader(string prefix, TextReader rest) : TextReader
    {
        private int _position;

        public override int Peek() => _position < prefix.Length ? prefix[_position] : rest.Peek();

        public override int Read() => _position < prefix.Length ? prefix[_position++] : rest.Read();

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (_position >= prefix.Length)
            {
                return rest.Read(buffer);
            }
            var n = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
