using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Data.Export;

namespace Barometre.Data.Import;

/// <summary>
/// Imports a panel's answers from the wide CSV, or from a workbook (.xlsx) laid out the same way on one sheet:
/// <c>code</c>, <c>nom</c>, optional <c>type</c>, <c>population</c>, <c>region</c>, then one column per question id
/// in any order.
/// </summary>
/// <remarks>
/// UTF-8 with an optional BOM (UTF-16 and UTF-32 with their BOM are read too); the separator is <c>;</c> when the
/// header line holds more <c>;</c> than <c>,</c>, else <c>,</c>. A cell is a level 0..L−1, empty (no answer),
/// <c>NSP</c> or <c>NC</c> (any case); blanks around cells and names are ignored; codes, names, types, regions
/// and addresses hold one line without control characters, within <see cref="FieldLimits"/>, and lose the
/// apostrophe exports put before a text opening a formula (<see cref="CsvCells"/>). The file is read as a
/// stream, once, one record of at most <see cref="CsvRecordReader.MaxRecordLength"/> characters at a time;
/// every problem is reported with its line (the physical line where the record ends), column (1-based
/// position, with its name) and value (quoted as <see cref="TextRules.Quote"/> does), and nothing is returned
/// unless the whole file is valid.
/// A workbook is told from a CSV by its content (a ZIP archive), whatever its name; its rows go through the same
/// checks, cell by cell (<see cref="SheetRows"/>: numbers read as their text, dates as ISO dates), and its problems
/// name the sheet, the row and the column's letter (<see cref="InputProblem.Sheet"/>).
/// </remarks>
public static class ResponsesCsv
{
    /// <summary>Compiles the reader's loops now (<see cref="Kernels.Prepare"/>), for example on a core that would wait meanwhile.</summary>
    /// <returns>The methods compiled.</returns>
    public static IReadOnlyList<string> PrepareReader() => [.. Kernels.Prepare(typeof(ResponsesCsv)), .. PrepareCsvLoops(), CsvRecordReader.PrepareSplit()];

