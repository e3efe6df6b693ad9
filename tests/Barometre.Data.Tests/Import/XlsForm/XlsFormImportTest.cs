using System.Text;
using Barometre.Data.Import;
using Barometre.Data.Import.Surveys;
using Barometre.Data.Import.XlsForm;
using Barometre.Data.Tests.Import.Surveys;

namespace Barometre.Data.Tests.Import.XlsForm;

public sealed class XlsFormImportTest
{
    private static readonly LevelMap YesNo = SurveyFiles.Levels("codes: {no: 0, yes: 1}\n");

    /// <summary>The names of a form's rows that are questions (neither blank nor a group's or repeat's begin or end), from the sheet's XML.</summary>
    private static HashSet<string> QuestionNames(string path) =>
    [
        .. SurveyFiles.Sheet(path, 1).Skip(1)
            .Where(row => row.TryGetValue("A", out var type) && !type.Contains("group", StringComparison.Ordinal) && !type.Contains("repeat", StringComparison.Ordinal))
            .Select(row => row["B"]),
    ];

    [Theory]
    [InlineData("field-list.xlsx", "name", null, "table list question")]
    [InlineData("yes_or_no_question.xlsx", "yes-or-no-question", null, "have you had a good day today?")]
    public void Fixture_EveryQuestionImportedOrNoted_AndTheDraftValidatesOnceTitled(string file, string themeId, string? title, string label)
    {
        var path = SurveyFiles.XlsForm(file);
        var names = QuestionNames(path);

        var bare = XlsFormImport.Load(path, LevelMap.None).GetValueOrThrow();
        var draft = XlsFormImport.Load(path, YesNo).GetValueOrThrow();

        Assert.Single(names);
        Assert.Equal(names, SurveyFiles.NotImported(bare.Notes));
        Assert.Empty(bare.Themes);
        Assert.Equal(names, draft.Questions.Select(question => question.Code).ToHashSet());
        Assert.Empty(SurveyFiles.NotImported(draft.Notes));
        var theme = Assert.Single(draft.Themes);
        Assert.Equal((themeId, title), (theme.Id, theme.Title));
        Assert.Equal(label, Assert.Single(theme.Questions).Label);
        // The choices' labels, from the XML: « label » (field-list), « label:english » (legacy spelling).
        var choices = SurveyFiles.Sheet(path, 2).Skip(1).ToDictionary(row => row["B"], row => row["C"]);
        Assert.Equal([choices["no"], choices["yes"]], draft.Scale);

        // The form gives the group no label: the draft says so, and validates once the operator titles the theme.
        var check = draft.Check("brouillon.yaml");
        var problem = Assert.Single(check.Problems);
        Assert.Equal($"thème {themeId} : « title » manquant", problem.Message);
        var yaml = draft.ToYaml().Replace($"  - id: {themeId}\n", $"  - id: {themeId}\n    title: Journée\n", StringComparison.Ordinal);
        var model = ModelFile.Read(new ModelText(yaml, "brouillon.yaml")).GetValueOrThrow();
        Assert.Equal(["Journée"], model.Themes.Select(t => t.Title));
    }

    [Fact]
    public void FieldList_OtherLanguagesNoted()
    {
        var draft = XlsFormImport.Load(SurveyFiles.XlsForm("field-list.xlsx"), YesNo).GetValueOrThrow();

        Assert.Contains(draft.Notes, note => note.Source.EndsWith("field-list.xlsx[choices]", StringComparison.Ordinal)
            && note.Message == "feuille « choices » : pas de libellés en français ; repris de la colonne « label », les autres (« label::chinese ») non repris");
        Assert.Contains(draft.Notes, note => note.Source.EndsWith("field-list.xlsx[survey]", StringComparison.Ordinal) && note.Line == 1 && note.Column == 3
            && note.Message.Contains("« label::english », qui n'est pas en français", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ceci n'est pas un classeur")]
    [InlineData("PK\u0003\u0004\u0014\u0000 une archive coupée")]
    public void Read_NotAWorkbook_FrenchProblem(string content)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));

        var result = XlsFormImport.Read(stream, "formulaire.xlsx", LevelMap.None);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("formulaire.xlsx", problem.Source);
        Assert.StartsWith("ce n'est pas un classeur .xlsx lisible : enregistrez le formulaire au format Excel (.xlsx)", problem.Message, StringComparison.Ordinal);
    }
}
