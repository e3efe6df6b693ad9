using System.Globalization;
using System.Text;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Reports;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.CampaignResults;

/// <summary>
/// The frozen results of a closed campaign: the theme ranking, and downloads of the results JSON, the
/// answers they come from and the study as self-contained HTML.
/// </summary>
public sealed class ResultsModel(CampaignAdmin admin, TimeProvider clock) : CampaignPage(admin)
{
    public ResultsSnapshot? Snapshot { get; private set; }

    public BarometerResults? Results { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The themes by rank (unranked last).</summary>
    public IReadOnlyList<ThemeResult> Ranking =>
        Results is null ? [] : [.. Results.Themes.OrderBy(t => t.Rank ?? int.MaxValue).ThenBy(t => t.Title, StringComparer.Ordinal)];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (Snapshot is not null)
        {
            ReadResults();
        }
        return Page();
    }

    /// <summary>The results JSON, as stored.</summary>
    public async Task<IActionResult> OnGetJsonAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Snapshot is null)
        {
            return NotFound();
        }
        return File(Encoding.UTF8.GetBytes(Snapshot.ResultsJson), "application/json; charset=utf-8", $"resultats-campagne-{Id}.json");
    }

    /// <summary>The answers the results were computed from (the submitted questionnaires), as stored.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Snapshot is null)
        {
            return NotFound();
        }
        return File(Encoding.UTF8.GetBytes(Snapshot.ResponsesCsv), "text/csv; charset=utf-8", $"reponses-campagne-{Id}.csv");
    }

    /// <summary>The study, one self-contained HTML file (fonts and charts inline).</summary>
    public async Task<IActionResult> OnGetStudyAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Snapshot is null)
        {
            return NotFound();
        }
        if (!ReadResults())
        {
            return Page();
        }
        var model = await Admin.ModelAsync(CampaignId, cancellationToken);
        string html;
        await using (var renderer = new ReportRenderer())
        {
            html = await renderer.RenderStudyAsync(new StudyReportData(model, Results!, null, AdminFormat.Today(clock)));
        }
        return File(Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", $"etude-campagne-{Id}.html");
    }

    private string Id => CampaignId.ToString(CultureInfo.InvariantCulture);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "resultats";
        Snapshot = Campaign.Status == CampaignStatus.Closed ? await Admin.SnapshotAsync(CampaignId, cancellationToken) : null;
        return true;
    }

    private bool ReadResults()
    {
        try
        {
            using var json = new MemoryStream(Encoding.UTF8.GetBytes(Snapshot!.ResultsJson));
            Results = ResultsJson.Read(json);
            return true;
        }
        catch (InvalidDataException e)
        {
            Error = $"Les résultats enregistrés sont illisibles : {e.Message}";
            return false;
        }
    }
}