    /// <summary>Compiles the loops over records for the CSV's records (generic methods, which <see cref="Kernels.Prepare"/> leaves).</summary>
    private static IEnumerable<string> PrepareCsvLoops()
    {
        foreach (var name in new[] { nameof(ReadRows), nameof(ReadFields) })
        {
            var method = typeof(ResponsesCsv).GetMethod(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(typeof(CsvRecords));
            RuntimeHelpers.PrepareMethod(method.MethodHandle, [typeof(CsvRecords).TypeHandle]);
            yield return $"{nameof(ResponsesCsv)}.{name}";
        }
    }

    /// <summary>The identification columns, in the order they are written.</summary>
    public static IReadOnlyList<string> MetadataColumns { get; } = ["code", "nom", "type", "population", "region"];

    private const int CodeRole = -1, NameRole = -2, TypeRole = -3, PopulationRole = -4, RegionRole = -5, EmailRole = -6, UnknownRole = -9;

    /// <summary>Imports responses to <paramref name="model"/> from a file (CSV or .xlsx; <paramref name="sheet"/>: a workbook's sheet, the first by default).</summary>
    public static ImportResult<ResponseSet> Load(string path, MaturityModel model, string? sheet = null)
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
            return Read(stream, path, model, sheet);
        }
    }

    /// <summary>
    /// Imports responses to <paramref name="model"/> from a stream (CSV or .xlsx); <paramref name="source"/> names it in problems;
    /// <paramref name="sheet"/>: a workbook's sheet, the first by default.
    /// </summary>
    public static ImportResult<ResponseSet> Read(Stream stream, string source, MaturityModel model, string? sheet = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var table = ReadTable(stream, source, model, allowEmail: false, sheet);
        return table.Value is { } read
            ? ImportResult.Success(new ResponseSet(model, read.Rows.Select(row => row.Respondent), read.Cells))
            : ImportResult.Failure<ResponseSet>(table.Problems, table.ProblemCount);
    }

    /// <summary>
    /// Reads a wide CSV or workbook: the identification columns (and <c>email</c> when allowed), then, with a model,
    /// one column per question; without a model, no question column. Shared by the responses and the
    /// panel imports so that both report problems the same way.
    /// </summary>
    internal static ImportResult<WideTable> ReadTable(Stream stream, string source, MaturityModel? model, bool allowEmail, string? sheet = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var layout = new Layout(model, allowEmail);
        if (!stream.CanSeek)
        {
            // The first bytes say what the file is, and a workbook is a ZIP archive, read by seeking.
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        switch (SheetRows.Detect(stream))
        {
            case SpreadsheetKind.Workbook:
                return ReadWorkbook(stream, source, sheet, layout);
            case SpreadsheetKind.LegacyWorkbook:
                return ImportResult.Failure<WideTable>([new InputProblem(source, null, null, SheetRows.LegacyWorkbookMessage)]);
        }
        if (SheetRows.HasWorkbookExtension(source) || sheet is not null)
        {
            return ImportResult.Failure<WideTable>([new InputProblem(source, null, null, sheet is null
                ? SheetRows.NotAWorkbookMessage
                : $"feuille « {TextRules.Quote(sheet)} » demandée, mais le fichier est un CSV, sans feuilles : un classeur Excel (.xlsx) commence par la signature ZIP « PK »")]);
        }
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
        if (header.Length > CsvRecordReader.MaxRecordLength)
        {
            problems.Add(1, null, $"la première ligne dépasse {FrenchFormat.Count(CsvRecordReader.MaxRecordLength)} caractères : ce n'est pas la ligne des noms de colonnes d'un fichier CSV");
            return problems.ToFailure();
        }
        // A UTF-16 file without its byte-order mark reads as text with a NUL after every letter (bytes that are not
        // UTF-8 at all, decoded as U+FFFD before any NUL, are reported by the encoding check below).
        if (header.AsSpan().IndexOfAny('\0', '\uFFFD') is var nul and >= 0 && header[nul] == '\0')
        {
            problems.Add(1, nul + 1, "caractère nul (U+0000) dans la première ligne : le fichier n'est pas du texte UTF-8 (UTF-16 sans BOM ?) ; enregistrez-le en « CSV UTF-8 » depuis votre tableur");
            return problems.ToFailure();
        }
        var delimiter = header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        using var replay = new PrefixedReader(header + "\n", text);
        return ReadRecords(new CsvRecords(new CsvRecordReader(replay, delimiter), delimiter, stream.Length), layout, problems);
    }

    /// <summary>Reads the wide layout from a workbook's sheet (<paramref name="sheet"/>, or the first).</summary>
    private static ImportResult<WideTable> ReadWorkbook(Stream stream, string source, string? sheet, Layout layout)
    {
        var opened = SheetRows.Open(stream, sheet);
        if (opened.Rows is not { } rows)
        {
            return ImportResult.Failure<WideTable>([new InputProblem(source, null, null, opened.Problem!)]);
        }
        using (rows)
        {
            return ReadRecords(new WorkbookRecords(rows), layout, new Problems(source, rows.SheetName));
        }
    }

    /// <summary>What columns a wide CSV may have.</summary>
    private sealed record Layout(MaturityModel? Model, bool AllowEmail)
    {
        public IEnumerable<string> MetadataColumns => AllowEmail ? [.. ResponsesCsv.MetadataColumns, "email"] : ResponsesCsv.MetadataColumns;
    }

    /// <remarks>
    /// Generic over the records' type, a structure, so that the CSV's loops are compiled for the CSV reader alone, its
    /// field access inlined as before; a workbook's rows take the same checks through their own instantiation.
    /// </remarks>
    private static ImportResult<WideTable> ReadRecords<TRecords>(TRecords parser, Layout layout, Problems problems)
        where TRecords : struct, IWideRecords
    {
        if (!parser.Read())
        {
            if (!parser.ReportStop(problems))
            {
                problems.Add(1, null, "fichier vide : la première ligne doit nommer les colonnes");
            }
            return problems.ToFailure();
        }
        parser.CheckText(problems);
        var roles = ReadHeader(parser, layout, problems);
        var hasHeaderProblem = problems.Count > 0;
        // Sized from the file's length when known, the tables are allocated once instead of growing row by row;
        // no row of a file whose header is wrong is kept, so nothing is allocated for them.
        var expectedRows = hasHeaderProblem ? 0 : parser.EstimateRecords(minimumRecordLength: roles.Length);
        return ReadRows(parser, roles, hasHeaderProblem, expectedRows, layout.Model, problems);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ImportResult<WideTable> ReadRows<TRecords>(
        TRecords parser, int[] roles, bool hasHeaderProblem, int expectedRows, MaturityModel? model, Problems problems)
        where TRecords : struct, IWideRecords
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
            var line = parser.Line;
            if (!parser.CheckText(problems) || !parser.CheckShape(roles.Length, problems))
            {
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
        parser.ReportStop(problems);
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
    private static void ReadFields<TRecords>(
        TRecords parser,
        int[] columns,
        int[] roles,
        Span<sbyte> row,
        int line,
        MaturityModel? model,
        Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> labels,
        Problems problems,
        ref IdentityFields fields)
        where TRecords : struct, IWideRecords
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
                    fields.Code = TextField(Text<TRecords>(field), "code", FieldLimits.Code, line, j + 1, problems);
                    break;
                case NameRole:
                    fields.Name = TextField(Text<TRecords>(field), "nom", FieldLimits.CollectiviteName, line, j + 1, problems);
                    break;
                case TypeRole:
                    fields.Type = Label(Text<TRecords>(field), "type", line, j + 1, labels, problems);
                    break;
                case RegionRole:
                    fields.Region = Label(Text<TRecords>(field), "region", line, j + 1, labels, problems);
                    break;
                case PopulationRole:
                    fields.Population = ParsePopulation(field, line, j + 1, problems);
                    break;
                case EmailRole:
                    fields.Email = ParseEmail(Text<TRecords>(field), line, j + 1, problems);
                    break;
            }
        }
    }

    private static void AddCellProblem(ReadOnlySpan<char> field, int line, int index, string questionId, int max, Problems problems) =>
        problems.Add(line, index + 1, problems.IsFull ? "" : $"colonne {questionId} : valeur « {Quote(field)} » invalide (attendu : un niveau de 0 à {max}, vide, NSP ou NC)");

    private static void AddCodeProblem(string code, int line, int column, Dictionary<string, int> firstLineOfCode, Problems problems) =>
        problems.Add(line, column, problems.IsFull ? "" : code.Length == 0
            ? "code vide : chaque collectivité a un code unique"
            : $"code « {Quote(code)} » en double (déjà ligne {firstLineOfCode[code]})");

    /// <summary>
    /// A text field without its blanks and, in a CSV, without the apostrophe exports put before a formula (<see cref="CsvCells"/>);
    /// a workbook's text cells hold their text as it is.
    /// </summary>
    private static ReadOnlySpan<char> Text<TRecords>(ReadOnlySpan<char> field)
        where TRecords : struct, IWideRecords => TRecords.TextsEscaped ? CsvCells.ReadText(field.Trim()) : field.Trim();

    /// <summary>A single-line text field within its limit, or null with a problem (<see cref="TextRules.Problem"/>).</summary>
    private static string? TextField(ReadOnlySpan<char> text, string column, int maxLength, int line, int columnNumber, Problems problems)
    {
        if (text.Length <= maxLength && (!MayHoldForbidden(text) || TextRules.IndexOfForbidden(text, multiline: false) < 0))
        {
            return text.ToString();
        }
        var value = problems.IsFull ? "" : text.ToString();
        problems.Add(line, columnNumber, problems.IsFull ? "" : $"colonne {column} : {TextRules.Problem(value, $"« {TextRules.Quote(value)} »", maxLength, multiline: false)}");
        return null;
    }

    /// <summary>Reports the first field holding bytes that were not UTF-8 (decoded as U+FFFD); false when the record has one.</summary>
    internal static bool CheckEncoding(CsvRecordReader parser, int line, Problems problems)
    {
        for (var j = 0; j < parser.Count; j++)
        {
            if (parser[j].Contains('\uFFFD'))
            {
                problems.AddEncodingProblem(line, j + 1, parser[j]);
                return false;
            }
        }
        return true;
    }

    internal static void AddFieldCountProblem(CsvRecordReader parser, int expected, char delimiter, int line, Problems problems)
    {
        // A quote left open at the end of the text is certain; otherwise a field running over several lines with
        // the wrong field count is almost always one.
        var multiLine = parser.QuoteLeftOpen ? parser.Count - 1 : -1;
        for (var j = 0; j < parser.Count && multiLine < 0; j++)
        {
            multiLine = parser[j].Contains('\n') ? j : -1;
        }
        if (multiLine >= 0)
        {
            // A quote left open swallows the file's last line break, which the parser counts as one more line.
            var field = parser[multiLine];
            var lastLine = field.EndsWith('\n') ? line - 1 : line;
            var firstLine = lastLine - parser.RawRecord.TrimEnd("\r\n").Count('\n');
            problems.Add(firstLine, null, problems.IsFull ? "" : $"guillemet ouvert et jamais refermé : le champ « {Quote(Head(field.Trim()).ToString().ReplaceLineEndings(" "))} » court jusqu'à la ligne {lastLine}");
            return;
        }
        problems.Add(line, null, problems.IsFull ? "" : $"{parser.Count} champs alors que l'en-tête a {expected} colonnes (séparateur « {delimiter} » ; un champ contenant « {delimiter} » doit être entre guillemets)");
    }

    /// <summary>Maps each file column to a metadata role or a question index, reporting unknown, duplicated and missing columns.</summary>
    private static int[] ReadHeader<TRecords>(TRecords parser, Layout layout, Problems problems)
        where TRecords : struct, IWideRecords
    {
        var model = layout.Model;
        var roles = new int[parser.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < roles.Length; j++)
        {
            var name = Text<TRecords>(parser[j]).ToString();
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
                problems.Add(1, j + 1, problems.IsFull ? "" : name.Length == 0
                    ? "colonne sans nom"
                    : model is null
                        ? $"colonne inconnue « {Quote(name)} » : un fichier de panel a les colonnes {string.Join(", ", layout.MetadataColumns)}"
                        : $"colonne inconnue « {Quote(name)} » : ni une colonne d'identification ({string.Join(", ", layout.MetadataColumns)}) ni une question du référentiel {model.Id}{Suggestion(name, model)}");
            }
            else if (!seen.TryAdd(name, j + 1))
            {
                problems.Add(1, j + 1, problems.IsFull ? "" : $"colonne « {Quote(name)} » en double (déjà colonne {seen[name]})");
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
    /// then one column per question in model order; texts as <see cref="CsvCells"/> writes them, so that none opens
    /// as a formula. Reading the file back gives the same responses.
    /// </summary>
    public static void Write(ResponseSet responses, Stream stream) => Write(responses, stream, TableFormat.Csv);

    /// <summary>
    /// Writes responses in the wide layout in any <see cref="TableFormat"/> (<see cref="TableWriter"/>): levels and populations
    /// as numbers, NSP and NC as texts. Reading the file back, CSV or workbook, gives the same responses.
    /// </summary>
    public static void Write(ResponseSet responses, Stream stream, TableFormat format)
    {
        ArgumentNullException.ThrowIfNull(responses);
        TableWriter.Write(stream, format, WrittenLayout, [.. MetadataColumns, .. responses.Model.Questions.Select(question => question.Id)], Rows());

        IEnumerable<TableCell[]> Rows()
        {
            for (var r = 0; r < responses.Count; r++)
            {
                var respondent = responses.Respondents[r];
                var cells = responses.Row(r);
                var row = new TableCell[MetadataColumns.Count + cells.Length];
                row[0] = TableCell.Text(respondent.Code);
                row[1] = TableCell.Text(respondent.Name);
                row[2] = TableCell.Text(respondent.Type);
                row[3] = TableCell.Number(respondent.Population);
                row[4] = TableCell.Text(respondent.Region);
                for (var q = 0; q < cells.Length; q++)
                {
                    row[MetadataColumns.Count + q] = cells[q] switch
                    {
                        >= 0 and var level => TableCell.Number(level),
                        CellCode.DontKnow => TableCell.Text("NSP"),
                        CellCode.NotConcerned => TableCell.Text("NC"),
                        _ => TableCell.Empty,
                    };
                }
                yield return row;
            }
        }
    }

    /// <summary>The wide CSV as it has always been written: no byte-order mark, LF line ends.</summary>
    private static readonly TableLayout WrittenLayout = new("reponses", CsvByteOrderMark: false);

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
        cell = CellCode.Blank;
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
            cell = CellCode.DontKnow;
            return true;
        }
        if (value.Equals("NC", StringComparison.OrdinalIgnoreCase))
        {
            cell = CellCode.NotConcerned;
            return true;
        }
        return false;
    }

    private static long? ParsePopulation(ReadOnlySpan<char> text, int line, int column, Problems problems)
    {
        if (TryParsePopulation(text, out var population))
        {
            return population;
        }
        problems.Add(line, column, problems.IsFull ? "" : PopulationProblem(text));
        return null;
    }

    /// <summary>A population cell: empty (null) or a whole number of inhabitants, blanks allowed as thousands separators.</summary>
    internal static bool TryParsePopulation(ReadOnlySpan<char> text, out long? population)
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
        population = null;
        if (length == 0)
        {
            return true;
        }
        if (long.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            population = value;
            return true;
        }
        return false;
    }

    /// <summary>What is wrong with a population cell <see cref="TryParsePopulation"/> refused.</summary>
    internal static string PopulationProblem(ReadOnlySpan<char> text) =>
        $"colonne population : « {Quote(text)} » n'est pas un nombre d'habitants (entier positif)";

    private static string? ParseEmail(ReadOnlySpan<char> email, int line, int column, Problems problems)
    {
        if (email.IsEmpty)
        {
            return null;
        }
        var at = email.IndexOf('@');
        if (at <= 0 || at == email.Length - 1 || email.Length > FieldLimits.Email || email[(at + 1)..].Contains('@')
            || TextRules.IndexOfForbidden(email, multiline: false) >= 0 || HasWhiteSpace(email))
        {
            problems.Add(line, column, problems.IsFull ? "" : $"colonne email : « {Quote(email)} » n'est pas une adresse électronique");
            return null;
        }
        return email.ToString();
    }

    private static bool HasWhiteSpace(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A trimmed optional label (type, region), null when empty or invalid (with a problem); equal labels share
    /// one string, checked once.
    /// </summary>
    private static string? Label(
        ReadOnlySpan<char> text, string column, int line, int columnNumber, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> labels, Problems problems)
    {
        if (text.IsEmpty)
        {
            return null;
        }
        if (!labels.TryGetValue(text, out var label))
        {
            label = TextField(text, column, FieldLimits.Name, line, columnNumber, problems);
            if (label is not null)
            {
                labels[text] = label;
            }
        }
        return label;
    }

    /// <summary>
    /// Whether a text holds a control character or a surrogate, which <see cref="TextRules.IndexOfForbidden"/> then
    /// judges; a vectorised search that lets nearly every field of a file skip the character-by-character rule.
    /// </summary>
    private static bool MayHoldForbidden(ReadOnlySpan<char> text) => text.ContainsAny(ControlsAndSurrogates);

    private static readonly SearchValues<char> ControlsAndSurrogates = SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Where(c => char.IsControl((char)c) || char.IsSurrogate((char)c)).Select(c => (char)c)]);

    /// <summary>A value as messages quote it (<see cref="TextRules.Quote"/>), without copying more of it than they show.</summary>
    private static string Quote(ReadOnlySpan<char> text) => TextRules.Quote(Head(text).ToString());

    /// <summary>
    /// The start of a value, long enough for <see cref="TextRules.Quote"/> to quote it as it quotes the whole value
    /// (at most <see cref="TextRules.QuotedLength"/> characters or surrogate pairs, then « … » when more follows).
    /// </summary>
    private static ReadOnlySpan<char> Head(ReadOnlySpan<char> text) =>
        text.Length <= (2 * TextRules.QuotedLength) + 1 ? text : text[..((2 * TextRules.QuotedLength) + 1)];

    /// <summary>
    /// Reads characters up to the first line break (excluded), or null at the end of the stream; stops one
    /// character beyond <see cref="CsvRecordReader.MaxRecordLength"/>, so that a file without line breaks is not read whole.
    /// </summary>
    private static string? ReadFirstLine(TextReader reader)
    {
        var line = new StringBuilder();
        int c;
        while (line.Length <= CsvRecordReader.MaxRecordLength && (c = reader.Read()) >= 0)
        {
            if (c == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }
            line.Append((char)c);
        }
        return line.Length == 0 ? null : line.ToString();
    }

    internal static readonly string OverlongRecordMessage =
        $"enregistrement de plus de {FrenchFormat.Count(CsvRecordReader.MaxRecordLength)} caractères à partir de cette ligne (un guillemet jamais refermé ?) : la lecture s'arrête là";

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

    /// <summary>The problems of one file (and, for a workbook, of one of its sheets: <see cref="InputProblem.Sheet"/>).</summary>
    internal sealed class Problems(string source, string? sheet = null)
    {
        private readonly List<InputProblem> _list = [];

        private int _encodingProblem = -1;
        private int _badlyEncodedRecords;

        public int Count { get; private set; }

        /// <summary>
        /// Whether no more problem is kept, only counted: callers then pass an empty message instead of building one,
        /// so that a file of garbage costs no more than the problems shown.
        /// </summary>
        public bool IsFull => _list.Count >= ImportResult<WideTable>.MaxReported;

        public void Add(int? line, int? column, string message)
        {
            Count++;
            if (_list.Count < ImportResult<WideTable>.MaxReported)
            {
                _list.Add(new InputProblem(source, line, column, message) { Sheet = sheet });
            }
        }

        /// <summary>One problem for the whole file, at its first occurrence: re-saving as UTF-8 fixes them all.</summary>
        public void AddEncodingProblem(int line, int column, ReadOnlySpan<char> value)
        {
            _badlyEncodedRecords++;
            if (_encodingProblem < 0)
            {
                Add(line, column, $"caractères non UTF-8 dans « {Quote(value)} » : le fichier n'est pas encodé en UTF-8 ; enregistrez-le en « CSV UTF-8 » depuis votre tableur");
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
