using System.Globalization;
using Barometre.Core.Publication;
using Barometre.Core.Results;
using Barometre.Data.Export;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Results;

/// <summary>
/// The public dashboard of a published campaign: the study's figures for the whole panel or a filter by
/// type, region and population band, recomputed on the subset, statistical secrecy applied.
/// </summary>
public sealed class DashboardModel(PublishedResults published) : PageModel
{
    [FromRoute]
    public int Id { get; set; }

    [FromQuery(Name = "type")]
    public string? Type { get; set; }

    [FromQuery(Name = "region")]
    public string? Region { get; set; }

    [FromQuery(Name = "tranche")]
    public string? PopulationBand { get; set; }

    public PublishedPanel Panel { get; private set; } = null!;

    public PanelFilter Filter { get; private set; } = PanelFilter.WholePanel;

    /// <summary>The selection's figures, secrecy applied; null when the filter is invalid.</summary>
    public PublicResults? Figures { get; private set; }

    /// <summary>The changes since the earlier published edition for the selection, or null when the campaign follows none.</summary>
    public (EarlierCampaign Previous, Core.Evolution.PublicEvolutionView View)? Evolution { get; private set; }

    /// <summary>Why the filter cannot be read, in French.</summary>
    public string? Error { get; private set; }

    /// <summary>The API address of the same figures.</summary>
    public string ApiPath => $"/api/campaigns/{Id.ToString(CultureInfo.InvariantCulture)}/results{Query("populationBand")}";

    /// <summary>The address of a download of the current selection.</summary>
    public string Download(string handler) => $"/resultats/{Id.ToString(CultureInfo.InvariantCulture)}{Query("tranche", handler)}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } failure)
        {
            return failure;
        }
        return Page();
    }

    /// <summary>The selection's distributions per question and level, as open data.</summary>
    public Task<IActionResult> OnGetCsvAsync(string? format, CancellationToken cancellationToken) =>
        TableDownloads.Parse(format) is { } table
            ? DownloadAsync((buffer, figures) => PublicDistributionsCsv.Write(Panel.Model, figures, buffer, table), table.ContentType(), name => table.FileName(name), cancellationToken)
            : Task.FromResult<IActionResult>(BadRequest(TableDownloads.UnknownFormat(format)));

    /// <summary>The selection's figures as the public results JSON (the API's).</summary>
    public Task<IActionResult> OnGetJsonAsync(CancellationToken cancellationToken) =>
        DownloadAsync((buffer, figures) => PublicResultsJson.Write(buffer, figures, (Panel.Campaign.Id, Panel.Campaign.Name), Panel.Campaign.Threshold),
            "application/json; charset=utf-8", name => $"{name}.json", cancellationToken);

    private async Task<IActionResult> DownloadAsync(Action<Stream, PublicResults> write, string contentType, Func<string, string> fileName, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } failure)
        {
            return failure;
        }
        if (Figures is null)
        {
            return Page();
        }
        using var buffer = new MemoryStream();
        write(buffer, Figures);
        return File(buffer.ToArray(), contentType, fileName($"resultats-{Id.ToString(CultureInfo.InvariantCulture)}{FileSuffix()}"));
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (await published.PanelAsync(Id, cancellationToken) is not { } panel)
        {
            return NotFound();
        }
        Panel = panel;
        Filter = PublishedResults.FilterOf(Type, Region, PopulationBand);
        Error = PublishedResults.Validate(panel.Plan, Filter);
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Filter = Filter with
            {
                Type = panel.Plan.Types.Contains(Filter.Type ?? "", StringComparer.Ordinal) ? Filter.Type : null,
                Region = panel.Plan.Regions.Contains(Filter.Region ?? "", StringComparer.Ordinal) ? Filter.Region : null,
                PopulationBand = panel.Plan.PopulationBands.Contains(Filter.PopulationBand ?? "", StringComparer.Ordinal) ? Filter.PopulationBand : null,
            };
            return null;
        }
        Figures = await published.ViewAsync(panel, Filter, cancellationToken);
        Evolution = await published.EvolutionAsync(panel, Filter, cancellationToken);
        return null;
    }

    private string Query(string bandName, string? handler = null)
    {
        var parts = new List<string>();
        if (handler is not null)
        {
            parts.Add($"handler={handler}");
        }
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("type", Filter.Type);
        Add("region", Filter.Region);
        Add(bandName, Filter.PopulationBand);
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private string FileSuffix()
    {
        var parts = new[] { Filter.Type, Filter.Region, Filter.PopulationBand }.OfType<string>()
            .Select(value => new string([.. value.Normalize(System.Text.NormalizationForm.FormD)
                .Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ' ')
                .Select(c => c == ' ' ? '-' : char.ToLowerInvariant(c))]));
        var suffix = string.Join("_", parts);
        return suffix.Length == 0 ? "" : "-" + suffix;
    }
}
