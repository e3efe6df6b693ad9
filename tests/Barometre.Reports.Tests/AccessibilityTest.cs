using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Barometre.Reports.Tests.ReportFixtures;

namespace Barometre.Reports.Tests;

/// <summary>One Playwright-driven chromium (Debian's, by its path) for the whole <see cref="AccessibilityTest"/> class.</summary>
public sealed class AxeBrowserFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task<IBrowser> BrowserAsync()
    {
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (browser is null)
            {
                playwright = await Playwright.CreateAsync();
                browser = await playwright.Chromium.LaunchAsync(new()
                {
                    ExecutablePath = Requirements.Chromium(),
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
                });
            }
            return browser;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
        gate.Dispose();
    }
}

/// <summary>axe-core on the reports, on screen and in print: no serious or critical violation.</summary>
public sealed class AccessibilityTest(AxeBrowserFixture fixture) : IClassFixture<AxeBrowserFixture>
{
    private const string RunAxe = """
        async () => {
          const results = await axe.run(document, { resultTypes: ['violations'] });
          return JSON.stringify(results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            count: v.nodes.length,
            nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: n.failureSummary })),
          })));
        }
        """;

    private sealed record AxeNode(string Target, string Html, string? Summary);

    private sealed record AxeViolation(string Id, string? Impact, string Help, int Count, IReadOnlyList<AxeNode> Nodes);

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private async Task<IReadOnlyList<AxeViolation>> ViolationsAsync(string html, Media media)
    {
        var axe = Requirements.AxeCore();
        Requirements.Chromium();
        var browser = await fixture.BrowserAsync();
        var page = await browser.NewPageAsync(new() { Locale = "fr-FR", JavaScriptEnabled = true });
        try
        {
            await page.EmulateMediaAsync(new() { Media = media });
            await page.SetContentAsync(html, new() { WaitUntil = WaitUntilState.Load });
            await page.AddScriptTagAsync(new() { Path = axe });
            var json = await page.EvaluateAsync<string>(RunAxe);
            return JsonSerializer.Deserialize<List<AxeViolation>>(json, Json)!;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private async Task AssertNoSeriousViolationAsync(string html, Media media, string what)
    {
        var violations = await ViolationsAsync(html, media);
        var serious = violations.Where(v => v.Impact is "serious" or "critical").ToList();
        var message = new StringBuilder($"axe-core found {serious.Count} serious or critical violation(s) in {what} ({media}):\n");
        foreach (var violation in serious)
        {
            message.Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}, {violation.Count} node(s)): {violation.Help}\n");
            foreach (var node in violation.Nodes)
            {
                message.Append(CultureInfo.InvariantCulture, $"    {node.Target}  {node.Html}\n");
                if (node.Summary is not null)
                {
                    message.Append("      ").Append(node.Summary.ReplaceLineEndings(" ")).Append('\n');
                }
            }
        }
        var minor = violations.Except(serious).Select(v => $"{v.Id} ({v.Impact})").ToList();
        if (minor.Count > 0)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{what} ({media}), minor violations: {string.Join(", ", minor)}");
        }
        Assert.True(serious.Count == 0, message.ToString());
    }

    [Fact]
    public async Task Study_OnScreen_HasNoSeriousViolation() =>
        await AssertNoSeriousViolationAsync(await SyntheticStudyHtml, Media.Screen, "the study");

    [Fact]
    public async Task Study_InPrint_HasNoSeriousViolation() =>
        await AssertNoSeriousViolationAsync(await SyntheticStudyHtml, Media.Print, "the study");

    [Fact]
    public async Task Individual_OnScreen_HasNoSeriousViolation() =>
        await AssertNoSeriousViolationAsync(await RenderIndividualAsync(Named.Individual(Named.IndexOf(HostileCode))), Media.Screen, "an individual report");

    [Fact]
    public async Task Individual_InPrint_HasNoSeriousViolation() =>
        await AssertNoSeriousViolationAsync(await RenderIndividualAsync(Named.Individual(Named.IndexOf(BottomCode))), Media.Print, "an individual report");

    [Fact]
    public async Task StudyWithEvolution_OnScreen_HasNoSeriousViolation() =>
        await AssertNoSeriousViolationAsync(await EvolutionFixtures.StudyHtml, Media.Screen, "the study with its evolution");

    [Fact]
    public async Task IndividualWithEvolution_InPrint_HasNoSeriousViolation() =>
        await AssertNoSeriousViolationAsync(await RenderIndividualAsync(EvolutionFixtures.Individual(EvolutionFixtures.StayingCode)), Media.Print, "an individual report with its evolution");

    [Fact]
    public async Task EvolutionDocument_OnScreen_HasNoSeriousViolation()
    {
        await using var renderer = new ReportRenderer();
        var html = await renderer.RenderEvolutionAsync(new EvolutionReportData(EvolutionFixtures.Previous, Date));

        await AssertNoSeriousViolationAsync(html, Media.Screen, "the evolution document");
    }

    [Fact]
    public async Task Axe_OnAFaultyPage_ReportsTheViolation()
    {
        // The harness itself: a page without lang and with an unlabelled image must be reported.
        var violations = await ViolationsAsync("<!DOCTYPE html><html><head><title>t</title></head><body><main><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"></main></body></html>", Media.Screen);

        Assert.Contains(violations, v => v.Id == "html-has-lang" && v.Impact == "serious");
        Assert.Contains(violations, v => v.Id == "image-alt" && v.Impact == "critical");
    }
}
