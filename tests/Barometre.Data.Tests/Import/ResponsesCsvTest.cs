using System.Globalization;
using System.Text;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Import;

public sealed class ResponsesCsvTest
{
    private const string Source = "reponses.csv";

    private static readonly string TestDataDirectory = Path.Combine(AppContext.BaseDirectory, "TestData", "Import");

    /// <summary>Questions in model order: a.q1 (0), a.q2 (1), b.q1 (2); the default 5-level scale.</summary>
    internal static readonly MaturityModel Model = new(
        "mini",
        "Mini",
        null,
        [
            new Theme("a", "Thème A", 1, [new Question("a.q1", "A1"), new Question("a.q2", "A2")]),
            new Theme("b", "Thème B", 2, [new Question("b.q1", "B1")]),
        ],
        []);

    private static ImportResult<ResponseSet> Read(string text, MaturityModel? model = null) =>
        ReadBytes(Encoding.UTF8.GetBytes(text), model);

    private static ImportResult<ResponseSet> ReadBytes(byte[] bytes, MaturityModel? model = null)
    {
        using var stream = new MemoryStream(bytes);
        return ResponsesCsv.Read(stream, Source, model ?? Model);
    }

    private static ResponseSet ReadValid(string text, MaturityModel? model = null)
    {
        var result = Read(text, model);
        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(0, result.ProblemCount);
        return result.Value!;
    }

    private static InputProblem SingleProblem(ImportResult<ResponseSet> result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(1, result.ProblemCount);
        Assert.Equal(Source, problem.Source);
        return problem;
    }

    private static sbyte[] Cells(ResponseSet responses) => responses.Cells.ToArray();

