using System.Text;
using Barometre.Data.Import;
using Barometre.Data.Import.LimeSurvey;
using Barometre.Data.Import.Surveys;
using Barometre.Data.Tests.Import.Surveys;

namespace Barometre.Data.Tests.Import.LimeSurvey;

public sealed class LimeSurveyImportTest
{
    private static ImportResult<ModelDraft> Read(string text, LevelMap? levels = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return LimeSurveyImport.Read(stream, "enquete.lss", levels ?? LevelMap.None);
    }

    [Fact]
    public void Legacy_Fixture_EveryQuestionImportedOrNotedWithItsReason()
    {
        var path = SurveyFiles.LimeSurvey(SurveyFiles.Legacy);
        var codes = SurveyFiles.QuestionCodes(path);
        var items = SurveyFiles.ItemCodes(path, "5");
        // Q06 is the only array (type F, qid 5), its answers coded 1..5 and shown from 5 to 1: a map is needed.
        var levels = SurveyFiles.Levels("questions:\n  Q06: {\"1\": 0, \"2\": 1, \"3\": 2, \"4\": 3, \"5\": 4}\n");

        var bare = LimeSurveyImport.Load(path, LevelMap.None).GetValueOrThrow();
        var mapped = LimeSurveyImport.Load(path, levels).GetValueOrThrow();

        Assert.Equal(9, codes.Count);
        Assert.Empty(bare.Themes);
        Assert.Equal(codes, SurveyFiles.NotImported(bare.Notes));
        var imported = mapped.Questions.Select(question => question.Code).ToHashSet();
        Assert.Equal(["Q06"], imported);
        Assert.Equal(items.Select(item => $"page-2.q06_{item}"), mapped.Questions.Select(question => question.Id));
        Assert.Equal(codes.Except(imported).ToHashSet(), SurveyFiles.NotImported(mapped.Notes));
        Assert.Contains(mapped.Notes, note => note.Message.StartsWith("question « Q01 » (Which of the following electronics", StringComparison.Ordinal) && note.Message.EndsWith("non reprise : choix multiple : une question du baromètre a une seule réponse sur l'échelle", StringComparison.Ordinal));
        Assert.Contains(mapped.Notes, note => note.Message.Contains("« Q03 »", StringComparison.Ordinal) && note.Message.EndsWith("texte libre", StringComparison.Ordinal));
        Assert.Contains(mapped.Notes, note => note.Message.Contains("« Q04 »", StringComparison.Ordinal) && note.Message.Contains("11 réponses", StringComparison.Ordinal));
        // Code 1 is shown last (sortorder 5): the level is the map's, the label follows the code, not the display order.
        Assert.Equal(["Not At All Important", "Not Very Important", "Neither Important or Unimportant", "Somewhat Important", "Very Important"], mapped.Scale);
        Assert.Equal(0, mapped.Questions.First().Cells["1"]);
        Assert.Equal(4, mapped.Questions.First().Cells["5"]);
        Assert.Contains(mapped.Notes, note => note.Message.Contains("pas de version française", StringComparison.Ordinal));
        Assert.True(mapped.Check("brouillon.yaml").Succeeded);
    }

