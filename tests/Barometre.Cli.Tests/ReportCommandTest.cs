using System.Net;
using System.Text.RegularExpressions;
using Barometre.Core;
using Barometre.Core.Results;
using Barometre.Reports.Pdf;

namespace Barometre.Cli.Tests;

/// <summary>
/// <c>barometre report</c> on the panel of <c>barometre demo</c>. The tests that touch chromium (and its
/// environment variable) live in this class so that they never run at the same time.
/// </summary>
public sealed partial class ReportCommandTest : IDisposable
{
    private const string Model = "maturite-numerique-2019";

    // Few bootstrap replicates and weight draws: these tests check the command, not the statistics.
    private static readonly string[] Fast = ["--bootstrap", "50", "--robustness-draws", "10"];

    private readonly TempDirectory temp = new();

    public ReportCommandTest()
    {
        var demo = CliRun.Of("demo", "--summary-only", "--out", temp.Path);
        Assert.True(demo.ExitCode == 0, demo.Error);
    }

    public void Dispose() => temp.Dispose();

    private string Panel => temp.File("panel-synthetique.csv");

    private BarometerResults DemoResults()
    {
        using var stream = File.OpenRead(temp.File("resultats.json"));
        return ResultsJson.Read(stream);
    }

    private static CliRun Report(params string[] args) => CliRun.Of(["report", "--model", Model, .. args, .. Fast]);

    [GeneratedRegex("""<div class="key-figure">.*?<p class="value">(?<value>[^<]*)</p>\s*<p class="statement">(?<statement>[^<]*)</p>""", RegexOptions.Singleline)]
    private static partial Regex KeyFigure();

    /// <summary>Asserts a complete HTML document (the CLI tests have no HTML parser: its skeleton is checked textually).</summary>
    private static string AssertHtmlDocument(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written.");
        var html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr\">", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>", html.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(html, "<body>"));
        Assert.Equal(1, Regex.Count(html, "</body>"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // Content checks read the text as a parser would: entities decoded, no-break spaces as spaces, and
        // the typographic apostrophe as the straight one of the model's texts.
        return WebUtility.HtmlDecode(html).Replace('\u00A0', ' ').Replace('’', '\'');
    }

    /// <summary>Asserts that every key figure of the results is shown with its computed value.</summary>
    private static void AssertKeyFigures(string html, BarometerResults results)
    {
        var shown = KeyFigure().Matches(html).Select(m => (Value: m.Groups["value"].Value.Trim(), Statement: m.Groups["statement"].Value)).ToList();
        var defined = results.Indicators.Where(i => i.Value is not null).ToList();
        Assert.NotEmpty(defined);
        Assert.Equal(results.Indicators.Count, shown.Count);
        foreach (var indicator in defined)
        {
            var value = FrenchFormat.Percent(indicator.Value!.Value);
            var rest = indicator.Statement[value.Length..].Trim()[1..];
            Assert.Contains(shown, card => card.Value == value && card.Statement.EndsWith(rest, StringComparison.Ordinal));
        }
    }

    /// <summary>Chromium, or skip (fail in CI, where it is installed).</summary>
    private static void RequireChromium()
    {
        if (ChromiumPdfPrinter.FindChromium() is not null)
        {
            return;
        }
        const string message = "*** chromium is not installed: this test needs it (apt-get install -y chromium). ***";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message + " CI=true, so this is a failure, not a skip.");
        }
        Assert.Skip(message);
    }

