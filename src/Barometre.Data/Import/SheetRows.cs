using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Barometre.Data.Import;

/// <summary>What the first bytes of an input say it is.</summary>
internal enum SpreadsheetKind
{
    /// <summary>Anything else: read as CSV text.</summary>
    Text,

    /// <summary>A ZIP archive, as an Office Open XML workbook (.xlsx) is.</summary>
    Workbook,

    /// <summary>An OLE compound file, as an Excel 97-2003 workbook (.xls) is.</summary>
    LegacyWorkbook,
}

/// <summary>
/// The rows of one sheet of a workbook (.xlsx, read with MiniExcel) as text cells: a number as its shortest text
/// (3 stored as 3.0 reads « 3 »), a date as its ISO date, a formula as the value Excel last computed, a boolean as
/// VRAI or FAUX; empty rows are skipped, as blank lines of a CSV are, and trailing empty cells dropped.
/// </summary>
internal sealed class SheetRows : IDisposable
{
    /// <summary>Why a file named .xlsx is refused when it is not a workbook.</summary>
    public const string NotAWorkbookMessage =
        "le fichier porte l'extension .xlsx mais n'est pas un classeur Excel (il ne commence pas par la signature ZIP « PK ») : enregistrez-le depuis votre tableur en « Classeur Excel (.xlsx) », ou nommez-le .csv s'il s'agit d'un CSV";

    /// <summary>Why an Excel 97-2003 workbook is refused.</summary>
    public const string LegacyWorkbookMessage =
        "classeur Excel 97-2003 (.xls) : ce format n'est pas lu ; enregistrez-le depuis votre tableur en « Classeur Excel (.xlsx) » ou en « CSV UTF-8 »";

    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] CompoundFileSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly IEnumerator<IDictionary<string, object?>> _rows;
    private readonly List<string> _cells = [];
    private int _nextRow = 1;

    private SheetRows(string sheetName, IEnumerator<IDictionary<string, object?>> rows)
    {
        SheetName = sheetName;
        _rows = rows;
    }

    /// <summary>The sheet read.</summary>
    public string SheetName { get; }

    /// <summary>The sheet row of the current row (1-based, as Excel numbers them).</summary>
    public int Row { get; private set; }

    /// <summary>The cells of the current row up to its last non-empty one; may be set higher, the cells beyond reading empty.</summary>
    public int Count { get; set; }

    /// <summary>Why the sheet could not be read to its end, in French; null while it could.</summary>
    public string? Failure { get; private set; }

    /// <summary>A cell of the current row (0-based column), empty beyond its last non-empty cell.</summary>
    public ReadOnlySpan<char> this[int column] => column < _cells.Count ? _cells[column] : "";

    /// <summary>What a seekable stream holds, from its first bytes; the stream is left where it was.</summary>
    public static SpreadsheetKind Detect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var start = stream.Position;
        Span<byte> head = stackalloc byte[8];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return head[..length].StartsWith(ZipSignature) ? SpreadsheetKind.Workbook
            : head[..length].StartsWith(CompoundFileSignature) ? SpreadsheetKind.LegacyWorkbook
            : SpreadsheetKind.Text;
    }

    /// <summary>Whether a file's name says it is a workbook.</summary>
    public static bool HasWorkbookExtension(string name) =>
        name.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens <paramref name="sheet"/> (the first sheet when null) of a workbook: its rows, or why it cannot be read, in French.</summary>
    public static (SheetRows? Rows, string? Problem) Open(Stream stream, string? sheet)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var configuration = new OpenXmlConfiguration
        {
            // No cache files beside the server: the shared strings of a 20 Mo upload stay in memory.
            EnableSharedStringCache = false,
            // A text cell is text, never a path to a file inside the archive.
            EnableConvertByteArray = false,
        };
        List<string> names;
        try
        {
            names = stream.GetSheetNames(configuration);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return (null, Unreadable(e));
        }
        finally
        {
            stream.Position = 0;
        }
        if (names.Count == 0)
        {
            return (null, "classeur sans feuille");
        }
        if (sheet is not null && !names.Contains(sheet, StringComparer.Ordinal))
        {
            return (null, $"pas de feuille « {TextRules.Quote(sheet)} » dans le classeur ; ses feuilles : {string.Join(", ", names.Select(name => $"« {TextRules.Quote(name)} »"))}");
        }
        var name = sheet ?? names[0];
        try
        {
            var rows = stream.Query(useHeaderRow: false, sheetName: name, excelType: ExcelType.XLSX, configuration: configuration)
                .Cast<IDictionary<string, object?>>().GetEnumerator();
            return (new SheetRows(name, rows), null);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return (null, Unreadable(e));
        }
    }

    /// <summary>Reads the next row holding a value; false at the end of the sheet, or when it cannot be read further (<see cref="Failure"/>).</summary>
    public bool Read()
    {
        while (Failure is null)
        {
            try
            {
                if (!_rows.MoveNext())
                {
                    return false;
                }
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                Row = _nextRow;
                Failure = Unreadable(e);
                return false;
            }
            // MiniExcel gives every row from the first, empty ones included, so the count is the sheet's row number.
            Row = _nextRow++;
            _cells.Clear();
            foreach (var value in _rows.Current.Values)
            {
                _cells.Add(Text(value));
            }
            var last = _cells.FindLastIndex(cell => cell.Length > 0);
            _cells.RemoveRange(last + 1, _cells.Count - last - 1);
            Count = _cells.Count;
            if (Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The first non-empty cell of the current row at or beyond <paramref name="columns"/>, or null.</summary>
    public int? FirstCellBeyond(int columns)
    {
        for (var j = columns; j < _cells.Count; j++)
        {
            if (_cells[j].Length > 0)
            {
                return j;
            }
        }
        return null;
    }

    /// <summary>A cell's value as the text a CSV would hold.</summary>
    internal static string Text(object? value) => value switch
    {
        null => "",
        string text => text,
        // Levels and populations are whole numbers stored as doubles: « 3 », never « 3.0 ».
        double number when double.IsInteger(number) && Math.Abs(number) < 1e15 => ((long)number).ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        DateTime date when date.TimeOfDay == TimeSpan.Zero => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime date => date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        TimeSpan time => time.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "VRAI" : "FAUX",
        IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public void Dispose() => _rows.Dispose();

    /// <summary>What a damaged or foreign archive throws while MiniExcel reads it.</summary>
    internal static bool IsUnreadable(Exception e) =>
        e is InvalidDataException or System.Xml.XmlException or InvalidOperationException or NotSupportedException
            or FormatException or IndexOutOfRangeException or ArgumentException or KeyNotFoundException or NullReferenceException or IOException;

    private static string Unreadable(Exception e) =>
        $"classeur illisible ({e.Message.ReplaceLineEndings(" ")}) : ce fichier ZIP n'est pas un classeur Excel (.xlsx) valide ; enregistrez-le depuis votre tableur en « Classeur Excel (.xlsx) » ou en « CSV UTF-8 »";
}
