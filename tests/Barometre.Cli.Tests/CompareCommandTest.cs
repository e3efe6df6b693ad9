using System.Text.Json;
using Barometre.Core.Synthetic;
using Barometre.Data.Import;

namespace Barometre.Cli.Tests;

/// <summary><c>barometre compare</c> end to end: two shipped editions' answers in, evolution.json out, or located errors.</summary>
public sealed class CompareCommandTest
{
    internal const string Earlier = "maturite-numerique-2019";
    internal const string Later = "maturite-numerique-2021";

    /// <summary>A synthetic panel of a shipped model written as the wide CSV; codes SYN0001… so that editions overlap.</summary>
    internal static string Panel(TempDirectory temp, string model, int respondents, long seed)
    {
        var responses = SyntheticPanel.Generate(ShippedModels.Load(model), new SyntheticPanelOptions { Respondents = respondents, Seed = seed });
        var path = temp.File($"{model}.csv");
        using var stream = File.Create(path);
        ResponsesCsv.Write(responses, stream);
        return path;
    }

    [Fact]
    public void Compare_TwoShippedEditions_WritesTheEvolution()
    {
        using var temp = new TempDirectory();
        var before = Panel(temp, Earlier, 39, seed: 2019);
        var after = Panel(temp, Later, 45, seed: 2021);

        var run = CliRun.Of("compare", "--before-model", Earlier, "--before", before, "--after-model", Later, "--after", after, "--out", temp.File("evolution.json"), "--bootstrap", "200");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("evolution.json")));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal((39, 45), (root.GetProperty("before").GetProperty("respondents").GetInt32(), root.GetProperty("after").GetProperty("respondents").GetInt32()));
        Assert.Equal(39, root.GetProperty("overlap").GetInt32());
        Assert.Equal(39, root.GetProperty("collectivites").GetArrayLength());
        var themes = root.GetProperty("themes").EnumerateArray().ToList();
        // The renamed theme compares with its 2019 id; the dropped and new ones are listed, not compared.
        Assert.Contains(themes, t => t.GetProperty("id").GetString() == "numerique-educatif" && t.GetProperty("beforeId").GetString() == "education");
        Assert.Contains("territoire", root.GetProperty("notComparable").GetProperty("before").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("inclusion", root.GetProperty("notComparable").GetProperty("after").EnumerateArray().Select(e => e.GetString()));
        Assert.All(themes, t =>
        {
            Assert.Equal("wilcoxon", t.GetProperty("paired").GetProperty("test").GetString());
            Assert.InRange(t.GetProperty("paired").GetProperty("pValue").GetDouble(), 0, 1);
            Assert.Equal(2, t.GetProperty("ci95").GetArrayLength());
        });
        Assert.Equal(200, root.GetProperty("parameters").GetProperty("bootstrap").GetInt32());
    }

    [Fact]
    public void Compare_WithoutOut_PrintsTheSameJson()
    {
        using var temp = new TempDirectory();
        var before = Panel(temp, Earlier, 20, seed: 1);
        var after = Panel(temp, Later, 20, seed: 2);
        string[] args = ["compare", "--before-model", Earlier, "--before", before, "--after-model", Later, "--after", after, "--bootstrap", "50", "--seed", "3"];

        var printed = CliRun.Of(args);
        var written = CliRun.Of([.. args, "--out", temp.File("e.json")]);

        Assert.Equal((0, 0), (printed.ExitCode, written.ExitCode));
        Assert.Equal(File.ReadAllText(temp.File("e.json")), printed.Out.TrimEnd('\n'));
    }

    [Fact]
    public void Compare_ModelThatDoesNotFollow_IsRefusedWithTheFile()
    {
        using var temp = new TempDirectory();
        var before = Panel(temp, Later, 10, seed: 1);
        var after = Panel(temp, Earlier, 10, seed: 2);

        // Backwards: 2019 does not follow 2021.
        var run = CliRun.Of("compare", "--before-model", Later, "--before", before, "--after-model", Earlier, "--after", after);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("maturite-numerique-2019", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Compare_AnswersOnTheWrongModel_AreRefusedWithTheirLine()
    {
        using var temp = new TempDirectory();
        var before = Panel(temp, Earlier, 10, seed: 1);

        // The 2019 answers given as the 2021 edition: its new questions' columns are missing.
        var run = CliRun.Of("compare", "--before-model", Earlier, "--before", before, "--after-model", Later, "--after", before, "--out", temp.File("e.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(Path.GetFileName(before), run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("e.json")));
    }

    [Fact]
    public void Compare_Html_WritesTheEvolutionDocumentWithoutAnyCollectivite()
    {
        using var temp = new TempDirectory();
        var before = Panel(temp, Earlier, 20, seed: 1);
        var after = Panel(temp, Later, 24, seed: 2);
        var html = temp.File("evolution.html");

        var run = CliRun.Of("compare", "--before-model", Earlier, "--before", before, "--after-model", Later, "--after", after, "--html", html, "--bootstrap", "50");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal($"Document de l'évolution écrit dans {html}.", run.Out.Trim());
        var text = File.ReadAllText(html);
        Assert.Contains("<h1 id=\"titre\">", text, StringComparison.Ordinal);
        Assert.Contains("Évolution depuis l’édition précédente", text, StringComparison.Ordinal);
        Assert.Contains("de 2019 à 2021", text, StringComparison.Ordinal);
        // The confidential per-collectivité change stays out of this document.
        Assert.DoesNotContain("SYN01", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fictive", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_HtmlAndOut_WritesBothAndPrintsNoJson()
    {
        using var temp = new TempDirectory();
        var before = Panel(temp, Earlier, 12, seed: 1);
        var after = Panel(temp, Later, 12, seed: 2);

        var run = CliRun.Of("compare", "--before-model", Earlier, "--before", before, "--after-model", Later, "--after", after,
            "--out", temp.File("e.json"), "--html", temp.File("e.html"), "--bootstrap", "20");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(temp.File("e.json")) && File.Exists(temp.File("e.html")));
        Assert.DoesNotContain("schemaVersion", run.Out, StringComparison.Ordinal);
    }
}
