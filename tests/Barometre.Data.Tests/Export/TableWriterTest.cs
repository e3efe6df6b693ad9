using System.Globalization;
using System.IO.Compression;
using System.Text;
using Barometre.Data.Export;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;

namespace Barometre.Data.Tests.Export;

/// <summary>The one table writer of every export, in its three formats, read back by independent readers.</summary>
public sealed class TableWriterTest
{
    private static readonly string[] Header = ["texte", "entier", "part"];

    private static readonly TableCell[][] Rows =
    [
        [TableCell.Text("Saint-Malo; intra-muros"), TableCell.Number(12345L), TableCell.Number(0.25)],
        [TableCell.Text("=HYPERLINK(\"http://x\")"), TableCell.Number(-3L), TableCell.Number(1d / 3)],
        [TableCell.Text("-Est"), TableCell.Empty, TableCell.Number((double?)null)],
    ];

    private static byte[] Write(TableFormat format, TableLayout? layout = null)
    {
        using var stream = new MemoryStream();
        TableWriter.Write(stream, format, layout ?? new TableLayout("données"), Header, Rows);
        return stream.ToArray();
    }

    [Fact]
    public void Csv_IsCommaSeparatedWithPointDecimalsAndEscapedFormulas()
    {
        var text = Encoding.UTF8.GetString(Write(TableFormat.Csv, new TableLayout("données", CsvByteOrderMark: false)));

        Assert.Equal(
            "texte,entier,part\nSaint-Malo; intra-muros,12345,0.25\n\"'=HYPERLINK(\"\"http://x\"\")\",-3,0.3333333333333333\n'-Est,,\n",
            text);
    }

    [Fact]
    public void FrenchExcelCsv_ParsesWithSemicolonsAndDecimalCommas()
    {
        var bytes = Write(TableFormat.CsvFrench);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Equal(4, text.Split("\r\n").Length - 1);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // Read as a French spreadsheet reads it, independently of the writer: `;` between fields, fr-FR numbers.
        using var reader = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.GetCultureInfo("fr-FR")) { Delimiter = ";" });
        var read = new List<(string Text, long? Integer, double? Share)>();
        reader.Read();
        reader.ReadHeader();
        Assert.Equal(Header, reader.HeaderRecord);
        while (reader.Read())
        {
            read.Add((reader.GetField<string>(0)!, reader.GetField<long?>(1), reader.GetField<double?>(2)));
        }
        Assert.Equal(
            [("Saint-Malo; intra-muros", 12345L, 0.25), ("'=HYPERLINK(\"http://x\")", -3L, 1d / 3), ("'-Est", null, null)],
            read);
    }

    [Fact]
    public void Xlsx_StoresNumbersAsNumbersAndTextsAsStringsNeverFormulas()
    {
        using var stream = new MemoryStream(Write(TableFormat.Xlsx, new TableLayout("Liens")));

        Assert.Equal(["Liens"], stream.GetSheetNames());
        stream.Position = 0;
        var rows = stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToArray()).ToList();
        Assert.Equal(
        [
            ["texte", "entier", "part"],
            ["Saint-Malo; intra-muros", 12345d, 0.25],
            ["=HYPERLINK(\"http://x\")", -3d, 1d / 3],
            ["-Est", null, null],
        ],
            rows);
        stream.Position = 0;
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read);
        using var sheet = new StreamReader(archive.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        Assert.DoesNotContain("<x:f>", sheet.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Xlsx_WithoutRows_KeepsItsHeader()
    {
        using var stream = new MemoryStream();
        TableWriter.Write(stream, TableFormat.Xlsx, new TableLayout("vide"), Header, []);
        stream.Position = 0;

        var row = Assert.Single(stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>());
        Assert.Equal(Header, row.Values);
    }

    [Theory]
    [InlineData("csv", TableFormat.Csv, "liens.csv", "text/csv; charset=utf-8")]
    [InlineData("CSV-FR", TableFormat.CsvFrench, "liens-excel-fr.csv", "text/csv; charset=utf-8")]
    [InlineData("xlsx", TableFormat.Xlsx, "liens.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public void Formats_HaveOneNameFileNameAndMediaType(string name, TableFormat format, string fileName, string contentType)
    {
        Assert.True(TableFormats.TryParse(name, out var parsed));
        Assert.Equal((format, fileName, contentType), (parsed, parsed.FileName("liens"), parsed.ContentType()));
        Assert.False(TableFormats.TryParse("ods", out _));
    }
}
