using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Reports.Pdf;
using static Barometre.Reports.Tests.ReportFixtures;

namespace Barometre.Reports.Tests;

/// <summary>One chromium for the whole <see cref="ReportPdfTest"/> class, started by the first test that needs it.</summary>
public sealed class PdfPrinterFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ChromiumPdfPrinter? printer;

    public async Task<ChromiumPdfPrinter> PrinterAsync()
    {
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return printer ??= await ChromiumPdfPrinter.StartAsync(ExternalTools.Chromium(), TestContext.Current.CancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (printer is not null)
        {
            await printer.DisposeAsync();
        }
        gate.Dispose();
    }
}

/// <summary>The reports printed by chromium, read back with poppler (pdfinfo, pdftotext).</summary>
public sealed partial class ReportPdfTest(PdfPrinterFixture fixture) : IClassFixture<PdfPrinterFixture>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("barometre-report-pdf-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [GeneratedRegex(@"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", RegexOptions.Multiline)]
    private static partial Regex PageSize();

    [GeneratedRegex(@"^Pages:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PageCount();

    private async Task<string> PrintAsync(string html, string name)
    {
        ExternalTools.Chromium();
        var printer = await fixture.PrinterAsync();
        var bytes = await printer.PrintAsync(html, new PdfOptions { FooterText = Model.Title }, TestContext.Current.CancellationToken);
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return await output;
    }

    /// <summary>Asserts that every page of the PDF is A4 portrait (595 × 842 pt, rounded); returns the page count.</summary>
    private static async Task<int> AssertA4Async(string pdf)
    {
        var pdfinfo = ExternalTools.Poppler("pdfinfo");
        var pages = int.Parse(PageCount().Match(await RunAsync(pdfinfo, pdf)).Groups[1].Value, CultureInfo.InvariantCulture);
        var sizes = PageSize().Matches(await RunAsync(pdfinfo, "-f", "1", "-l", pages.ToString(CultureInfo.InvariantCulture), pdf));
        Assert.Equal(pages, sizes.Count);
        foreach (Match size in sizes)
        {
            var width = double.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture);
            var height = double.Parse(size.Groups[3].Value, CultureInfo.InvariantCulture);
            Assert.True(
                Math.Round(width) == 595 && Math.Round(height) == 842,
                $"Page {size.Groups[1].Value} is {width} × {height} pt, not A4 (595 × 842).");
        }
        return pages;
    }

    private static async Task<string> TextAsync(string pdf) => await RunAsync(ExternalTools.Poppler("pdftotext"), "-enc", "UTF-8", pdf, "-");

    [Fact]
    public async Task Study_PrintedToPdf_IsA4AndHoldsEveryKeyFigureAndTheme()
    {
        var pdf = await PrintAsync(await SyntheticStudyHtml, "etude.pdf");

        var pages = await AssertA4Async(pdf);
        // Cover, essentials, method, one page per theme, correlations, segments, robustness at least.
        Assert.True(pages >= Model.Themes.Count + 5, $"Only {pages} pages.");
        var text = await TextAsync(pdf);
        var flat = NoSpaces(text);
        var missing = new List<string>();
        foreach (var indicator in Synthetic.Results.Indicators.Where(i => i.Value is not null))
        {
            var value = FrenchFormat.Percent(indicator.Value!.Value);
            var statement = StudyFacts.StatementWithoutValue(indicator);
            if (!flat.Contains(NoSpaces(value) + NoSpaces(statement), StringComparison.Ordinal)
                && !(flat.Contains(NoSpaces(value), StringComparison.Ordinal) && flat.Contains(NoSpaces(statement), StringComparison.Ordinal)))
            {
                missing.Add($"{value} {statement}");
            }
        }
        foreach (var theme in Model.Themes)
        {
            if (!flat.Contains(NoSpaces(theme.Title), StringComparison.Ordinal))
            {
                missing.Add(theme.Title);
            }
        }
        Assert.True(missing.Count == 0, "Missing from the PDF's text:\n" + string.Join('\n', missing) + "\n--- pdftotext (start) ---\n" + text[..Math.Min(3000, text.Length)]);
        Assert.Contains("Données fictives", Spaces(text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Individual_PrintedToPdf_IsA4AndHoldsItsNameScoresAndSteps()
    {
        var panel = Named;
        var index = panel.IndexOf(BottomCode);
        var respondent = panel.Responses.Respondents[index];
        var pdf = await PrintAsync(await RenderIndividualAsync(panel.Individual(index)), "individuel.pdf");

        await AssertA4Async(pdf);
        var text = await TextAsync(pdf);
        var flat = NoSpaces(text);
        Assert.Contains(NoSpaces(respondent.Name), flat, StringComparison.Ordinal);
        Assert.Contains("CONFIDENTIEL", flat, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Code" + respondent.Code, flat, StringComparison.Ordinal);
        foreach (var theme in Model.Themes)
        {
            Assert.Contains(NoSpaces(theme.Title), flat, StringComparison.Ordinal);
        }
        var step = NextStep.For(panel.Responses.Row(index), panel.Benchmark)[0];
        Assert.Contains(NoSpaces(Model.Questions[step.Question].HelpFor(step.Current + 1)!), flat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StudyWithEvolution_PrintedToPdf_HoldsTheSectionAndEarlierValues()
    {
        var previous = EvolutionFixtures.Previous;
        var pdf = await PrintAsync(await EvolutionFixtures.StudyHtml, "etude-evolution.pdf");

        await AssertA4Async(pdf);
        var flat = NoSpaces(await TextAsync(pdf));
        Assert.Contains(NoSpaces("Évolution depuis l'édition précédente"), flat, StringComparison.Ordinal);
        Assert.Contains(NoSpaces("Ce qui ne se compare pas"), flat, StringComparison.Ordinal);
        foreach (var theme in previous.Evolution.Themes)
        {
            Assert.Contains(NoSpaces(EvolutionWording.Significance(theme.Change)), flat, StringComparison.Ordinal);
        }
        var indicator = previous.Evolution.Indicators.First(i => i.Change.Before is not null);
        Assert.Contains(NoSpaces($"({FrenchFormat.Percent(indicator.Change.Before!.Value)} en 2019)"), flat, StringComparison.Ordinal);
    }
}
