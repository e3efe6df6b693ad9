using System.IO.Compression;
using System.Text;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Data.Export;
using Barometre.Data.Import;
using MiniExcelLibs;

namespace Barometre.Data.Tests.Import;

/// <summary>
/// Responses and panels from an Excel workbook: the same checks as the CSV, problems placed by sheet, row and column
/// letter, and a responses file that goes CSV → XLSX → CSV unchanged through the real writer and readers.
/// </summary>
public sealed class WorkbookImportTest
{
    /// <summary>The CSV tests' model: a.q1, a.q2, b.q1 on the default 5-level scale.</summary>
    private static MaturityModel Model => ResponsesCsvTest.Model;

    /// <summary>A workbook written by MiniExcel, as a spreadsheet would save it: rows of typed cells on named sheets.</summary>
    private static MemoryStream Workbook(params (string Sheet, object?[][] Rows)[] sheets)
    {
        var workbook = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (sheet, rows) in sheets)
        {
            var width = rows.Max(row => row.Length);
            workbook[sheet] = rows.Select(row => Enumerable.Range(0, width)
                .ToDictionary(j => InputProblem.ColumnLetters(j + 1), j => j < row.Length ? row[j] : null)).ToList();
        }
        var stream = new MemoryStream();
        stream.SaveAs(workbook, printHeader: false);
        stream.Position = 0;
        return stream;
    }

    private static ImportResult<ResponseSet> Read(Stream workbook, string source = "reponses.xlsx", string? sheet = null) =>
        ResponsesCsv.Read(workbook, source, Model, sheet);

    [Fact]
    public void Read_NumbersStoredAsNumbers_ReadAsTheirText()
    {
        var workbook = Workbook(("Réponses",
        [
            ["code", "nom", "population", "a.q1", "a.q2", "b.q1"],
            ["C1", "Alpha", 12345d, 3d, "NSP", 0d],
            ["C2", "Bêta", null, 4d, "nc", null],
        ]));

        var result = Read(workbook);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var responses = result.Value!;
        Assert.Equal(new Respondent("C1", "Alpha", null, 12345, null), responses.Respondents[0]);
        Assert.Equal([3, CellCode.DontKnow, 0, 4, CellCode.NotConcerned, CellCode.Blank], responses.Cells.ToArray());
    }

    [Fact]
    public void Read_BadCell_IsPlacedBySheetRowAndColumnLetter()
    {
        var workbook = Workbook(("Réponses",
        [
            ["code", "nom", "a.q1", "a.q2", "b.q1"],
            ["C1", "Alpha", 1d, 2d, 3d],
            [],
            ["C2", "Bêta", 1d, 7d, 2d],
        ]));

        var result = Read(workbook);

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(("reponses.xlsx", "Réponses", 4, 4), (problem.Source, problem.Sheet, problem.Line, problem.Column));
        Assert.Equal(
            "reponses.xlsx, feuille « Réponses », ligne 4, colonne D : colonne a.q2 : valeur « 7 » invalide (attendu : un niveau de 0 à 4, vide, NSP ou NC)",
            problem.ToString());
    }

    [Fact]
    public void Read_EveryProblemOfTheSheet_IsReportedAndNothingIsKept()
    {
        var workbook = Workbook(("Feuil1",
        [
            ["code", "nom", "a.q1", "a.q2", "b.q1"],
            ["C1", "Alpha", 1.5, 2d, 3d],
            ["C1", "Alpha bis", 1d, 2d, 3d, "hors colonnes"],
            ["C3", "Gamma", 1d, "#N/A", 3d],
        ]));

        var result = Read(workbook);

        Assert.Null(result.Value);
        Assert.Equal(
        [
            "reponses.xlsx, feuille « Feuil1 », ligne 2, colonne C : colonne a.q1 : valeur « 1.5 » invalide (attendu : un niveau de 0 à 4, vide, NSP ou NC)",
            "reponses.xlsx, feuille « Feuil1 », ligne 3, colonne F : valeur « hors colonnes » dans une colonne sans nom : la ligne d'en-tête nomme 5 colonnes (A à E)",
            "reponses.xlsx, feuille « Feuil1 », ligne 4, colonne D : colonne a.q2 : valeur « #N/A » invalide (attendu : un niveau de 0 à 4, vide, NSP ou NC)",
        ],
            result.Problems.Select(problem => problem.ToString()));
    }

    [Fact]
    public void Read_HeaderProblems_NameTheSheetAndColumn()
    {
        var workbook = Workbook(("Feuil1", [["code", "nom", "a.q1", "a.q3", "b.q1"], ["C1", "Alpha", 1d, 2d, 3d]]));

        var result = Read(workbook);

        Assert.Equal(
            [(1, (int?)4), (1, null)],
            result.Problems.Select(problem => (problem.Line!.Value, problem.Column)));
        Assert.All(result.Problems, problem => Assert.Equal("Feuil1", problem.Sheet));
    }

    [Fact]
    public void Read_NamedSheet_IsReadAndAnUnknownOneListsTheSheets()
    {
        var workbook = Workbook(
            ("Notes", [["Lisez-moi"]]),
            ("Réponses", [["code", "nom", "a.q1", "a.q2", "b.q1"], ["C1", "Alpha", 1d, 2d, 3d]]));

        var named = Read(workbook, sheet: "Réponses");
        workbook.Position = 0;
        var unknown = Read(workbook, sheet: "Reponses");
        workbook.Position = 0;
        var first = Read(workbook);

        Assert.True(named.Succeeded, string.Join('\n', named.Problems));
        Assert.Equal("pas de feuille « Reponses » dans le classeur ; ses feuilles : « Notes », « Réponses »", Assert.Single(unknown.Problems).Message);
        Assert.Equal("colonne inconnue « Lisez-moi » : ni une colonne d'identification (code, nom, type, population, region) ni une question du référentiel mini",
            first.Problems[0].Message);
    }

    [Fact]
    public void Read_FormulaCell_GivesItsCachedValue()
    {
        var workbook = Workbook(("Feuil1", [["code", "nom", "a.q1", "a.q2", "b.q1"], ["C1", "Alpha", 1d, 2d, 3d]]));
        // Excel saves a formula with the value it last computed: =1+2 in C2, saved as 3.
        var patched = PatchSheet(workbook, xml => xml.Replace("<x:v>1</x:v>", "<x:f>1+2</x:f><x:v>3</x:v>", StringComparison.Ordinal));

        var result = Read(patched);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal([3, 2, 3], result.Value!.Cells.ToArray());
    }

    [Fact]
    public void Read_EmptyRowsAtTheEnd_AreIgnored()
    {
        var workbook = Workbook(("Feuil1", [["code", "nom", "a.q1", "a.q2", "b.q1"], ["C1", "Alpha", 1d, 2d, 3d], [null, ""], [], [null, null, null]]));

        var result = Read(workbook);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal(1, result.Value!.Count);
    }

    [Fact]
    public void Read_WorkbookUnderAnotherName_IsReadAsAWorkbook()
    {
        var workbook = Workbook(("Feuil1", [["code", "nom", "a.q1", "a.q2", "b.q1"], ["C1", "Alpha", 1d, 2d, 3d]]));

        var result = Read(workbook, source: "reponses.csv");

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
    }

    [Fact]
    public void Read_CsvNamedXlsx_IsRefusedClearly()
    {
        var result = Read(new MemoryStream(Encoding.UTF8.GetBytes("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,1,2,3\n")));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("reponses.xlsx", null, null), (problem.Source, problem.Line, problem.Column));
        Assert.StartsWith("le fichier porte l'extension .xlsx mais n'est pas un classeur Excel", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DamagedArchiveOrOldWorkbook_IsRefusedClearly()
    {
        var damaged = Read(new MemoryStream([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6]));
        var legacy = Read(new MemoryStream([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), source: "reponses.xls");

        Assert.StartsWith("classeur illisible", Assert.Single(damaged.Problems).Message, StringComparison.Ordinal);
        Assert.StartsWith("classeur Excel 97-2003 (.xls)", Assert.Single(legacy.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SheetAskedOfACsv_IsRefused()
    {
        var result = ResponsesCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,1,2,3\n")), "reponses.csv", Model, "Feuil1");

        Assert.StartsWith("feuille « Feuil1 » demandée, mais le fichier est un CSV", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PanelRead_Workbook_GivesEntriesAndPlacedProblems()
    {
        var valid = PanelCsv.Read(Workbook(("Panel", [["code", "nom", "email"], ["C1", "Alpha", "mairie@alpha.fr"]])), "panel.xlsx");
        var invalid = PanelCsv.Read(Workbook(("Panel", [["code", "nom", "email"], ["C1", "Alpha", "sans-arobase"]])), "panel.xlsx");

        Assert.Equal([new PanelEntry(new Respondent("C1", "Alpha"), "mairie@alpha.fr")], valid.Value!);
        Assert.Equal("panel.xlsx, feuille « Panel », ligne 2, colonne C : colonne email : « sans-arobase » n'est pas une adresse électronique",
            Assert.Single(invalid.Problems).ToString());
    }

    [Theory]
    [InlineData(3d, "3")]
    [InlineData(12345d, "12345")]
    [InlineData(0.25, "0.25")]
    [InlineData(-2d, "-2")]
    [InlineData(true, "VRAI")]
    [InlineData(null, "")]
    public void CellText_IsTheTextACsvWouldHold(object? value, string expected) => Assert.Equal(expected, SheetRows.Text(value));

    [Fact]
    public void CellText_DatesAreIso() =>
        Assert.Equal(("2026-03-01", "2026-03-01T14:30:00"), (SheetRows.Text(new DateTime(2026, 3, 1)), SheetRows.Text(new DateTime(2026, 3, 1, 14, 30, 0))));

    [Theory]
    [InlineData(1, "A")]
    [InlineData(26, "Z")]
    [InlineData(27, "AA")]
    [InlineData(52, "AZ")]
    [InlineData(703, "AAA")]
    public void ColumnLetters_AreExcels(int column, string letters) => Assert.Equal(letters, InputProblem.ColumnLetters(column));

    [Fact]
    public void RoundTrip_CsvToXlsxToCsv_GivesTheSameBytes()
    {
        // Texts that open formulas, apostrophes, quotes, separators, accents, populations and every kind of cell.
        const string Csv = "code,nom,type,population,region,a.q1,a.q2,b.q1\n"
            + "C1,Alpha,commune,12345,Bretagne,0,NSP,4\n"
            + "'-C2,\"'=HYPERLINK(\"\"x\"\")\",'+type,,\"Provence-Alpes-Côte d'Azur, Corse\",,NC,1\n"
            + "C3,\"Bêta \"\"la belle\"\"\",,0,'@region,3,2,\n";
        var original = Encoding.UTF8.GetBytes(Csv);
        var responses = ResponsesCsv.Read(new MemoryStream(original), "depart.csv", Model).GetValueOrThrow();

        using var workbook = new MemoryStream();
        ResponsesCsv.Write(responses, workbook, TableFormat.Xlsx);
        workbook.Position = 0;
        var fromWorkbook = ResponsesCsv.Read(workbook, "reponses.xlsx", Model).GetValueOrThrow();
        using var again = new MemoryStream();
        ResponsesCsv.Write(fromWorkbook, again);

        Assert.Equal(Csv, Encoding.UTF8.GetString(again.ToArray()));
        Assert.Equal(responses.Respondents, fromWorkbook.Respondents);
        Assert.Equal("=HYPERLINK(\"x\")", fromWorkbook.Respondents[1].Name);
    }

    [Fact]
    public void RoundTrip_ThroughFrenchExcelCsv_GivesTheSameResponses()
    {
        var responses = ResponsesCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes("code,nom,population,a.q1,a.q2,b.q1\nC1,'-Est,1000,1,NSP,\n")), "depart.csv", Model)
            .GetValueOrThrow();

        using var french = new MemoryStream();
        ResponsesCsv.Write(responses, french, TableFormat.CsvFrench);
        french.Position = 0;
        var read = ResponsesCsv.Read(french, "reponses-excel-fr.csv", Model).GetValueOrThrow();

        Assert.Equal(responses.Respondents, read.Respondents);
        Assert.Equal(responses.Cells.ToArray(), read.Cells.ToArray());
    }

    /// <summary>A copy of a workbook with its first sheet's XML changed.</summary>
    private static MemoryStream PatchSheet(MemoryStream workbook, Func<string, string> change)
    {
        var copy = new MemoryStream();
        workbook.CopyTo(copy);
        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry("xl/worksheets/sheet1.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }
            var changed = change(xml);
            Assert.NotEqual(xml, changed);
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("xl/worksheets/sheet1.xml").Open());
            writer.Write(changed);
        }
        copy.Position = 0;
        return copy;
    }
}