    [Fact]
    public void L10nGeneration_Fixture_TextsFromTheL10nTablesInTheBaseLanguage()
    {
        var path = SurveyFiles.LimeSurvey(SurveyFiles.L10n);
        var document = System.Xml.Linq.XDocument.Load(path).Root!;
        string Text(string table, string column) => document.Element(table)!.Element("rows")!.Elements("row").Single(row => row.Element("language")!.Value == "de").Element(column)!.Value;
        var levels = SurveyFiles.Levels("codes: {\"1\": 0, \"2\": 1, \"3\": 2, \"4\": 3}\n");

        var draft = LimeSurveyImport.Load(path, levels).GetValueOrThrow();

        Assert.Equal(SurveyFiles.QuestionCodes(path), draft.Questions.Select(question => question.Code).ToHashSet());
        var theme = Assert.Single(draft.Themes);
        Assert.Equal(Text("group_l10ns", "group_name"), theme.Title);
        Assert.Equal(Text("question_l10ns", "question"), Assert.Single(theme.Questions).Label);
        Assert.Equal(["Erster Eintrag", "Zweiter Eintrag", "Dritter Eintrag", "Vierter Eintrag"], draft.Scale);
        Assert.Contains(draft.Notes, note => note.Message.StartsWith("langue(s) non reprise(s) : « en »", StringComparison.Ordinal));
        Assert.True(draft.Check("brouillon.yaml").Succeeded);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FrenchSurvey_BothGenerations_GiveTheSameDraft(bool l10n)
    {
        var draft = SurveyFiles.Draft(SurveyFiles.FrenchSurvey(l10n));
        var other = SurveyFiles.Draft(SurveyFiles.FrenchSurvey(!l10n));

        Assert.Equal("barometre-numerique-2024", draft.Id);
        Assert.Equal("Enquête d'essai", draft.Description);
        Assert.Equal(["strategie-numerique", "services"], draft.Themes.Select(theme => theme.Id));
        Assert.Equal(["Stratégie numérique", "Services"], draft.Themes.Select(theme => theme.Title));
        Assert.Equal(["strategie-numerique.g01q01_sq001", "strategie-numerique.g01q01_sq002", "services.g02q01"], draft.Questions.Select(question => question.Id));
        Assert.Equal("La collectivité dispose : — d'une stratégie formalisée", draft.Questions.First().Label);
        Assert.Equal(["Rien", "Réflexion", "Formalisé", "Appliqué"], draft.Scale);
        Assert.All(draft.Questions, question => Assert.Empty(question.Help));
        Assert.Equal(["G01Q02", "G02Q02"], SurveyFiles.NotImported(draft.Notes).Order(StringComparer.Ordinal));
        Assert.Contains(draft.Notes, note => note.Message.StartsWith("question « G02Q01 » : condition d'affichage non reprise (« G01Q01_SQ001 > 0 »)", StringComparison.Ordinal));
        Assert.Contains(draft.Notes, note => note.Message.StartsWith("langue(s) non reprise(s) : « en »", StringComparison.Ordinal));
        Assert.DoesNotContain(draft.Notes, note => note.Message.Contains("version française", StringComparison.Ordinal));
        Assert.Equal(Strip(draft.ToYaml()), Strip(other.ToYaml()));
        var model = draft.Check("brouillon.yaml").GetValueOrThrow();
        Assert.Equal(3, model.Questions.Count);

        // Notes name places of the .lss; the two generations lay their rows out differently.
        static string Strip(string yaml) => string.Join('\n', yaml.Split('\n').Where(line => !line.StartsWith('#')));
    }

    [Fact]
    public void Draft_NoLabelForTheLevels_IsWrittenAndSaysWhatToFillIn()
    {
        // Every answer mapped to a level by a table, two answers on level 1: no question labels each level once.
        var levels = SurveyFiles.Levels("codes: {\"0\": 0, \"1\": 1, \"2\": 1, \"3\": 2}\n");

        var draft = SurveyFiles.Draft(SurveyFiles.FrenchSurvey(true), levels: levels);
        var check = draft.Check("brouillon.yaml");

        Assert.Equal(3, draft.Questions.Count());
        Assert.Equal([null, null, null], draft.Scale);
        Assert.Contains(draft.Notes, note => note.Message.StartsWith("aucune question ne donne un libellé à chaque niveau", StringComparison.Ordinal));
        Assert.False(check.Succeeded);
        Assert.All(check.Problems, problem => Assert.Contains("« label » manquant", problem.Message, StringComparison.Ordinal));
        Assert.Equal(3, check.ProblemCount);

        // The operator writes the labels: the draft validates.
        var yaml = draft.ToYaml();
        foreach (var (level, label) in new[] { (0, "Rien"), (1, "Engagé"), (2, "Appliqué") })
        {
            yaml = yaml.Replace($"  - level: {level}\n", $"  - level: {level}\n    label: {label}\n", StringComparison.Ordinal);
        }
        Assert.True(ModelFile.Read(new ModelText(yaml, "brouillon.yaml")).Succeeded);
    }

    [Fact]
    public void Draft_QuestionOnAnotherScale_IsNotedAndTheOthersKept()
    {
        // G02Q01 answered on three levels by its table: the scale is the four levels of G01Q01's items.
        var levels = SurveyFiles.Levels("questions:\n  G02Q01: {\"0\": 0, \"1\": 1, \"2\": 2, \"3\": 2}\n  Q99: {\"1\": 0}\n");

        var draft = SurveyFiles.Draft(SurveyFiles.FrenchSurvey(true), levels: levels);

        Assert.Equal(["strategie-numerique.g01q01_sq001", "strategie-numerique.g01q01_sq002", "services.g02q01"], draft.Questions.Select(question => question.Id));
        Assert.Equal(2, draft.Questions.Last().Cells["3"]);
        Assert.Empty(draft.Questions.Last().Help);
        Assert.Contains(draft.Notes, note => note.Source == "niveaux.yaml" && note.Line == 3 && note.Message.Contains("« Q99 »", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<document><LimeSurveyDocType>Survey</LimeSurveyDocType>\n<groups><rows><row><gid>1</gid>", 2, "XML mal formé à cet endroit")]
    [InlineData("<?xml version=\"1.0\"?>\n<!DOCTYPE document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<document>&x;</document>", 0, "déclare une DTD")]
    [InlineData("<document>\n  <LimeSurveyDocType>Group</LimeSurveyDocType>\n</document>", 2, "ce fichier est un groupe de questions (.lsg), pas une enquête")]
    [InlineData("<html>\n<body/></html>", 1, "ce n'est pas un export LimeSurvey (.lss) : l'élément racine est « html »")]
    [InlineData("PK\u0003\u0004 une archive .lsa", 1, "XML mal formé à cet endroit")]
    public void Read_BrokenOrHostileFile_FrenchProblemWithItsPlace(string text, int line, string message)
    {
        var result = Read(text);

        // The XML reader refuses a DTD before it tells where it stands (line 0: the whole file).
        var problem = Assert.Single(result.Problems);
        Assert.Equal(("enquete.lss", line == 0 ? null : line), (problem.Source, problem.Line));
        Assert.Equal(line != 0, problem.Column is not null);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuestionWithoutInteger_Id_ProblemAtItsRow()
    {
        var text = SurveyFiles.FrenchSurvey(false).Replace("<qid><![CDATA[30]]></qid>", "<qid><![CDATA[trente]]></qid>", StringComparison.Ordinal);

        var result = Read(text);

        // The rows of the language read (fr): the question's row in « questions », then its four answers.
        Assert.False(result.Succeeded);
        Assert.Equal(5, result.ProblemCount);
        Assert.Equal("table « questions » : « qid » vaut « trente », attendu un entier", result.Problems[0].Message);
        Assert.Equal("table « answers » : « qid » vaut « trente », attendu un entier", result.Problems[^1].Message);
        Assert.All(result.Problems, problem => Assert.True(problem.Line > 1 && problem.Column > 0));
    }
}
