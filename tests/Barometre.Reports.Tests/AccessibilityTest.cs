using Microsoft.Playwright;
using static Barometre.Reports.Tests.ReportFixtures;

namespace Barometre.Reports.Tests;

/// <summary>axe-core on the reports, on screen and in print: no serious or critical violation.</summary>
public sealed class AccessibilityTest(ChromiumFixture fixture) : IClassFixture<ChromiumFixture>
{
    private async Task<T> OnPageAsync<T>(string html, Media media, Func<IPage, Task<T>> check)
    {
        var browser = await fixture.BrowserAsync();
        var page = await browser.NewPageAsync(new() { Locale = "fr-FR", JavaScriptEnabled = true });
        try
        {
            await page.EmulateMediaAsync(new() { Media = media });
            await page.SetContentAsync(html, new() { WaitUntil = WaitUntilState.Load });
            return await check(page);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private async Task AssertNoSeriousViolationAsync(string html, Media media, string what) =>
        await OnPageAsync(html, media, async page =>
        {
            await AxeCheck.AssertNoSeriousViolationAsync(page, $"{what} ({media})");
            return true;
        });

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
        var violations = (await OnPageAsync("<!DOCTYPE html><html><head><title>t</title></head><body><main><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"></main></body></html>", Media.Screen, AxeCheck.RunAsync)).Violations;

        Assert.Contains(violations, v => v.Id == "html-has-lang" && v.Impact == "serious");
        Assert.Contains(violations, v => v.Id == "image-alt" && v.Impact == "critical");
    }
}
