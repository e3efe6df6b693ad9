using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Barometre.Data.Import;
using Barometre.Data.Import.Surveys;

namespace Barometre.Data.Tests.Import.Surveys;

/// <summary>The survey files of the tests: the copied fixtures, a small French survey in both .lss generations, and what each holds, counted from its XML.</summary>
internal static class SurveyFiles
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "TestData", "Import");

    public static string LimeSurvey(string name) => Path.Combine(Directory, "LimeSurvey", name);

    public static string XlsForm(string name) => Path.Combine(Directory, "XlsForm", name);

    public const string Legacy = "ls2_cascading_array_filter.lss";

    public const string L10n = "limesurvey_survey_188432_answerSetsForEmTest.lss";

    public static LevelMap Levels(string yaml) => LevelMap.Read(yaml, "niveaux.yaml").GetValueOrThrow();

    public static ModelDraft Draft(string lss, string source = "enquete.lss", LevelMap? levels = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(lss));
        return Data.Import.LimeSurvey.LimeSurveyImport.Read(stream, source, levels ?? LevelMap.None).GetValueOrThrow();
    }

    /// <summary>The codes of a .lss's questions (parent_qid 0, one row per question whatever its languages), from its XML.</summary>
    public static HashSet<string> QuestionCodes(string path) =>
    [
        .. XDocument.Load(path).Root!.Element("questions")!.Element("rows")!.Elements("row")
            .Where(row => (string?)row.Element("parent_qid") is null or "0")
            .Select(row => row.Element("title")!.Value),
    ];

    /// <summary>The codes of the items of an array question of a .lss, from its XML.</summary>
    public static List<string> ItemCodes(string path, string parentQid) =>
    [
        .. XDocument.Load(path).Root!.Element("subquestions")!.Element("rows")!.Elements("row")
            .Where(row => row.Element("parent_qid")!.Value == parentQid)
            .Select(row => row.Element("title")!.Value)
            .Distinct(),
    ];

    /// <summary>A sheet of an .xlsx as rows of cell texts by column letter, read from its XML without MiniExcel.</summary>
    public static List<Dictionary<string, string>> Sheet(string path, int sheet)
    {
        using var zip = ZipFile.OpenRead(path);
        XNamespace main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } entry
            ? XDocument.Load(entry.Open()).Root!.Elements(main + "si").Select(si => string.Concat(si.Descendants(main + "t").Select(t => t.Value))).ToList()
            : [];
        var xml = XDocument.Load(zip.GetEntry($"xl/worksheets/sheet{sheet}.xml")!.Open());
        return
        [
            .. xml.Descendants(main + "row").Select(row => row.Elements(main + "c")
                .Where(cell => cell.Element(main + "v") is not null)
                .ToDictionary(
                    cell => new string([.. ((string)cell.Attribute("r")!).TakeWhile(char.IsLetter)]),
                    cell => (string?)cell.Attribute("t") == "s" ? shared[int.Parse(cell.Element(main + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture)] : cell.Element(main + "v")!.Value)),
        ];
    }

    /// <summary>The codes the notes say were not carried over (« question « CODE » (…) non reprise »).</summary>
    public static HashSet<string> NotImported(IEnumerable<InputProblem> notes) =>
    [
        .. notes.Select(note => System.Text.RegularExpressions.Regex.Match(note.Message, "^question « (?<code>[^»]+) » \\(.*\\) non reprise : "))
            .Where(match => match.Success)
            .Select(match => match.Groups["code"].Value),
    ];

    /// <summary>
    /// A small French survey (base language fr, also en) in either generation of .lss: « Stratégie numérique » with an
    /// array G01Q01 of two items answered 0 … 3 and a free text G01Q02; « Services » with a list G02Q01 answered 0 … 3
    /// under a display condition, and a multiple choice G02Q02.
    /// </summary>
    public static string FrenchSurvey(bool l10n)
    {
        string[] languages = ["fr", "en"];
        (int Gid, int Order, string Fr, string En)[] groups = [(1, 0, "Stratégie numérique", "Digital strategy"), (2, 1, "Services", "Services")];
        (int Qid, int Parent, int Gid, string Type, string Code, string Fr, string Relevance)[] questions =
        [
            (10, 0, 1, "F", "G01Q01", "La collectivité dispose :", "1"),
            (11, 10, 1, "T", "SQ001", "d'une <b>stratégie</b> formalisée", ""),
            (12, 10, 1, "T", "SQ002", "d'une gouvernance active", ""),
            (20, 0, 1, "T", "G01Q02", "Commentaire", "1"),
            (30, 0, 2, "L", "G02Q01", "Démarches en ligne", "G01Q01_SQ001 > 0"),
            (40, 0, 2, "M", "G02Q02", "Canaux utilisés", "1"),
            (41, 40, 2, "T", "SQ001", "Téléphone", ""),
        ];
        string[] labels = ["Rien", "Réflexion", "Formalisé", "Appliqué"];
        var answers = new[] { 10, 30 }.SelectMany(qid => labels.Select((label, code) => (Aid: (qid * 10) + code, Qid: qid, Code: code.ToString(System.Globalization.CultureInfo.InvariantCulture), Label: label))).ToList();
        static string English(string text) => "EN " + text;

        static XElement Table(string name, string[] fields, IEnumerable<object[]> rows) => new(name,
            new XElement("fields", fields.Select(field => new XElement("fieldname", field))),
            new XElement("rows", rows.Select(row => new XElement("row", fields.Zip(row).Select(pair => new XElement(pair.First, new XCData(Convert.ToString(pair.Second, System.Globalization.CultureInfo.InvariantCulture)!)))))));

        var document = new XElement("document",
            new XElement("LimeSurveyDocType", "Survey"),
            new XElement("DBVersion", l10n ? "450" : "359"),
            new XElement("languages", languages.Select(language => new XElement("language", language))),
            Table("surveys", ["sid", "language", "additional_languages"], [[4242, "fr", "en "]]),
            Table("surveys_languagesettings", ["surveyls_survey_id", "surveyls_language", "surveyls_title", "surveyls_description"],
                [[4242, "fr", "Baromètre numérique 2024", "<p>Enquête d'essai</p>"], [4242, "en", "Digital barometer 2024", ""]]));
        var subquestions = questions.Where(q => q.Parent != 0).ToList();
        var parents = questions.Where(q => q.Parent == 0).ToList();
        if (l10n)
        {
            document.Add(
                Table("groups", ["gid", "sid", "group_order", "grelevance"], groups.Select(g => new object[] { g.Gid, 4242, g.Order, "" })),
                Table("group_l10ns", ["id", "gid", "group_name", "description", "language"], groups.SelectMany(g => new[] { new object[] { g.Gid * 2, g.Gid, g.Fr, "", "fr" }, [(g.Gid * 2) + 1, g.Gid, g.En, "", "en"] })),
                Table("questions", ["qid", "parent_qid", "sid", "gid", "type", "title", "other", "question_order", "scale_id", "relevance"],
                    parents.Select((q, i) => new object[] { q.Qid, 0, 4242, q.Gid, q.Type, q.Code, "N", i, 0, q.Relevance })),
                Table("subquestions", ["qid", "parent_qid", "sid", "gid", "type", "title", "other", "question_order", "scale_id", "relevance"],
                    subquestions.Select((q, i) => new object[] { q.Qid, q.Parent, 4242, q.Gid, q.Type, q.Code, "N", i, 0, "" })),
                Table("question_l10ns", ["id", "qid", "question", "help", "language"],
                    questions.SelectMany(q => new[] { new object[] { q.Qid * 2, q.Qid, q.Fr, "", "fr" }, [(q.Qid * 2) + 1, q.Qid, English(q.Fr), "", "en"] })),
                Table("answers", ["aid", "qid", "code", "sortorder", "assessment_value", "scale_id"], answers.Select(a => new object[] { a.Aid, a.Qid, a.Code, a.Code, 0, 0 })),
                Table("answer_l10ns", ["id", "aid", "answer", "language"], answers.SelectMany(a => new[] { new object[] { a.Aid * 2, a.Aid, a.Label, "fr" }, [(a.Aid * 2) + 1, a.Aid, English(a.Label), "en"] })));
        }
        else
        {
            document.Add(
                Table("groups", ["gid", "sid", "group_name", "group_order", "description", "language", "grelevance"],
                    groups.SelectMany(g => new[] { new object[] { g.Gid, 4242, g.Fr, g.Order, "", "fr", "" }, [g.Gid, 4242, g.En, g.Order, "", "en", ""] })),
                Table("questions", ["qid", "parent_qid", "sid", "gid", "type", "title", "question", "help", "other", "question_order", "language", "scale_id", "relevance"],
                    parents.SelectMany((q, i) => new[] { new object[] { q.Qid, 0, 4242, q.Gid, q.Type, q.Code, q.Fr, "", "N", i, "fr", 0, q.Relevance }, [q.Qid, 0, 4242, q.Gid, q.Type, q.Code, English(q.Fr), "", "N", i, "en", 0, q.Relevance] })),
                Table("subquestions", ["qid", "parent_qid", "sid", "gid", "type", "title", "question", "help", "other", "question_order", "language", "scale_id", "relevance"],
                    subquestions.SelectMany((q, i) => new[] { new object[] { q.Qid, q.Parent, 4242, q.Gid, q.Type, q.Code, q.Fr, "", "N", i, "fr", 0, "" }, [q.Qid, q.Parent, 4242, q.Gid, q.Type, q.Code, English(q.Fr), "", "N", i, "en", 0, ""] })),
                Table("answers", ["qid", "code", "answer", "assessment_value", "sortorder", "language", "scale_id"],
                    answers.SelectMany(a => new[] { new object[] { a.Qid, a.Code, a.Label, 0, a.Code, "fr", 0 }, [a.Qid, a.Code, English(a.Label), 0, a.Code, "en", 0] })));
        }
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), document).ToString();
    }
}
