using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Barometre.Core;
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
    /// <summary>Compiles the reader's loops now (<see cref="Kernels.Prepare"/>), for example on a core that would wait meanwhile.</summary>
    /// <returns>The methods compiled.</returns>
    public static IReadOnlyList<string> PrepareReader() => Kernels.Prepare(typeof(ResponsesCsv));

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
            // Unbuffered: the text reader already reads in large blocks.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
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
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 14);
        var header = ReadFirstLine(text);
        if (header is null || string.IsNullOrWhiteSpace(header))
        {
            problems.Add(1, null, "fichier vide : la première ligne doit nommer les colonnes (code, nom, puis une colonne par question)");
            return problems.ToFailure();
        }
        var delimiter = header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        using var replay = new PrefixedReader(header + "\n", text);
        return ReadRecords(replay, stream.CanSeek ? stream.Length : 0, delimiter, new Layout(model, allowEmail), problems);
    }

    /// <summary>What columns a wide CSV may have.</summary>
    private sealed record Layout(MaturityModel? Model, bool AllowEmail)
    {
        public IEnumerable<string> MetadataColumns => AllowEmail ? [.. ResponsesCsv.MetadataColumns, "email"] : ResponsesCsv.MetadataColumns;
    }

    private static ImportResult<WideTable> ReadRecords(TextReader text, long textBytes, char delimiter, Layout layout, Problems problems)
    {
        var parser = new CsvRecordReader(text, delimiter);
        if (!parser.Read())
        {
            problems.Add(1, null, "fichier vide : la première ligne doit nommer les colonnes");
            return problems.ToFailure();
        }
        CheckEncoding(parser, 1, problems);
        var roles = ReadHeader(parser, layout, problems);
        var hasHeaderProblem = problems.Count > 0;
        // Sized from the file's length when known, the tables are allocated once instead of growing row by row.
        var expectedRows = textBytes > 0 ? parser.EstimateRecords(textBytes, minimumRecordLength: roles.Length) : 0;
        return ReadRows(parser, roles, hasHeaderProblem, expectedRows, delimiter, layout.Model, problems);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ImportResult<WideTable> ReadRows(
        CsvRecordReader parser, int[] roles, bool hasHeaderProblem, int expectedRows, char delimiter, MaturityModel? model, Problems problems)
    {
        var q = model?.Questions.Count ?? 0;
        var max = model?.Scale.MaxLevel ?? 0;
        var rows = new List<WideRow>(expectedRows);
        // Each row is parsed in place at the end of the cells and kept only while the file is valid. With a
        // valid header every question has exactly one column, so every cell of a kept row is written.
        var cells = new sbyte[q * Math.Max(expectedRows, 64)];
        var firstLineOfCode = new Dictionary<string, int>(expectedRows, StringComparer.Ordinal);
        // Types and regions repeat from row to row: one string per distinct value.
        var labels = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        // Question cells are read first, in one tight loop; the identification fields after them, in file order.
        var questionColumns = ColumnsWhere(roles, questions: true);
        var questionOfColumn = Array.ConvertAll(questionColumns, j => roles[j]);
        var otherColumns = ColumnsWhere(roles, questions: false);
        var allColumns = Enumerable.Range(0, roles.Length).ToArray();
        var codeColumn = Array.IndexOf(roles, CodeRole) + 1;
        while (parser.Read())
        {
            var line = parser.RawRow;
            if (parser.RawRecord.Contains('\uFFFD') && !CheckEncoding(parser, line, problems))
            {
                continue;
            }
            if (parser.Count != roles.Length)
            {
                AddFieldCountProblem(parser, roles.Length, delimiter, line, problems);
                continue;
            }
            if ((rows.Count + 1) * q > cells.Length)
            {
                Array.Resize(ref cells, cells.Length * 2);
            }
            var row = cells.AsSpan(rows.Count * q, q);
            var allCellsValid = true;
            for (var k = 0; k < questionColumns.Length; k++)
            {
                allCellsValid &= TryParseCell(Trim(parser[questionColumns[k]]), max, out row[questionOfColumn[k]]);
            }
            // A row with an invalid cell is read again column by column, so that its problems come in file order.
            var fields = default(IdentityFields);
            ReadFields(parser, allCellsValid ? otherColumns : allColumns, roles, row, line, model, labels, problems, ref fields);
            if (fields.Code is { } code && (code.Length == 0 || !firstLineOfCode.TryAdd(code, line)))
            {
                AddCodeProblem(code, line, codeColumn, firstLineOfCode, problems);
            }
            if (problems.Count == 0 && !hasHeaderProblem)
            {
                rows.Add(new WideRow(new Respondent(fields.Code!, fields.Name ?? "", fields.Type, fields.Population, fields.Region), fields.Email, line));
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
        return ImportResult.Success(new WideTable(rows, cells, rows.Count * q));
    }

    private static int[] ColumnsWhere(int[] roles, bool questions)
    {
        var columns = new List<int>(roles.Length);
        for (var j = 0; j < roles.Length; j++)
        {
            if (roles[j] >= 0 == questions)
            {
                columns.Add(j);
            }
        }
        return [.. columns];
    }

    /// <summary>The identification fields of a row.</summary>
    private struct IdentityFields
    {
        public string? Code, Name, Type, Region, Email;
        public long? Population;
    }

    /// <summary>Reads the given fields of a record in file order, reporting their problems.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadFields(
        CsvRecordReader parser,
        int[] columns,
        int[] roles,
        Span<sbyte> row,
        int line,
        MaturityModel? model,
        Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> labels,
        Problems problems,
        ref IdentityFields fields)
    {
        var max = model?.Scale.MaxLevel ?? 0;
        foreach (var j in columns)
        {
            var role = roles[j];
            var field = parser[j];
            switch (role)
            {
                case >= 0:
                    if (!TryParseCell(field.Trim(), max, out row[role]))
                    {
                        AddCellProblem(field, line, j, model!.Questions[role].Id, max, problems);
                    }
                    break;
                case CodeRole:
                    fields.Code = field.Trim().ToString();
                    break;
                case NameRole:
                    fields.Name = field.Trim().ToString();
                    break;
                case TypeRole:
                    fields.Type = Label(field, labels);
                    break;
                case RegionRole:
                    fields.Region = Label(field, labels);
                    break;
                case PopulationRole:
                    fields.Population = ParsePopulation(field, line, j + 1, problems);
                    break;
                case EmailRole:
                    fields.Email = ParseEmail(field.ToString(), line, j + 1, problems);
                    break;
            }
        }
    }

    private static void AddCellProblem(ReadOnlySpan<char> field, int line, int index, string questionId, int max, Problems problems) =>
        problems.Add(line, index + 1, $"colonne {questionId} : valeur « {Shorten(field)} » invalide (attendu : un niveau de 0 à {max}, vide, NSP ou NC)");

    private static void AddCodeProblem(string code, int line, int column, Dictionary<string, int> firstLineOfCode, Problems problems) =>
        problems.Add(line, column, code.Length == 0
            ? "code vide : chaque collectivité a un code unique"
            : $"code « {code} » en double (déjà ligne {firstLineOfCode[code]})");

    /// <summary>Reports the first field holding bytes that were not UTF-8 (decoded as U+FFFD); false when the record has one.</summary>
    private static bool CheckEncoding(CsvRecordReader parser, int line, Problems problems)
    {
        for (var j = 0; j < parser.Count; j++)
        {
            if (parser[j].Contains('\uFFFD'))
            {
                problems.AddEncodingProblem(line, j + 1, Shorten(parser[j]));
                return false;
            }
        }
        return true;
    }

    private static void AddFieldCountProblem(CsvRecordReader parser, int expected, char delimiter, int line, Problems problems)
    {
        var multiLine = -1;
        for (var j = 0; j < parser.Count && multiLine < 0; j++)
        {
            multiLine = parser[j].Contains('\n') ? j : -1;
        }
        if (multiLine >= 0)
        {
            // A field running over several lines with the wrong field count is almost always a quote left
            // open; it then swallows the file's last line break, which the parser counts as one more line.
            var field = parser[multiLine];
            var lastLine = field.EndsWith('\n') ? line - 1 : line;
            var firstLine = lastLine - parser.RawRecord.TrimEnd("\r\n").Count('\n');
            problems.Add(firstLine, null, $"guillemet ouvert et jamais refermé : le champ « {Shorten(field.Trim().ToString().ReplaceLineEndings(" "))} » court jusqu'à la ligne {lastLine}");
            return;
        }
        problems.Add(line, null, $"{parser.Count} champs alors que l'en-tête a {expected} colonnes (séparateur « {delimiter} » ; un champ contenant « {delimiter} » doit être entre guillemets)");
    }

    /// <summary>Maps each file column to a metadata role or a question index, reporting unknown, duplicated and missing columns.</summary>
    private static int[] ReadHeader(CsvRecordReader parser, Layout layout, Problems problems)
    {
        var model = layout.Model;
        var roles = new int[parser.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < roles.Length; j++)
        {
            var name = parser[j].Trim().ToString();
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

    /// <summary>The field without its leading and trailing blanks, as <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/>, faster when it has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> field) =>
        field.IsEmpty || (!char.IsWhiteSpace(field[0]) && !char.IsWhiteSpace(field[^1])) ? field : field.Trim();

    /// <summary>A cell: one digit 0..max, empty, NSP or NC (any case).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseCell(ReadOnlySpan<char> value, int max, out sbyte cell)
    {
        if (value.Length == 1 && (uint)(value[0] - '0') <= (uint)max)
        {
            cell = (sbyte)(value[0] - '0');
            return true;
        }
        return TryParseOtherCell(value, max, out cell);
    }

    private static bool TryParseOtherCell(ReadOnlySpan<char> value, int max, out sbyte cell)
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

    private static long? ParsePopulation(ReadOnlySpan<char> text, int line, int column, Problems problems)
    {
        // Spreadsheets write « 12 345 » with (narrow) no-break spaces; accept any blank as a thousands separator.
        Span<char> digits = text.Length <= 64 ? stackalloc char[64] : new char[text.Length];
        var length = 0;
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '\u202F' && c != '\u00A0')
            {
                digits[length++] = c;
            }
        }
        if (length == 0)
        {
            return null;
        }
        if (long.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out var population))
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

    /// <summary>A trimmed optional label, null when empty; equal labels share one string.</summary>
    private static string? Label(ReadOnlySpan<char> text, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> labels)
    {
        var trimmed = text.Trim();
        if (trimmed.IsEmpty)
        {
            return null;
        }
        if (!labels.TryGetValue(trimmed, out var label))
        {
            label = trimmed.ToString();
            labels[trimmed] = label;
        }
        return label;
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");

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
    /// <param name="Rows">The rows, in file order.</param>
    /// <param name="CellBuffer">Row-major cells (model question order), possibly followed by unused space.</param>
    /// <param name="CellCount">How many cells of <paramref name="CellBuffer"/> belong to the rows.</param>
    internal sealed record WideTable(IReadOnlyList<WideRow> Rows, sbyte[] CellBuffer, int CellCount)
    {
        public ReadOnlySpan<sbyte> Cells => CellBuffer.AsSpan(0, CellCount);
    }

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