    private static byte[] WithBom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];

    private const string Simple = "code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2\nC2,Bêta,4,3,NSP\n";

    // ---- Separators, encodings, line ends ----

    [Fact]
    public void Read_CommaSeparated_ReadsRespondentsAndCells()
    {
        var responses = ReadValid(Simple);

        Assert.Same(Model, responses.Model);
        Assert.Equal(2, responses.Count);
        Assert.Equal(new Respondent("C1", "Alpha"), responses.Respondents[0]);
        Assert.Equal(new Respondent("C2", "Bêta"), responses.Respondents[1]);
        Assert.Equal([0, 1, 2, 4, 3, CellCode.DontKnow], Cells(responses));
    }

    [Fact]
    public void PrepareReader_CompilesTheReadersLoopsAndChangesNothing()
    {
        var before = Cells(ReadValid(Simple));

        var prepared = ResponsesCsv.PrepareReader();

        Assert.Contains("ResponsesCsv.ReadRows", prepared);
        Assert.Contains("ResponsesCsv.ReadFields", prepared);
        Assert.Equal(before, Cells(ReadValid(Simple)));
    }

    [Fact]
    public void Read_SemicolonHeader_UsesSemicolonSeparator()
    {
        var responses = ReadValid("code;nom;a.q1;a.q2;b.q1\nC1;Saint-Malo, intra-muros;0;1;2\n");

        Assert.Equal("Saint-Malo, intra-muros", responses.Respondents[0].Name);
        Assert.Equal([0, 1, 2], Cells(responses));
    }

    [Fact]
    public void Read_HeaderWithMoreCommasThanSemicolons_UsesComma()
    {
        var responses = ReadValid("code,nom,a.q1,a.q2,b.q1\nC1,Nom; avec point-virgule,0,1,2\n");

        Assert.Equal("Nom; avec point-virgule", responses.Respondents[0].Name);
    }

    [Fact]
    public void Read_SemicolonFile_CommaInCellIsInvalidValue()
    {
        var result = Read("code;nom;a.q1;a.q2;b.q1\nC1;Alpha;3,5;1;2\n");

        var problem = SingleProblem(result);
        Assert.Equal(2, problem.Line);
        Assert.Equal(3, problem.Column);
        Assert.Contains("« 3,5 »", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Utf8Bom_IsIgnored()
    {
        var result = ReadBytes(WithBom(Simple));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal("C1", result.Value!.Respondents[0].Code);
        Assert.Equal("Bêta", result.Value.Respondents[1].Name);
        Assert.Equal(Cells(ReadValid(Simple)), Cells(result.Value));
    }

    [Fact]
    public void Read_Utf8BomWithSemicolons_IsIgnored()
    {
        var result = ReadBytes(WithBom("code;nom;a.q1;a.q2;b.q1\r\nC1;Évry;1;2;3\r\n"));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal(new Respondent("C1", "Évry"), result.Value!.Respondents[0]);
        Assert.Equal([1, 2, 3], Cells(result.Value));
    }

    [Fact]
    public void Read_CrLfLineEnds_SameAsLf()
    {
        var lf = ReadValid(Simple);
        var crlf = ReadValid(Simple.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(lf.Respondents, crlf.Respondents);
        Assert.Equal(Cells(lf), Cells(crlf));
    }

    [Fact]
    public void Read_CrLfLineEnds_LastFieldHasNoCarriageReturn()
    {
        var responses = ReadValid("code,nom,a.q1,a.q2,region,b.q1\r\nC1,Alpha,0,1,Bretagne,4\r\n");

        Assert.Equal("Bretagne", responses.Respondents[0].Region);
        Assert.Equal(4, responses[0, 2]);
    }

    [Fact]
    public void Read_CrLfLineEnds_ProblemLinesArePhysical()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\r\n\r\nC1,\"Ligne un\r\nLigne deux\",0,1,2\r\nC2,Bêta,0,x,2\r\n");

        Assert.Equal([(4, 2), (5, 4)], result.Problems.Select(p => (p.Line, p.Column)));
        Assert.Contains("« Ligne unU+000DU+000ALigne deux » contient un caractère de contrôle", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoFinalLineEnd_ReadsLastRow()
    {
        var responses = ReadValid("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2");

        Assert.Equal([0, 1, 2], Cells(responses));
    }

    [Fact]
    public void Read_BlankLines_AreSkipped()
    {
        var responses = ReadValid("code,nom,a.q1,a.q2,b.q1\n\nC1,Alpha,0,1,2\n\n\nC2,Bêta,1,1,1\n\n");

        Assert.Equal(["C1", "C2"], responses.Respondents.Select(r => r.Code));
        Assert.Equal([0, 1, 2, 1, 1, 1], Cells(responses));
    }

    [Fact]
    public void Read_BlankLines_LinesStayPhysical()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\n\nC1,Alpha,0,1,2\n\n\nC2,Bêta,1,9,1\n");

        var problem = SingleProblem(result);
        Assert.Equal(6, problem.Line);
        Assert.Equal(4, problem.Column);
    }

    [Fact]
    public void Read_QuotedFieldWithSeparatorAndQuotes_IsUnquoted()
    {
        var responses = ReadValid("code,nom,a.q1,a.q2,b.q1\nC1,\"Saint-Denis, dite \"\"la belle\"\"\",0,1,2\n");

        Assert.Equal("Saint-Denis, dite \"la belle\"", responses.Respondents[0].Name);
        Assert.Equal([0, 1, 2], Cells(responses));
    }

    [Fact]
    public void Read_QuotedCells_AreRead()
    {
        var responses = ReadValid("\"code\";\"nom\";\"a.q1\";\"a.q2\";\"b.q1\"\n\"C1\";\"Alpha; Bêta\";\"3\";\"NC\";\"\"\n");

        Assert.Equal(new Respondent("C1", "Alpha; Bêta"), responses.Respondents[0]);
        Assert.Equal([3, CellCode.NotConcerned, CellCode.Blank], Cells(responses));
    }

    [Fact]
    public void Read_QuotedMultiLineName_IsReadWholeAndRefused()
    {
        var problem = SingleProblem(Read("code,nom,a.q1,a.q2,b.q1\nC1,\"Ligne un\nLigne deux\",0,1,2\nC2,Bêta,3,3,3\n"));

        // A name holds one line: the field is read whole, up to its closing quote, and refused where its record ends.
        Assert.Equal((3, 2), (problem.Line, problem.Column));
        Assert.Equal("colonne nom : « Ligne unU+000ALigne deux » contient un caractère de contrôle (U+000A, position 9) : il tient sur une ligne, sans caractère de contrôle.", problem.Message);
    }

    [Fact]
    public void Read_QuotedMultiLineField_ProblemLineIsWhereRecordEnds()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\nC1,\"Ligne un\nLigne deux\nLigne trois\",0,oui,2\nC2,Bêta,3,3,x\n");

        Assert.False(result.Succeeded);
        Assert.Equal([(4, 2), (4, 4), (5, 5)], result.Problems.Select(p => (p.Line, p.Column)));
        Assert.Contains("colonne nom : « Ligne unU+000ALigne deuxU+000ALigne trois »", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("« oui »", result.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("« x »", result.Problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuoteInsideUnquotedField_IsKeptAsWritten()
    {
        // As spreadsheets and Python's csv module read it.
        var responses = ReadValid("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2\nC2,Ville dite \"Bêta\",1,1,1\n");

        Assert.Equal("Ville dite \"Bêta\"", responses.Respondents[1].Name);
    }

    // ---- Columns ----

    [Fact]
    public void Read_ColumnsInAnyOrder_MapToTheRightQuestions()
    {
        var responses = ReadValid("b.q1,a.q1,nom,a.q2,code\n2,0,Alpha,1,C1\nNC,4,Bêta,NSP,C2\n");

        var a1 = Model.IndexOfQuestion("a.q1");
        var a2 = Model.IndexOfQuestion("a.q2");
        var b1 = Model.IndexOfQuestion("b.q1");
        Assert.Equal(new Respondent("C1", "Alpha"), responses.Respondents[0]);
        Assert.Equal(0, responses[0, a1]);
        Assert.Equal(1, responses[0, a2]);
        Assert.Equal(2, responses[0, b1]);
        Assert.Equal(4, responses[1, a1]);
        Assert.Equal(CellCode.DontKnow, responses[1, a2]);
        Assert.Equal(CellCode.NotConcerned, responses[1, b1]);
    }

    [Fact]
    public void Read_PermutedColumns_GiveIdenticalCells()
    {
        const string ordered = "code,nom,type,population,region,a.q1,a.q2,b.q1\nC1,Alpha,commune,1000,Bretagne,0,1,2\nC2,Bêta,,,,NSP,,4\nC3,Gamma,métropole,500000,,NC,3,3\n";
        const string permuted = "a.q2,region,b.q1,code,population,a.q1,nom,type\n1,Bretagne,2,C1,1000,0,Alpha,commune\n,,4,C2,,NSP,Bêta,\n3,,3,C3,500000,NC,Gamma,métropole\n";

        var first = ReadValid(ordered);
        var second = ReadValid(permuted);

        Assert.Equal(first.Respondents, second.Respondents);
        Assert.Equal(Cells(first), Cells(second));
    }

    [Fact]
    public void Read_HeaderNamesAreTrimmed()
    {
        var responses = ReadValid(" code , nom ,a.q1 , a.q2,b.q1\nC1,Alpha,0,1,2\n");

        Assert.Equal([0, 1, 2], Cells(responses));
    }

    [Fact]
    public void Read_UnknownColumn_IsNamedWithItsColumn()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1,commentaire\nC1,Alpha,0,1,2,rien\n");

        var problem = SingleProblem(result);
        Assert.Equal(1, problem.Line);
        Assert.Equal(6, problem.Column);
        Assert.Contains("colonne inconnue « commentaire »", problem.Message, StringComparison.Ordinal);
        Assert.Contains("mini", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ColumnDifferingInCase_SuggestsQuestion()
    {
        var result = Read("code,nom,A.Q1,a.q2,b.q1\nC1,Alpha,0,1,2\n");

        Assert.False(result.Succeeded);
        var unknown = Assert.Single(result.Problems, p => p.Column == 3);
        Assert.Equal(1, unknown.Line);
        Assert.Contains("« A.Q1 »", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("vouliez-vous dire « a.q1 »", unknown.Message, StringComparison.Ordinal);
        var missing = Assert.Single(result.Problems, p => p.Column is null);
        Assert.Contains("a.q1", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyColumnName_IsReported()
    {
        var result = Read("code,nom,a.q1,,a.q2,b.q1\nC1,Alpha,0,,1,2\n");

        var problem = SingleProblem(result);
        Assert.Equal((1, 4), (problem.Line, problem.Column));
        Assert.Contains("colonne sans nom", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicatedColumn_IsNamedWithBothColumns()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1,a.q1\nC1,Alpha,0,1,2,0\n");

        var problem = SingleProblem(result);
        Assert.Equal(1, problem.Line);
        Assert.Equal(6, problem.Column);
        Assert.Contains("« a.q1 » en double", problem.Message, StringComparison.Ordinal);
        Assert.Contains("colonne 3", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingQuestionColumn_IsNamed()
    {
        var result = Read("code,nom,a.q1,b.q1\nC1,Alpha,0,2\n");

        var problem = SingleProblem(result);
        Assert.Equal(1, problem.Line);
        Assert.Null(problem.Column);
        Assert.Contains("manquante", problem.Message, StringComparison.Ordinal);
        Assert.Contains("a.q2", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a.q1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingCodeColumn_IsNamed()
    {
        var result = Read("nom,a.q1,a.q2,b.q1\nAlpha,0,1,2\n");

        var problem = SingleProblem(result);
        Assert.Equal(1, problem.Line);
        Assert.Contains("manquante(s) : code", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingNameColumn_IsNamed()
    {
        var result = Read("code,a.q1,a.q2,b.q1\nC1,0,1,2\n");

        var problem = SingleProblem(result);
        Assert.Equal(1, problem.Line);
        Assert.Contains("manquante(s) : nom", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderProblemAndBadCell_ReportsBoth()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1,extra\nC1,Alpha,0,7,2,x\n");

        Assert.False(result.Succeeded);
        Assert.Equal([(1, 6), (2, 4)], result.Problems.Select(p => (p.Line ?? 0, p.Column ?? 0)));
        Assert.Equal(2, result.ProblemCount);
    }

    // ---- Cells ----

    [Fact]
    public void Read_CellsAreTrimmed()
    {
        var responses = ReadValid("code,nom,a.q1,a.q2,b.q1\n C1 , Alpha , 3 ,\t4\t, nsp \n");

        Assert.Equal(new Respondent("C1", "Alpha"), responses.Respondents[0]);
        Assert.Equal([3, 4, CellCode.DontKnow], Cells(responses));
    }

    [Theory]
    [InlineData("NSP", CellCode.DontKnow)]
    [InlineData("nsp", CellCode.DontKnow)]
    [InlineData("Nsp", CellCode.DontKnow)]
    [InlineData("NC", CellCode.NotConcerned)]
    [InlineData("nc", CellCode.NotConcerned)]
    [InlineData("", CellCode.Blank)]
    [InlineData("  ", CellCode.Blank)]
    [InlineData("0", 0)]
    [InlineData("4", 4)]
    public void Read_Cell_MapsToAnswerCode(string cell, sbyte expected)
    {
        var responses = ReadValid($"code,nom,a.q1,a.q2,b.q1\nC1,Alpha,1,{cell},1\n");

        Assert.Equal(expected, responses[0, 1]);
        Assert.Equal(1, responses[0, 0]);
        Assert.Equal(1, responses[0, 2]);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("9")]
    [InlineData("3.0")]
    [InlineData("-1")]
    [InlineData("oui")]
    [InlineData("04")]
    [InlineData("N/A")]
    public void Read_InvalidCell_ReportsLineColumnAndValue(string cell)
    {
        var result = Read($"code,nom,a.q1,a.q2,b.q1\nC1,Alpha,1,2,3\nC2,Bêta,1,{cell},1\n");

        var problem = SingleProblem(result);
        Assert.Equal(3, problem.Line);
        Assert.Equal(4, problem.Column);
        Assert.Contains("a.q2", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"« {cell} »", problem.Message, StringComparison.Ordinal);
        Assert.Contains("0 à 4", problem.Message, StringComparison.Ordinal);
        Assert.Equal($"{Source}:3:4: {problem.Message}", problem.ToString());
    }

    [Fact]
    public void Read_CellAboveCustomScale_IsReported()
    {
        using var reader = new StringReader("""
            id: trois
            scale:
              - {level: 0, label: Non}
              - {level: 1, label: En partie}
              - {level: 2, label: Oui}
            themes:
              - id: t
                title: T
                questions:
                  - {id: t.q, label: Q}
                  - {id: t.r, label: R}
            """);
        var model = ModelFile.Read(reader, "trois.yaml").GetValueOrThrow();

        Assert.Equal([2, 0], Cells(ReadValid("code,nom,t.q,t.r\nC1,Alpha,2,0\n", model)));
        var problem = SingleProblem(Read("code,nom,t.q,t.r\nC1,Alpha,3,0\n", model));
        Assert.Equal((2, 3), (problem.Line, problem.Column));
        Assert.Contains("« 3 »", problem.Message, StringComparison.Ordinal);
        Assert.Contains("0 à 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThreeBadCells_ReportsEachInFileOrder()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2\nC2,Bêta,7,1,2\nC3,Gamma,0,1,2\nC4,Delta,0,1,deux\nC5,Epsilon,0,-3,2\n");

        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        Assert.Equal(3, result.ProblemCount);
        Assert.Equal([(3, 3), (5, 5), (6, 4)], result.Problems.Select(p => (p.Line ?? 0, p.Column ?? 0)));
        Assert.Contains("« 7 »", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("« deux »", result.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("« -3 »", result.Problems[2].Message, StringComparison.Ordinal);
        Assert.All(result.Problems, p => Assert.Equal(Source, p.Source));
    }

    [Fact]
    public void Read_SeveralBadCellsOnOneLine_ReportsEachColumn()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,x,y,z\n");

        Assert.Equal(3, result.ProblemCount);
        Assert.Equal([3, 4, 5], result.Problems.Select(p => p.Column ?? 0));
        Assert.All(result.Problems, p => Assert.Equal(2, p.Line));
    }

    [Fact]
    public void Read_MoreProblemsThanReported_CountsThemAll()
    {
        var text = new StringBuilder("code,nom,a.q1,a.q2,b.q1\n");
        const int rows = ImportResult<ResponseSet>.MaxReported + 5;
        for (var r = 0; r < rows; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{r},Nom,x,1,1\n");
        }

        var result = Read(text.ToString());

        Assert.False(result.Succeeded);
        Assert.Equal(ImportResult<ResponseSet>.MaxReported, result.Problems.Count);
        Assert.Equal(rows, result.ProblemCount);
        Assert.Equal(2, result.Problems[0].Line);
        Assert.Equal(ImportResult<ResponseSet>.MaxReported + 1, result.Problems[^1].Line);
    }

    // ---- Metadata ----

    [Fact]
    public void Read_OptionalMetadata_IsRead()
    {
        var responses = ReadValid("code,nom,type,population,region,a.q1,a.q2,b.q1\nC1,Rennes,métropole,227830, Bretagne ,0,1,2\nC2,Petite,,,,1,1,1\n");

        Assert.Equal(new Respondent("C1", "Rennes", "métropole", 227830, "Bretagne"), responses.Respondents[0]);
        Assert.Equal(new Respondent("C2", "Petite", null, null, null), responses.Respondents[1]);
    }

    [Fact]
    public void Read_NoMetadataColumns_LeavesThemNull()
    {
        var responses = ReadValid(Simple);

        Assert.All(responses.Respondents, r =>
        {
            Assert.Null(r.Type);
            Assert.Null(r.Population);
            Assert.Null(r.Region);
        });
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12 345")]
    [InlineData("12\u00A0345")]
    [InlineData("12\u202F345")]
    [InlineData(" 12 345 ")]
    [InlineData("\"12 345\"")]
    public void Read_PopulationWithThousandsSeparators_IsRead(string population)
    {
        var responses = ReadValid($"code,nom,population,a.q1,a.q2,b.q1\nC1,Alpha,{population},0,1,2\n");

        Assert.Equal(12345L, responses.Respondents[0].Population);
    }

    [Theory]
    [InlineData("beaucoup")]
    [InlineData("12,5")]
    [InlineData("-100")]
    [InlineData("1e6")]
    public void Read_BadPopulation_ReportsLineColumnAndValue(string population)
    {
        var result = Read($"code;nom;type;population;region;a.q1;a.q2;b.q1\nC1;Alpha;commune;1000;;0;1;2\nC2;Bêta;commune;{population};;0;1;2\n");

        var problem = SingleProblem(result);
        Assert.Equal(3, problem.Line);
        Assert.Equal(4, problem.Column);
        Assert.Contains("population", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"« {population} »", problem.Message, StringComparison.Ordinal);
    }

    // ---- Identification fields: one line, within their limits; values quoted short ----

    [Theory]
    [InlineData("code", "C\u0000", 1)]
    [InlineData("nom", "Alpha\u001b[31m", 2)]
    [InlineData("type", "com\u0007mune", 3)]
    [InlineData("region", "Bre\u0085tagne", 5)]
    public void Read_ControlCharacterInIdentificationField_IsRefusedWithItsColumnAndEscapedValue(string column, string value, int position)
    {
        var header = "code,nom,type,population,region,a.q1,a.q2,b.q1";
        string[] fields = ["C1", "Alpha", "commune", "1000", "Bretagne", "0", "1", "2"];
        fields[position - 1] = value;

        var problem = SingleProblem(Read($"{header}\n{string.Join(',', fields)}\n"));

        Assert.Equal((2, position), (problem.Line, problem.Column));
        Assert.StartsWith($"colonne {column} : « {TextRules.Quote(value)} » contient un caractère de contrôle (U+", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(problem.Message, char.IsControl);
    }

    [Theory]
    [InlineData("code", 1, FieldLimits.Code)]
    [InlineData("nom", 2, FieldLimits.CollectiviteName)]
    [InlineData("type", 3, FieldLimits.Name)]
    [InlineData("region", 5, FieldLimits.Name)]
    public void Read_IdentificationFieldBeyondItsLimit_IsRefused(string column, int position, int limit)
    {
        string[] fields = ["C1", "Alpha", "commune", "1000", "Bretagne", "0", "1", "2"];
        fields[position - 1] = new string('x', limit);
        var atLimit = $"code,nom,type,population,region,a.q1,a.q2,b.q1\n{string.Join(',', fields)}\n";
        fields[position - 1] = new string('x', limit + 1);

        var problem = SingleProblem(Read($"code,nom,type,population,region,a.q1,a.q2,b.q1\n{string.Join(',', fields)}\n"));

        ReadValid(atLimit);
        Assert.Equal((2, position), (problem.Line, problem.Column));
        Assert.Equal($"colonne {column} : « {new string('x', TextRules.QuotedLength)}… » dépasse {limit} caractères ({limit + 1}).", problem.Message);
    }

    [Fact]
    public void Read_InvalidTypeOnManyRows_IsReportedOnEachRow()
    {
        var text = new StringBuilder("code,nom,type,a.q1,a.q2,b.q1\n");
        for (var r = 0; r < 3; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{r},Nom,\"com\nmune\",0,1,2\n");
        }

        var result = Read(text.ToString());

        Assert.Equal([(3, 3), (5, 3), (7, 3)], result.Problems.Select(p => (p.Line, p.Column)));
    }

    [Fact]
    public void Read_UnknownColumnOfHalfAMegabyte_IsQuotedInAHundredCharacters()
    {
        var name = new string('é', 500_000);

        var problem = SingleProblem(Read($"code,nom,a.q1,a.q2,b.q1,{name}\nC1,Alpha,0,1,2,\n"));

        Assert.Equal((1, 6), (problem.Line, problem.Column));
        Assert.StartsWith($"colonne inconnue « {new string('é', TextRules.QuotedLength)}… » : ni une colonne", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Message.Length < 400, problem.Message);
    }

    [Fact]
    public void Read_InvalidCellWithEscapes_IsQuotedEscaped()
    {
        var problem = SingleProblem(Read("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,\u001b]0;titre\u0007,2\n"));

        Assert.Equal("colonne a.q2 : valeur « U+001B]0;titreU+0007 » invalide (attendu : un niveau de 0 à 4, vide, NSP ou NC)", problem.Message);
    }

    [Fact]
    public void Read_Utf16WithByteOrderMark_IsRead()
    {
        var expected = ReadValid(Simple);

        var littleEndian = ReadBytes([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Simple)]);
        var bigEndian = ReadBytes([.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Simple)]);

        Assert.All([littleEndian, bigEndian], result =>
        {
            Assert.True(result.Succeeded, string.Join('\n', result.Problems));
            Assert.Equal(expected.Respondents, result.Value!.Respondents);
            Assert.Equal("Bêta", result.Value.Respondents[1].Name);
        });
    }

    [Fact]
    public void Read_Utf16WithoutByteOrderMark_IsRefusedAsNotUtf8()
    {
        var problem = SingleProblem(ReadBytes(Encoding.Unicode.GetBytes(Simple)));

        Assert.Equal((1, 2), (problem.Line, problem.Column));
        Assert.Contains("caractère nul (U+0000) dans la première ligne : le fichier n'est pas du texte UTF-8 (UTF-16 sans BOM ?)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuoteLeftOpenInALargeFile_StopsAtTheRecordLimitWithItsLine()
    {
        var text = new StringBuilder("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2\nC2,\"Bêta,0,1,2\n");
        while (text.Length <= CsvRecordReader.MaxRecordLength + 100)
        {
            text.Append("C3,Gamma,0,1,2\n");
        }

        var problem = SingleProblem(Read(text.ToString()));

        Assert.Equal((3, null), (problem.Line, problem.Column));
        Assert.Equal("enregistrement de plus de 1\u202F048\u202F576 caractères à partir de cette ligne (un guillemet jamais refermé ?) : la lecture s'arrête là", problem.Message);
    }

    [Fact]
    public void Read_HeaderLongerThanTheRecordLimit_IsRefusedAtOnce()
    {
        var problem = SingleProblem(Read(new string('x', CsvRecordReader.MaxRecordLength + 1) + "\nC1\n"));

        Assert.Equal((1, null), (problem.Line, problem.Column));
        Assert.StartsWith("la première ligne dépasse 1\u202F048\u202F576 caractères", problem.Message, StringComparison.Ordinal);
    }

    // ---- Codes and rows ----

    [Fact]
    public void Read_DuplicateCode_NamesBothLines()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2\nC2,Bêta,0,1,2\nC1,Gamma,0,1,2\n");

        var problem = SingleProblem(result);
        Assert.Equal(4, problem.Line);
        Assert.Equal(1, problem.Column);
        Assert.Contains("« C1 »", problem.Message, StringComparison.Ordinal);
        Assert.Contains("ligne 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateCodeAfterTrimming_IsReported()
    {
        var result = Read("nom,code,a.q1,a.q2,b.q1\nAlpha,C1,0,1,2\nBêta, C1 ,0,1,2\n");

        var problem = SingleProblem(result);
        Assert.Equal((3, 2), (problem.Line, problem.Column));
        Assert.Contains("« C1 »", problem.Message, StringComparison.Ordinal);
        Assert.Contains("ligne 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CodesDifferingInCase_AreDistinct()
    {
        var responses = ReadValid("code,nom,a.q1,a.q2,b.q1\nab,Alpha,0,1,2\nAB,Bêta,0,1,2\n");

        Assert.Equal(["ab", "AB"], responses.Respondents.Select(r => r.Code));
    }

    [Fact]
    public void Read_EmptyCode_IsReported()
    {
        var result = Read("nom,a.q1,code,a.q2,b.q1\nAlpha,0,C1,1,2\nBêta,0,  ,1,2\n");

        var problem = SingleProblem(result);
        Assert.Equal(3, problem.Line);
        Assert.Equal(3, problem.Column);
        Assert.Contains("code vide", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C2,Bêta,0,1")]
    [InlineData("C2,Bêta,0,1,2,3")]
    public void Read_WrongFieldCount_IsReported(string row)
    {
        var result = Read($"code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2\n{row}\nC3,Gamma,0,1,2\n");

        var problem = SingleProblem(result);
        Assert.Equal(3, problem.Line);
        Assert.Null(problem.Column);
        Assert.Contains($"{row.Split(',').Length} champs", problem.Message, StringComparison.Ordinal);
        Assert.Contains("5 colonnes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderOnly_ReportsNoRespondent()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\n");

        var problem = SingleProblem(result);
        Assert.Contains("aucune collectivité", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderAndBlankLinesOnly_ReportsNoRespondent()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\r\n\r\n\r\n");

        var problem = SingleProblem(result);
        Assert.Contains("aucune collectivité", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("   \r\n")]
    public void Read_EmptyFile_IsReported(string text)
    {
        var result = Read(text);

        var problem = SingleProblem(result);
        Assert.Equal(1, problem.Line);
        Assert.Contains("fichier vide", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BomOnly_IsEmptyFile()
    {
        var problem = SingleProblem(ReadBytes(WithBom("")));

        Assert.Contains("fichier vide", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Latin1Bytes_AreRefused()
    {
        var bytes = Encoding.Latin1.GetBytes("code,nom,a.q1,a.q2,b.q1\nC1,Créteil,0,1,2\n");
        Assert.Contains((byte)0xE9, bytes);

        var result = ReadBytes(bytes);

        var problem = SingleProblem(result);
        Assert.Contains("UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Latin1EAcuteAfterManyRows_IsRefused()
    {
        var text = new StringBuilder("code,nom,a.q1,a.q2,b.q1\n");
        for (var r = 0; r < 2000; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{r},Nom,0,1,2\n");
        }
        var bytes = (byte[])[.. Encoding.UTF8.GetBytes(text.ToString()), .. "C2000,Cr"u8, 0xE9, .. "teil,0,1,2\n"u8];

        var result = ReadBytes(bytes);

        var problem = SingleProblem(result);
        Assert.Null(result.Value);
        Assert.Contains("UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Latin1Bytes_ReportsLineOfBadByte()
    {
        var bytes = Encoding.Latin1.GetBytes("code,nom,a.q1,a.q2,b.q1\nC1,Alpha,0,1,2\nC2,Créteil,0,1,2\n");

        var problem = SingleProblem(ReadBytes(bytes));

        Assert.Equal(3, problem.Line);
    }

    [Fact]
    public void Read_Latin1EAcuteAfterManyRows_ReportsLineOfBadByte()
    {
        var text = new StringBuilder("code,nom,a.q1,a.q2,b.q1\n");
        for (var r = 0; r < 2000; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{r},Nom,0,1,2\n");
        }
        var bytes = (byte[])[.. Encoding.UTF8.GetBytes(text.ToString()), .. "C2000,Cr"u8, 0xE9, .. "teil,0,1,2\n"u8];

        var problem = SingleProblem(ReadBytes(bytes));

        // Header on line 1, rows C0..C1999 on lines 2..2001: the Latin-1 « é » is on line 2002.
        Assert.Equal(2002, problem.Line);
    }

    [Fact]
    public void Read_UnclosedQuote_IsRefused()
    {
        var result = Read("code,nom,a.q1,a.q2,b.q1\nC1,\"Alpha,0,1,2\nC2,Bêta,1,1,1\n");

        var problem = SingleProblem(result);
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void Read_QuotedAndUnquotedFieldsWithBlanks_AreReadAsWritten()
    {
        var responses = ReadValid("code;nom;a.q1;a.q2;b.q1\r\n C1 ;\"Alpha; Bêta\" ; 3 ;NC ;  \r\nC2;Gamma \"G\";\"4\";;nsp\r\n");

        Assert.Equal([new Respondent("C1", "Alpha; Bêta"), new Respondent("C2", "Gamma \"G\"")], responses.Respondents);
        Assert.Equal([3, CellCode.NotConcerned, CellCode.Blank, 4, CellCode.Blank, CellCode.DontKnow], Cells(responses));
    }

    [Fact]
    public void Read_BadPopulationBeforeBadCell_ReportsThemInColumnOrder()
    {
        var result = Read("code,nom,population,a.q1,a.q2,b.q1\nC1,Alpha,beaucoup,9,1,x\n");

        Assert.False(result.Succeeded);
        Assert.Equal([3, 4, 6], result.Problems.Select(p => p.Column));
        Assert.Contains("population", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ProblemsAfterRowsWithQuotedNames_KeepTheirLines()
    {
        var text = new StringBuilder("code,nom,a.q1,a.q2,b.q1\n");
        for (var r = 0; r < 3000; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{r},{(r % 5 == 0 ? $"\"Nom {r},\nsuite\"" : $"Nom {r}")},0,1,2\n");
        }
        text.Append("C3000,Fin,0,5,2\n");

        var result = Read(text.ToString());

        // Each name running over two lines is refused where its record ends: row r (every fifth) starts on line
        // 2 + r + r / 5 (the header, the rows before it, and one more line for each such name before it).
        var expected = Enumerable.Range(0, 3000).Where(r => r % 5 == 0).Select(r => ((int?)(2 + r + (r / 5) + 1), (int?)2)).ToList();
        // One header line, 3000 rows, and one more line for each of the 600 names running over two lines.
        expected.Add((1 + 3000 + 600 + 1, 4));
        Assert.Equal(expected, result.Problems.Select(p => (p.Line, p.Column)));
    }

    /// <summary>Respondents with every kind of name, and cells of every kind, enough to fill many buffers.</summary>
    private static ResponseSet ManyRespondents()
    {
        var respondents = new List<Respondent>();
        var cells = new List<sbyte>();
        sbyte[] codes = [0, 1, 2, 3, 4, CellCode.Blank, CellCode.DontKnow, CellCode.NotConcerned];
        for (var r = 0; r < 5000; r++)
        {
            var name = (r % 7) switch
            {
                0 => $"Ville, dite \"{r}\"",
                1 => $"=Ville {r}, « {r} »",
                2 => $"Ville dite \"{r}\" sans virgule",
                _ => $"Communauté {r}",
            };
            respondents.Add(new Respondent($"C{r}", name, r % 3 == 0 ? null : "commune", r % 4 == 0 ? null : r * 10, r % 2 == 0 ? "Bretagne" : null));
            for (var q = 0; q < Model.Questions.Count; q++)
            {
                cells.Add(codes[(r + (3 * q)) % codes.Length]);
            }
        }
        return new ResponseSet(Model, respondents, cells.ToArray());
    }

    [Fact]
    public void Write_ThenRead_ManyRespondents_GivesSameResponses()
    {
        var original = ManyRespondents();

        var result = ReadBytes(Write(original));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal(original.Respondents, result.Value!.Respondents);
        Assert.Equal(Cells(original), Cells(result.Value));
    }

    [Fact]
    public void Read_NonSeekableStream_GivesSameResponsesAsSeekable()
    {
        // Without a length to size its tables from, the import grows them as it reads.
        var bytes = Write(ManyRespondents());

        var result = ResponsesCsv.Read(new ForwardOnlyStream(bytes), Source, Model);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var seekable = ReadBytes(bytes).Value!;
        Assert.Equal(seekable.Respondents, result.Value!.Respondents);
        Assert.Equal(Cells(seekable), Cells(result.Value));
    }

    /// <summary>A stream that can only be read forward, a few bytes at a time, as a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1000), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    // ---- Load ----

    [Fact]
    public void Load_File_ReadsIt()
    {
        var path = Path.Combine(TestDataDirectory, "responses.csv");

        var result = ResponsesCsv.Load(path, Model);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var responses = result.Value!;
        Assert.Equal(new Respondent("C1", "Ville, centre", "commune", 12345, "Bretagne"), responses.Respondents[0]);
        Assert.Equal(new Respondent("C2", "Métropole"), responses.Respondents[1]);
        Assert.Equal([0, CellCode.DontKnow, 4, 2, CellCode.NotConcerned, CellCode.Blank], Cells(responses));
    }

    [Fact]
    public void Load_MissingFile_ReportsPath()
    {
        var path = Path.Combine(TestDataDirectory, "absent.csv");

        var result = ResponsesCsv.Load(path, Model);

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Source);
        Assert.Null(problem.Line);
        Assert.Contains("lecture impossible", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileWithProblem_UsesPathAsSource()
    {
        var path = Path.Combine(TestDataDirectory, "responses.csv");
        var other = new MaturityModel("autre", null, null, [new Theme("z", "Z", 1, [new Question("z.q", "Q")])], []);

        var result = ResponsesCsv.Load(path, other);

        Assert.False(result.Succeeded);
        Assert.All(result.Problems, p => Assert.Equal(path, p.Source));
        Assert.Contains(result.Problems, p => p.Message.Contains("« b.q1 »", StringComparison.Ordinal) && p.Column == 6);
        Assert.Contains(result.Problems, p => p.Message.Contains("z.q", StringComparison.Ordinal) && p.Column is null);
    }

    // ---- Write ----

    private static ResponseSet Sample() => new(
        Model,
        [
            new Respondent("C1", "Saint-Denis, dite \"la belle\"", "commune", 112091, "Île-de-France"),
            new Respondent("C2", "Bêta"),
            new Respondent("C3", "-Ligne un, \"deux\"", "métropole", null, "Bretagne"),
        ],
        (sbyte[])[0, 4, CellCode.DontKnow, CellCode.NotConcerned, CellCode.Blank, 2, 3, 3, 1]);

    private static byte[] Write(ResponseSet responses)
    {
        using var stream = new MemoryStream();
        ResponsesCsv.Write(responses, stream);
        return stream.ToArray();
    }

    [Fact]
    public void Write_WritesHeaderAndRowsInModelOrder()
    {
        var responses = new ResponseSet(
            Model,
            [new Respondent("C1", "Alpha", "commune", 1000, "Bretagne"), new Respondent("C2", "Bêta")],
            (sbyte[])[0, CellCode.DontKnow, 4, CellCode.NotConcerned, CellCode.Blank, 2]);

        var bytes = Write(responses);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(
            "code,nom,type,population,region,a.q1,a.q2,b.q1\nC1,Alpha,commune,1000,Bretagne,0,NSP,4\nC2,Bêta,,,,NC,,2\n",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Write_LeavesStreamOpen()
    {
        using var stream = new MemoryStream();

        ResponsesCsv.Write(Sample(), stream);

        Assert.True(stream.CanWrite);
        Assert.True(stream.Length > 0);
    }

    [Fact]
    public void Write_ThenRead_GivesSameResponses()
    {
        var original = Sample();

        var result = ReadBytes(Write(original));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal(original.Respondents, result.Value!.Respondents);
        Assert.Equal(Cells(original), Cells(result.Value));
    }

    [Fact]
    public void Write_ThenRead_ShippedModelRoundTrips()
    {
        var model = ShippedModels.Load("maturite-numerique-2019");
        var q = model.Questions.Count;
        var cells = new sbyte[3 * q];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = (sbyte)((i % 8) - 3);
        }
        var original = new ResponseSet(model, [new Respondent("1", "Un"), new Respondent("2", "Deux", "ville"), new Respondent("3", "Trois", null, 5)], cells);

        using var stream = new MemoryStream(Write(original));
        var result = ResponsesCsv.Read(stream, Source, model);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal(original.Respondents, result.Value!.Respondents);
        Assert.Equal(cells, Cells(result.Value));
    }
}
