using System.Globalization;
using System.Text;
using Barometre.Core;
using Barometre.Data.Import;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Data.Tests.Import;

/// <summary>
/// The imports' own CSV reader must split text exactly as CsvHelper's parser did before it (fields, field
/// counts, physical line numbers, raw records), quoted, multi-line and malformed records included.
/// </summary>
public sealed class CsvRecordReaderTest
{
    private sealed record Record(string[] Fields, int RawRow, string RawRecord);

    private static List<Record> ReadWithCsvHelper(string text, char delimiter)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            BadDataFound = null,
        };
        using var parser = new CsvParser(new StringReader(text), configuration);
        var records = new List<Record>();
        while (parser.Read())
        {
            records.Add(new Record([.. Enumerable.Range(0, parser.Count).Select(j => parser[j])], parser.RawRow, parser.RawRecord));
        }
        return records;
    }

    private static List<Record> ReadWithReader(string text, char delimiter, int bufferSize)
    {
        var reader = new CsvRecordReader(new StringReader(text), delimiter, bufferSize);
        var records = new List<Record>();
        while (reader.Read())
        {
            records.Add(new Record([.. Enumerable.Range(0, reader.Count).Select(j => reader[j].ToString())], reader.RawRow, reader.RawRecord.ToString()));
        }
        return records;
    }

    private static void AssertSameAsCsvHelper(string text, char delimiter = ',')
    {
        var expected = ReadWithCsvHelper(text, delimiter);
        // A tiny buffer makes records straddle refills; a large one holds the whole text.
        foreach (var bufferSize in new[] { 16, 17, 1 << 16 })
        {
            var actual = ReadWithReader(text, delimiter, bufferSize);
            Assert.True(expected.Count == actual.Count, $"{Show(text)}: {expected.Count} records expected, {actual.Count} read (buffer {bufferSize})");
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.True(
                    expected[i].Fields.SequenceEqual(actual[i].Fields) && expected[i].RawRow == actual[i].RawRow && expected[i].RawRecord == actual[i].RawRecord,
                    $"{Show(text)}, record {i} (buffer {bufferSize}): expected [{string.Join("|", expected[i].Fields.Select(Show))}] line {expected[i].RawRow} raw {Show(expected[i].RawRecord)}, "
                    + $"read [{string.Join("|", actual[i].Fields.Select(Show))}] line {actual[i].RawRow} raw {Show(actual[i].RawRecord)}");
            }
        }
    }

    private static string Show(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    [Theory]
    [InlineData("code,nom,q1\nC1,Alpha,0\nC2,Bêta,4\n")]
    [InlineData("code,nom,q1\r\nC1,Alpha,0\r\nC2,Bêta,4\r\n")]
    [InlineData("code,nom,q1\rC1,Alpha,0\rC2,Bêta,4\r")]
    [InlineData("code,nom,q1\nC1,Alpha,0")]
    [InlineData("code,nom,q1\nC1,Alpha,")]
    [InlineData("code,nom,q1\n\n\r\n\rC1,Alpha,0\n\n")]
    [InlineData("code,nom,q1\nC1 , Alpha ,  0  \n")]
    [InlineData("code,nom,q1\nC1,\"Saint-Denis, dite \"\"la belle\"\"\",0\n")]
    [InlineData("code,nom,q1\nC1,\"\",\"3\"\n")]
    [InlineData("code,nom,q1\nC1,\"Ligne un\nLigne deux\",0\nC2,Bêta,1\n")]
    [InlineData("code,nom,q1\r\n\r\nC1,\"Ligne un\r\nLigne deux\",0\r\nC2,Bêta,x\r\n")]
    [InlineData("code,nom,q1\nC1,\"Ligne un\rLigne deux\r\nLigne trois\n\",0\n")]
    [InlineData("code,nom,q1\nC1,Ville dite \"Bêta\",1\n")]
    [InlineData("code,nom,q1\nC1,\"Alpha\" centre,1\n")]
    [InlineData("code,nom,q1\nC1,\"Alpha\"\"\",1\n")]
    [InlineData("code,nom,q1\nC1,\"Alpha\" \"x\",1\n")]
    [InlineData("code,nom,q1\nC1,\",1\n")]
    [InlineData("code,nom,q1\nC1,\"Alpha,0,1,2\nC2,Bêta,1,1,1\n")]
    [InlineData("code,nom,q1\nC1,\"Alpha,0,1,2\nC2,Bêta,1,1,1")]
    [InlineData("code,nom,q1\nC1,\"Alpha\r")]
    [InlineData("\"code\",\"nom\",\"q1\"\n\"C1\",\"Alpha\",\"3\"\n")]
    [InlineData(" \"code\",nom,q1\n C1 ,\"a\" ,\"b\"c\n")]
    [InlineData("\n")]
    [InlineData("\r\n\r\n")]
    [InlineData("   \r\n")]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("\"")]
    [InlineData("\"\"")]
    [InlineData("\"\"\"")]
    [InlineData(",,\n,\n")]
    public void Read_SameAsCsvHelper(string text) => AssertSameAsCsvHelper(text);

    [Theory]
    [InlineData("code;nom;q1\nC1;Saint-Malo, intra-muros;0\n")]
    [InlineData("code;nom;q1\r\nC1;\"Alpha; Bêta\";\"NC\"\r\n")]
    [InlineData("code;nom;q1\nC1;Alpha;3,5\n")]
    public void Read_Semicolons_SameAsCsvHelper(string text) => AssertSameAsCsvHelper(text, ';');

    [Trait("Size", "Large")]
    [Fact]
    public void Read_RandomTexts_SameAsCsvHelper()
    {
        // Short texts over the characters that matter to a CSV parser, drawn with a fixed seed.
        const string alphabet = "ab,;\"\"\r\n\n  \uFFFD";
        var random = new Random(20240601);
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(1, 40);
            for (var k = 0; k < length; k++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }
            AssertSameAsCsvHelper(text.ToString(), i % 2 == 0 ? ',' : ';');
        }
    }

    /// <summary>
    /// Lines without quotes are split with the vectors of the kernels' path: every path, on lines of every length up to
    /// three 512-bit blocks, separators dense (fields of one or two characters, as the wide CSV's answers) or sparse.
    /// </summary>
    [Theory]
    [InlineData(VectorPath.Scalar)]
    [InlineData(VectorPath.Vector128)]
    [InlineData(VectorPath.Vector256)]
    [InlineData(VectorPath.Vector512)]
    public void Read_LinesWithoutQuotes_EveryVectorPath_SameAsCsvHelper(VectorPath path)
    {
        var random = new Random(16);
        var text = new StringBuilder();
        for (var length = 0; length <= 3 * 32 + 1; length++)
        {
            foreach (var separators in new[] { 0.5, 0.05 })
            {
                text.Append('x');
                for (var k = 1; k < length; k++)
                {
                    text.Append(random.NextDouble() < separators ? ',' : (char)('0' + random.Next(10)));
                }
                text.Append(length % 3 == 0 ? "\r\n" : "\n");
            }
        }

        using (Kernels.ForcePath(path))
        {
            AssertSameAsCsvHelper(text.ToString());
            AssertSameAsCsvHelper(text.ToString().Replace(',', ';'), ';');
        }
    }

    [Fact]
    public void Read_LongRecordsAcrossRefills_SameAsCsvHelper()
    {
        var text = new StringBuilder("code,nom,q1\n");
        for (var r = 0; r < 300; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{r},");
            text.Append(r % 7 == 0 ? $"\"Nom {new string('x', r)}, \"\"cité\"\"\nsuite\"" : $"Nom {new string('y', r)}");
            text.Append(r % 3 == 0 ? ",1\r\n" : ",2\n");
            if (r % 11 == 0)
            {
                text.Append("\r\n\n");
            }
        }
        AssertSameAsCsvHelper(text.ToString());
    }
}
