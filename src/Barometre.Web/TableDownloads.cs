using Barometre.Data;
using Barometre.Data.Export;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web;

/// <summary>
/// The table downloads of the pages and the API in the format the query's <c>format</c> asks for (<see cref="TableFormats"/>:
/// <c>csv</c> when absent, <c>csv-fr</c>, <c>xlsx</c>): one reading of the parameter, one file name and media type per format.
/// </summary>
public static class TableDownloads
{
    /// <summary>The format asked for: CSV when none is; null when the name is unknown.</summary>
    public static TableFormat? Parse(string? format) =>
        string.IsNullOrEmpty(format) ? TableFormat.Csv : TableFormats.TryParse(format, out var parsed) ? parsed : null;

    /// <summary>Why a format is refused, in French.</summary>
    public static string UnknownFormat(string? format) => $"Format « {TextRules.Quote(format)} » inconnu : choisissez {TableFormats.NamesText}.";

    /// <summary>A format as the pages offer it.</summary>
    public static string Label(TableFormat format) => format switch
    {
        TableFormat.CsvFrench => "CSV pour Excel en français",
        TableFormat.Xlsx => "classeur Excel (.xlsx)",
        _ => "CSV",
    };

    /// <summary>A download's address in a format: <paramref name="href"/> itself for CSV, with <c>format=</c> added otherwise.</summary>
    public static string Href(string href, TableFormat format)
    {
        ArgumentNullException.ThrowIfNull(href);
        return format == TableFormat.Csv ? href : $"{href}{(href.Contains('?', StringComparison.Ordinal) ? '&' : '?')}format={format.Name()}";
    }

    /// <summary>The table, written in memory.</summary>
    public static byte[] Bytes(Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        write(buffer);
        return buffer.ToArray();
    }

    /// <summary>The table as a download named <paramref name="name"/> (without extension) in <paramref name="format"/>.</summary>
    public static FileContentResult File(TableFormat format, string name, Action<Stream> write) =>
        new(Bytes(write), format.ContentType()) { FileDownloadName = format.FileName(name) };
}
