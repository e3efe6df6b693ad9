using System.Text;
using Barometre.Core.Responses;
using Barometre.Data.Import;
using Barometre.Data.Import.LimeSurvey;
using Barometre.Data.Tests.Import.Surveys;

namespace Barometre.Data.Tests.Import.LimeSurvey;

public sealed class LimeSurveyResponsesTest
{
    private static ImportResult<ConvertedResponses> Convert(string csv, bool l10n = true)
    {
        var draft = SurveyFiles.Draft(SurveyFiles.FrenchSurvey(l10n));
        using var stream = new MemoryStream(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray());
        return LimeSurveyResponses.Read(stream, "reponses.csv", draft);
    }

    [Fact]
    public void CodeHeadings_ConvertedOnTheDraftsIds_AndReadBackByResponsesCsv()
    {
        const string csv = """
            "id","token","submitdate","lastpage","startlanguage","seed","G01Q01[SQ001]","G01Q01[SQ002]","G01Q02","G02Q01","G02Q02[SQ001]"
            "1","tokA","2024-05-01 10:00:00","3","fr","123","0","3","Un commentaire","2","Y"
            "2","tokB","","1","fr","124","1","","","",""
            "3","tokC","2024-05-02 11:00:00","3","fr","125","2","","","3",""
            """;

        var converted = Convert(csv).GetValueOrThrow();

        var responses = converted.Responses;
        Assert.Equal(["tokA", "tokC"], responses.Respondents.Select(respondent => respondent.Code));
        Assert.Equal(["tokA", "tokC"], responses.Respondents.Select(respondent => respondent.Name));
        Assert.Equal(new sbyte[] { 0, 3, 2, 2, CellCode.Blank, 3 }, responses.Cells.ToArray());
        Assert.Contains(converted.Notes, note => note.Message == "colonne(s) sans question du brouillon, non reprises : « G01Q02 », « G02Q02[SQ001] »");
        Assert.Contains(converted.Notes, note => note.Message.StartsWith("1 réponse(s) non terminée(s) (submitdate vide) écartée(s) : « tokB »", StringComparison.Ordinal));
        Assert.Contains(converted.Notes, note => note.Message.StartsWith("pas de colonne « nom »", StringComparison.Ordinal));

        // Written as the wide CSV, it reads back on the draft's model, once validated, to the same answers.
        var model = SurveyFiles.Draft(SurveyFiles.FrenchSurvey(true)).Check("brouillon.yaml").GetValueOrThrow();
        using var wide = new MemoryStream();
        ResponsesCsv.Write(responses, wide);
        wide.Position = 0;
        var read = ResponsesCsv.Read(wide, "reponses-baro.csv", model).GetValueOrThrow();
        Assert.Equal(responses.Cells.ToArray(), read.Cells.ToArray());
        Assert.Equal(model.Questions.Select(question => question.Id), responses.Model.Questions.Select(question => question.Id));
    }

    [Fact]
    public void OtherHeadingsAndFullTexts_ExpressionManagerCodesFullTextsAndLabels()
    {
        // Semicolons, Expression Manager codes, a full-text heading and labels instead of codes; a code and a name asked in the survey.
        const string csv = """
            id;code;nom;region;population;G01Q01_SQ001;La collectivité dispose : [d'une gouvernance active];4242X2X30
            1;200046977;Métropole de Lyon;Auvergne-Rhône-Alpes;1 411 571;Réflexion;Appliqué;N/A
            2;243100518;Toulouse Métropole;Occitanie;;0;;Formalisé
            """;

        var responses = Convert(csv, l10n: false).GetValueOrThrow().Responses;

        Assert.Equal(
            [new Respondent("200046977", "Métropole de Lyon", null, 1_411_571, "Auvergne-Rhône-Alpes"), new Respondent("243100518", "Toulouse Métropole", null, null, "Occitanie")],
            responses.Respondents);
        Assert.Equal(new sbyte[] { 1, 3, CellCode.Blank, 0, CellCode.Blank, 2 }, responses.Cells.ToArray());
    }

    [Fact]
    public void BadValues_EveryProblemWithLineAndColumn()
    {
        const string csv = "id,token,G01Q01[SQ001],G01Q01[SQ002],G02Q01\n1,tokA,7,0,1\n2,tokA,0,Beaucoup,1\n,,0,0,0\n";

        var result = Convert(csv);

        Assert.False(result.Succeeded);
        Assert.Equal(
        [
            "reponses.csv:2:3: question « G01Q01 » (strategie-numerique.g01q01_sq001) : « 7 » n'est ni un code ni un libellé de ses réponses (« 0 », « 1 », « 2 », « 3 »)",
            "reponses.csv:3:2: la collectivité « tokA » a déjà une réponse plus haut dans le fichier",
            "reponses.csv:4:1: « id » vide : chaque réponse doit identifier sa collectivité",
        ], result.Problems.Select(problem => problem.ToString()));
    }

    [Fact]
    public void DraftWithoutQuestion_NothingToConvert()
    {
        var draft = LimeSurveyImport.Load(SurveyFiles.LimeSurvey(SurveyFiles.L10n), Data.Import.Surveys.LevelMap.None).GetValueOrThrow();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("id,G00Q03\n1,2\n"));

        var result = LimeSurveyResponses.Read(stream, "reponses.csv", draft);

        Assert.StartsWith("aucune question de l'enquête n'est reprise", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }
}
