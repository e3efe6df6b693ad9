namespace Barometre.Cli.Tests;

public sealed class ImportCommandTest : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "TestData");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string Q06Levels = "questions:\n  Q06: {\"1\": 0, \"2\": 1, \"3\": 2, \"4\": 3, \"5\": 4}\n";

    [Fact]
    public void LimeSurvey_WithLevelsAndResponses_WritesADraftThatValidatesAndResponsesThatCompute()
    {
        var levels = _temp.File("niveaux.yaml", Q06Levels);
        var responses = _temp.File("results-survey12175.csv", """
            "id","token","submitdate","Q01[A]","Q06[1]","Q06[2]","Q06[3]","Q06[4]","Q06[5]","Q06[6]"
            "1","","2012-03-12 10:00:00","Y","5","4","3","2","1",""
            "2","","2012-03-12 11:00:00","","1","1","2","2","3","3"
            "3","","2012-03-12 12:00:00","","4","5","","1","2","3"
            """);
        var model = _temp.File("brouillon.yaml");
        var wide = _temp.File("reponses.csv");

        var run = CliRun.Of("import", "limesurvey", "--survey", Path.Combine(Fixtures, "LimeSurvey", "ls2_cascading_array_filter.lss"),
            "--levels", levels, "--responses", responses, "--out-model", model, "--out-responses", wide);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Out + run.Error);
        Assert.Contains($"{model} : brouillon écrit — 1 thème, 6 questions, échelle de 5 niveaux ; 12 éléments non repris ou repris avec réserve", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{wide} : 3 collectivités, 6 questions.", run.Out, StringComparison.Ordinal);
        Assert.Contains("Le brouillon se valide. À écrire encore : les indicateurs clés", run.Out, StringComparison.Ordinal);
        Assert.Contains("ls2_cascading_array_filter.lss:530:5: question « Q01 »", run.Error, StringComparison.Ordinal);
        Assert.Contains("colonne(s) sans question du brouillon, non reprises : « Q01[A] »", run.Error, StringComparison.Ordinal);
        Assert.Contains("# Non repris ou repris avec réserve", File.ReadAllText(model), StringComparison.Ordinal);
        Assert.Equal(
            "code,nom,type,population,region,page-2.q06_1,page-2.q06_2,page-2.q06_3,page-2.q06_4,page-2.q06_5,page-2.q06_6\n"
            + "1,1,,,,4,3,2,1,0,\n2,2,,,,0,0,1,1,2,2\n3,3,,,,3,4,,0,1,2\n",
            File.ReadAllText(wide));

        var validate = CliRun.Of("validate", "--model", model, "--responses", wide);
        Assert.True(validate.ExitCode == ExitCodes.Success, validate.Out + validate.Error);
    }

    [Fact]
    public void XlsForm_GroupWithoutLabel_DraftWrittenAndExitSixSayingWhatToFillIn()
    {
        var levels = _temp.File("niveaux.yaml", "codes: {no: 0, yes: 1}\n");
        var model = _temp.File("brouillon.yaml");

        var run = CliRun.Of("import", "xlsform", "--form", Path.Combine(Fixtures, "XlsForm", "field-list.xlsx"), "--levels", levels, "--out-model", model);

        Assert.Equal(ExitCodes.DraftToComplete, run.ExitCode);
        Assert.Contains($"Le brouillon ne se valide pas encore : complétez dans {model} ce qui suit", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{model}:14:5: thème name : « title » manquant", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(model));

        File.WriteAllText(model, File.ReadAllText(model).Replace("  - id: name\n", "  - id: name\n    title: Généralités\n", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Success, CliRun.Of("validate", "--model", model).ExitCode);
    }

    [Fact]
    public void LimeSurvey_BrokenSurvey_ExitOneAndNothingWritten()
    {
        var survey = _temp.File("enquete.lss", "<document>\n  <LimeSurveyDocType>Survey</LimeSurveyDocType>\n  <groups><rows>\n");
        var model = _temp.File("brouillon.yaml");

        var run = CliRun.Of("import", "limesurvey", "--survey", survey, "--out-model", model);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.StartsWith($"{survey}:4:1: XML mal formé à cet endroit", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void LimeSurvey_BadResponse_ExitOneAndNeitherFileWritten()
    {
        var levels = _temp.File("niveaux.yaml", Q06Levels);
        var responses = _temp.File("reponses-ls.csv", "id,Q06_1\n1,6\n");
        var model = _temp.File("brouillon.yaml");
        var wide = _temp.File("reponses.csv");

        var run = CliRun.Of("import", "limesurvey", "--survey", Path.Combine(Fixtures, "LimeSurvey", "ls2_cascading_array_filter.lss"),
            "--levels", levels, "--responses", responses, "--out-model", model, "--out-responses", wide);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"{responses}:2:2: question « Q06 » (page-2.q06_1) : « 6 » n'est ni un code ni un libellé de ses réponses", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(model) || File.Exists(wide));
    }

    [Theory]
    [InlineData("--responses", "r.csv")]
    [InlineData("--out-responses", "r.csv")]
    public void LimeSurvey_ResponsesWithoutTheirOutput_UsageError(string option, string value)
    {
        var run = CliRun.Of("import", "limesurvey", "--survey", "s.lss", "--out-model", "m.yaml", option, value);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--responses et --out-responses vont ensemble", run.Error, StringComparison.Ordinal);
    }
}