    [Fact]
    public void Report_FromResponses_WritesTheStudyWithItsKeyFigures()
    {
        var output = temp.File("etude.html");

        var run = Report("--responses", Panel, "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Étude écrite dans", run.Out, StringComparison.Ordinal);
        var html = AssertHtmlDocument(output);
        // Indicator values do not depend on the seed or the bootstrap: the demo's results give them.
        AssertKeyFigures(html, DemoResults());
        Assert.Contains("Données fictives", html, StringComparison.Ordinal);
        Assert.Contains("calcul a été repris 10 fois", html, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.pdf"));
    }

    [Fact]
    public void Report_FromResultsFile_WritesTheStudyWithoutRobustness()
    {
        var results = temp.File("results.json");
        var compute = CliRun.Of("compute", "--model", Model, "--responses", Panel, "--bootstrap", "50", "--out", results);
        Assert.True(compute.ExitCode == 0, compute.Error);
        var output = temp.File("etude.html");

        var run = Report("--results", results, "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        var html = AssertHtmlDocument(output);
        using (var stream = File.OpenRead(results))
        {
            AssertKeyFigures(html, ResultsJson.Read(stream));
        }
        Assert.Contains("n'est pas disponible pour une étude produite à partir d'un seul fichier de résultats", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_NeitherResponsesNorResults_IsAUsageError()
    {
        var output = temp.File("etude.html");

        var run = Report("--out", output);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("indiquez soit --responses", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Report_BothResponsesAndResults_IsAUsageError()
    {
        var output = temp.File("etude.html");

        var run = Report("--responses", Panel, "--results", temp.File("resultats.json"), "--out", output);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("indiquez soit --responses", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Report_Individual_WritesTheCollectivitesReport()
    {
        var score = DemoResults().Scores[3];
        var directory = Path.Combine(temp.Path, "rapports");

        var run = Report("--responses", Panel, "--individual", score.Code, "--out", directory);

        Assert.True(run.ExitCode == 0, run.Error);
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Equal(Path.Combine(directory, score.Code + ".html"), file);
        var html = AssertHtmlDocument(file);
        Assert.Contains($"<h1>{score.Nom}</h1>", html, StringComparison.Ordinal);
        Assert.Contains(">Confidentiel</span>", html, StringComparison.Ordinal);
        Assert.Contains($"Code {score.Code}", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"badge segment-", html, StringComparison.Ordinal);
        Assert.Contains("1 rapport confidentiel écrit", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_UnknownIndividual_IsAnInputError()
    {
        var directory = Path.Combine(temp.Path, "rapports");

        var run = Report("--responses", Panel, "--individual", "INCONNU42", "--out", directory);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("« INCONNU42 »", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any());
    }

    [Fact]
    public void Report_All_WritesOneReportPerCollectivite()
    {
        var scores = DemoResults().Scores;
        var directory = Path.Combine(temp.Path, "rapports");

        var run = Report("--responses", Panel, "--all", "--out", directory);

        Assert.True(run.ExitCode == 0, run.Error);
        var files = Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(scores.Select(s => s.Code + ".html").Order(StringComparer.Ordinal), files);
        foreach (var score in scores.Take(5))
        {
            Assert.Contains($"<h1>{score.Nom}</h1>", AssertHtmlDocument(Path.Combine(directory, score.Code + ".html")), StringComparison.Ordinal);
        }
        Assert.Contains($"{scores.Count} rapports confidentiels écrits", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_ResultsOfAnotherReferential_IsAnInputError()
    {
        var model = temp.File("mini.json", """
            {"id": "mini", "themes": [
              {"id": "a", "title": "A", "questions": [{"id": "a.x", "label": "X"}, {"id": "a.y", "label": "Y"}]},
              {"id": "b", "title": "B", "questions": [{"id": "b.x", "label": "X"}]}],
             "indicators": [{"id": "i", "question": "a.x", "predicate": ">= 3"}]}
            """);
        var responses = temp.File("mini.csv", "code;nom;a.x;a.y;b.x\n1;Un;2;3;4\n2;Deux;1;1;0\n3;Trois;4;4;4\n4;Quatre;1;0;1\n");
        var results = temp.File("mini-results.json");
        var compute = CliRun.Of("compute", "--model", model, "--responses", responses, "--bootstrap", "10", "--out", results);
        Assert.True(compute.ExitCode == 0, compute.Error);
        var output = temp.File("etude.html");

        var run = Report("--results", results, "--out", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("« mini »", run.Error, StringComparison.Ordinal);
        Assert.Contains($"« {Model} »", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Report_ResultsOfAnotherModel_QuoteTheirModelShortAndEscaped()
    {
        var results = temp.File("autres.json", File.ReadAllText(temp.File("resultats.json"))
            .Replace($"\"referential\": \"{Model}\"", $"\"referential\": \"\\u001b[2J{new string('x', 300)}\"", StringComparison.Ordinal));
        var output = temp.File("etude.html");

        var run = Report("--results", results, "--out", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{results}: ces résultats portent sur le référentiel « U+001B[2J{new string('x', 96)}… », pas sur « {Model} » : indiquez le même référentiel avec --model.", run.Error.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Report_PdfWithChromiumMissing_SaysHowToInstallIt()
    {
        var variable = ChromiumPdfPrinter.ExecutableVariable;
        var saved = Environment.GetEnvironmentVariable(variable);
        var missing = Path.Combine(temp.Path, "pas-de-chromium", "chromium");
        Environment.SetEnvironmentVariable(variable, missing);
        try
        {
            var output = temp.File("etude.html");
            var pdf = temp.File("etude.pdf");

            var run = Report("--responses", Panel, "--out", output, "--pdf", pdf);

            Assert.True(
                run.ExitCode == 4,
                $"Expected exit code 4 (chromium missing) with {variable}={missing}, got {run.ExitCode}. "
                + $"ChromiumPdfPrinter.FindChromium() returns « {ChromiumPdfPrinter.FindChromium()} »: a {variable} naming no file falls back to the usual locations.\n{run.Error}");
            Assert.Contains("Chromium est introuvable", run.Error, StringComparison.Ordinal);
            Assert.Contains("apt-get install chromium", run.Error, StringComparison.Ordinal);
            Assert.Contains(variable, run.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(pdf));
            Assert.Empty(Directory.GetFiles(temp.Path, "*.pdf"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }

    [Fact]
    public void Report_StudyWithPdf_WritesAPdf()
    {
        RequireChromium();
        var output = temp.File("etude.html");

        var run = Report("--responses", Panel, "--out", output, "--pdf");

        Assert.True(run.ExitCode == 0, run.Error);
        var pdf = temp.File("etude.pdf");
        Assert.True(File.Exists(pdf), "etude.pdf (next to --out) was not written.");
        var bytes = File.ReadAllBytes(pdf);
        Assert.True(bytes.Length > 10_000, $"The PDF has only {bytes.Length} bytes.");
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        Assert.Contains("PDF écrit dans", run.Out, StringComparison.Ordinal);
        AssertHtmlDocument(output);
    }

    /// <summary>A 2021 panel whose codes overlap the demo's 2019 panel (SYN01…), and its options for <c>report</c>.</summary>
    private string[] Previous(int respondents = 30)
    {
        var later = CompareCommandTest.Panel(temp, CompareCommandTest.Later, respondents, seed: 2021);
        return ["--responses", later, "--previous-model", Model, "--previous", Panel];
    }

    private static CliRun ReportLater(params string[] args) => CliRun.Of(["report", "--model", CompareCommandTest.Later, .. args, .. Fast]);

    [Fact]
    public void Report_WithPrevious_StudyHasTheEvolutionAndEarlierKeyFigures()
    {
        var output = temp.File("etude-2021.html");

        var run = ReportLater([.. Previous(), "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        var html = WebUtility.HtmlDecode(File.ReadAllText(output));
        Assert.Contains("Évolution depuis l’édition précédente", html, StringComparison.Ordinal);
        Assert.Contains("Ce qui ne se compare pas", html, StringComparison.Ordinal);
        Assert.Matches(@"<p class=""value"">\d+\u202F%<span class=""earlier""> \(\d+\u202F% en 2019\)</span></p>", html);
    }

    [Fact]
    public void Report_WithPrevious_AllReportsShowEachOwnChange()
    {
        var output = temp.File("rapports");

        // 45 in 2021 against the demo's 40 in 2019: SYN41… are new.
        var run = ReportLater([.. Previous(45), "--all", "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        var staying = WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(output, "SYN01.html")));
        Assert.Contains("Votre évolution depuis l’édition 2019", staying, StringComparison.Ordinal);
        Assert.Contains("Votre indice global de maturité passe de", staying, StringComparison.Ordinal);
        var newcomer = WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(output, "SYN45.html")));
        Assert.Contains("n’a pas répondu à l’édition 2019", newcomer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--previous")]
    [InlineData("--previous-model")]
    public void Report_PreviousOptionAlone_IsAUsageError(string option)
    {
        var run = ReportLater("--responses", Panel, option, option == "--previous" ? Panel : Model, "--out", temp.File("e.html"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--previous et --previous-model vont ensemble", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("e.html")));
    }

    [Fact]
    public void Report_PreviousWithResults_IsAUsageError()
    {
        var run = Report("--results", temp.File("resultats.json"), "--previous-model", Model, "--previous", Panel, "--out", temp.File("e.html"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("indiquez --responses plutôt que --results", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_PreviousModelThatIsNotFollowed_IsRefusedWithTheFile()
    {
        var later = CompareCommandTest.Panel(temp, CompareCommandTest.Later, 10, seed: 3);

        // Backwards: the 2019 model given as the report's does not follow 2021.
        var run = Report("--responses", Panel, "--previous-model", CompareCommandTest.Later, "--previous", later, "--out", temp.File("e.html"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(Model, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("e.html")));
    }

    // Here rather than in CompareCommandTest: the tests that touch chromium's environment variable never run at the same time.
    [Fact]
    public void Compare_PdfWithChromiumMissing_ExitsWith4AndWritesNothing()
    {
        var variable = ChromiumPdfPrinter.ExecutableVariable;
        var saved = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, Path.Combine(temp.Path, "pas-de-chromium", "chromium"));
        try
        {
            var later = CompareCommandTest.Panel(temp, CompareCommandTest.Later, 10, seed: 3);

            var run = CliRun.Of("compare", "--before-model", Model, "--before", Panel, "--after-model", CompareCommandTest.Later, "--after", later,
                "--out", temp.File("e.json"), "--html", temp.File("e.html"), "--pdf", temp.File("e.pdf"), "--bootstrap", "20");

            Assert.Equal(4, run.ExitCode);
            Assert.Contains("apt-get install chromium", run.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(temp.File("e.json")) || File.Exists(temp.File("e.html")) || File.Exists(temp.File("e.pdf")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }

    [Fact]
    public void Compare_Pdf_WritesThePdf()
    {
        RequireChromium();
        var later = CompareCommandTest.Panel(temp, CompareCommandTest.Later, 30, seed: 3);

        var run = CliRun.Of("compare", "--before-model", Model, "--before", Panel, "--after-model", CompareCommandTest.Later, "--after", later, "--pdf", temp.File("e.pdf"), "--bootstrap", "20");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("%PDF-"u8.ToArray(), File.ReadAllBytes(temp.File("e.pdf"))[..5]);
        Assert.Contains("PDF écrit dans", run.Out, StringComparison.Ordinal);
    }
}
