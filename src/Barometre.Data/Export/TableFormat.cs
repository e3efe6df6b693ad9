namespace Barometre.Data.Export;

/// <summary>The file formats every table export is offered in.</summary>
public enum TableFormat
{
    /// <summary>CSV as the export has always written it: <c>,</c> between fields, numbers with a decimal point.</summary>
    Csv,

    /// <summary>CSV as a French Excel opens it: <c>;</c> between fields, decimal comma, UTF-8 with a BOM, CRLF line ends.</summary>
    CsvFrench,

    /// <summary>An Excel workbook (.xlsx) of one sheet: numbers stored as numbers, texts as texts.</summary>
    Xlsx,
}

/// <summary>The names, file names and media types of <see cref="TableFormat"/>: one definition for the CLI and the pages.</summary>
public static class TableFormats
{
    /// <summary>The names the CLI's <c>--format</c> and the pages' <c>?format=</c> take, in <see cref="TableFormat"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["csv", "csv-fr", "xlsx"];

    /// <summary>The format a name gives (<see cref="Names"/>, any case); false for any other name.</summary>
    public static bool TryParse(string? name, out TableFormat format)
    {
        var index = Names.ToList().FindIndex(known => string.Equals(known, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        format = index < 0 ? TableFormat.Csv : (TableFormat)index;
        return index >= 0;
    }

    /// <summary>The name of a format (<see cref="Names"/>).</summary>
    public static string Name(this TableFormat format) => Names[(int)format];

    /// <summary>The file's media type, as a download's <c>Content-Type</c>.</summary>
    public static string ContentType(this TableFormat format) => format == TableFormat.Xlsx
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8";

    /// <summary>A file name for a table: <c>NAME.csv</c>, <c>NAME-excel-fr.csv</c> or <c>NAME.xlsx</c>.</summary>
    public static string FileName(this TableFormat format, string name) => format switch
    {
        TableFormat.CsvFrench => $"{name}-excel-fr.csv",
        TableFormat.Xlsx => $"{name}.xlsx",
        _ => $"{name}.csv",
    };

    /// <summary>« csv, csv-fr ou xlsx », for messages.</summary>
    public static string NamesText => $"{string.Join(", ", Names.Take(Names.Count - 1))} ou {Names[^1]}";
}
