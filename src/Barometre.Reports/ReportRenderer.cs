using System.Text.Encodings.Web;
using System.Text.Unicode;
using Barometre.Reports.Components.Evolution;
using Barometre.Reports.Components.Individual;
using Barometre.Reports.Components.Study;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Barometre.Reports;

/// <summary>
/// Renders reports to self-contained HTML (Razor components rendered statically: every value a
/// component prints is HTML-escaped). One renderer serves any number of reports.
/// </summary>
public sealed class ReportRenderer : IAsyncDisposable
{
    // The HTML renderer keeps every root component it rendered: start a fresh one now and then so that
    // rendering 40,000 reports does not hold 40,000 component trees.
    private const int RendersPerRenderer = 200;

    private readonly ServiceProvider _services;
    private HtmlRenderer _renderer;
    private int _renders;

    /// <summary>Creates a renderer. Not thread-safe: give each worker its own.</summary>
    public ReportRenderer()
    {
        // Escape only what HTML requires: accents stay readable in the source and in text extraction.
        _services = new ServiceCollection().AddSingleton(HtmlEncoder.Create(UnicodeRanges.All)).BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
    }

    /// <summary>The study as one HTML document.</summary>
    public Task<string> RenderStudyAsync(StudyReportData data) =>
        RenderAsync<StudyReport>(new Dictionary<string, object?> { [nameof(StudyReport.Data)] = data });

    /// <summary>A collectivité's confidential report as one HTML document.</summary>
    public Task<string> RenderIndividualAsync(IndividualReportData data) =>
        RenderAsync<IndividualReport>(new Dictionary<string, object?> { [nameof(IndividualReport.Data)] = data });

    /// <summary>The evolution between two editions as one HTML document (overall figures only: no collectivité's own change).</summary>
    public Task<string> RenderEvolutionAsync(EvolutionReportData data) =>
        RenderAsync<EvolutionReport>(new Dictionary<string, object?> { [nameof(EvolutionReport.Data)] = data });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }

    private async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        if (++_renders > RendersPerRenderer)
        {
            await _renderer.DisposeAsync();
            _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
            _renders = 1;
        }
        var renderer = _renderer;
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
        return FrenchTypography.Apply(html);
    }
}
