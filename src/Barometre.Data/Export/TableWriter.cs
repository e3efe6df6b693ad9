using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Barometre.Data.Export;

/// <summary>A cell of an exported table: a text, a whole number, a decimal number, or nothing.</summary>
public readonly record struct TableCell
{
    private enum Kind : byte
    {
        Empty,
        Text,
        Integer,
        Decimal,
    }

    private readonly Kind _kind;
    private readonly string? _text;
    private readonly long _integer;
    private readonly double _decimal;

    private TableCell(Kind kind, string? text = null, long integer = 0, double number = 0)
    {
        _kind = kind;
        _text = text;
        _integer = integer;
        _decimal = number;
    }

    /// <summary>An empty cell.</summary>
    public static TableCell Empty => default;

    /// <summary>A text; empty when null or empty. Never a formula, whatever it starts with (<see cref="CsvCells"/>).</summary>
    public static TableCell Text(string? value) => string.IsNullOrEmpty(value) ? Empty : new(Kind.Text, value);

    /// <summary>A whole number (a level, a count, a population).</summary>
    public static TableCell Number(long value) => new(Kind.Integer, integer: value);

    /// <summary>A whole number, or an empty cell when null.</summary>
    public static TableCell Number(long? value) => value is { } number ? Number(number) : Empty;

    /// <summary>A decimal number (a share), written with its shortest exact text.</summary>
    public static TableCell Number(double value) => new(Kind.Decimal, number: value);

    /// <summary>A decimal number, or an empty cell when null.</summary>
    public static TableCell Number(double? value) => value is { } number ? Number(number) : Empty;

    /// <summary>The cell as a CSV field: texts as <see cref="CsvCells.Text"/> writes them, numbers with a point or, with <paramref name="decimalComma"/>, a comma.</summary>
    internal string CsvField(bool decimalComma) => _kind switch
    {
        Kind.Text => CsvCells.Text(_text),
        Kind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        Kind.Decimal when decimalComma => _decimal.ToString("R", CultureInfo.InvariantCulture).Replace('.', ','),
        Kind.Decimal => _decimal.ToString("R", CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>The cell as a workbook value: a string, a number, or null for an empty cell.</summary>
    internal object? SheetValue => _kind switch
    {
        Kind.Text => _text,
        Kind.Integer => _integer,
        Kind.Decimal => _decimal,
        _ => null,
    };
}

/// <summary>How an export's plain CSV has always been written, and the name of its workbook's sheet.</summary>
/// <param name="SheetName">The sheet's name in the .xlsx.</param>
/// <param name="CsvByteOrderMark">Whether the plain CSV starts with a UTF-8 byte-order mark (the French-Excel CSV always does).</param>
/// <param name="CsvNewLine">The plain CSV's line end (the French-Excel CSV's is always CRLF).</param>
public sealed record TableLayout(string SheetName, bool CsvByteOrderMark = true, string CsvNewLine = "\n");

/// <summary>
/// Writes a table — a header and rows of <see cref="TableCell"/> — in any <see cref="TableFormat"/>: the one writer of
/// every table export, so that the three formats hold the same cells. CSV fields are quoted as needed (CsvHelper) and
/// texts protected from formula injection (<see cref="CsvCells"/>); in a workbook, texts are string cells, which a
/// spreadsheet never evaluates, and numbers numeric cells.
/// </summary>
public static class TableWriter
{
    /// <summary>Writes <paramref name="header"/> then <paramref name="rows"/>, each row read once, in order, before the next is asked for.</summary>
    public static void Write(Stream stream, TableFormat format, TableLayout layout, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<TableCell>> rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        switch (format)
        {
            case TableFormat.Xlsx:
                WriteWorkbook(stream, layout.SheetName, header, rows);
                break;
            case TableFormat.CsvFrench:
                WriteCsv(stream, header, rows, ';', decimalComma: true, byteOrderMark: true, "\r\n");
                break;
            default:
                WriteCsv(stream, header, rows, ',', decimalComma: false, layout.CsvByteOrderMark, layout.CsvNewLine);
                break;
        }
    }

    private static void WriteCsv(
        Stream stream, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<TableCell>> rows, char delimiter, bool decimalComma, bool byteOrderMark, string newLine)
    {
        using var text = new StreamWriter(stream, new UTF8Encoding(byteOrderMark), leaveOpen: true);
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = newLine, Delimiter = delimiter.ToString() });
        foreach (var name in header)
        {
            csv.WriteText(name);
        }
        csv.NextRecord();
        foreach (var row in rows)
        {
            for (var j = 0; j < row.Count; j++)
            {
                csv.WriteField(row[j].CsvField(decimalComma));
            }
            csv.NextRecord();
        }
    }

    private static void WriteWorkbook(Stream stream, string sheetName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<TableCell>> rows)
    {
        // The header is the sheet's first row rather than MiniExcel's own (taken from the first row's keys), so that a
        // table without rows keeps its header and column names are never keys that must be unique.
        var keys = Enumerable.Range(0, header.Count).Select(j => j.ToString(CultureInfo.InvariantCulture)).ToArray();
        var configuration = new OpenXmlConfiguration { EnableSharedStringCache = false, FastMode = false };
        stream.SaveAs(Sheet(), printHeader: false, sheetName: sheetName, excelType: ExcelType.XLSX, configuration: configuration);

        IEnumerable<Dictionary<string, object?>> Sheet()
        {
            yield return Row(header.Select(name => (object?)name).ToList());
            foreach (var row in rows)
            {
                yield return Row(row.Select(cell => cell.SheetValue).ToList());
            }
        }

        Dictionary<string, object?> Row(List<object?> values)
        {
            var cells = new Dictionary<string, object?>(keys.Length, StringComparer.Ordinal);
            for (var j = 0; j < keys.Length; j++)
            {
                cells[keys[j]] = j < values.Count ? values[j] : null;
            }
            return cells;
        }
    }
}
