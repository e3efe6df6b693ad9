using System.Globalization;
using System.Text;
using Barometre.Core;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Barometre.Data.Import;
using Barometre.Reports;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.CampaignResults;

/// <summary>
/// The frozen results of a closed campaign: the theme ranking, and downloads of the results JSON, the
/// answers they come from and the study as self-contained HTML.
/// </summary>
[Security.OperatorAccess(OperatorRight.ReadResults)]
public sealed class ResultsModel(CampaignQueries queries, CampaignLifecycle lifecycle, FrozenSnapshots snapshots, TimeProvider clock) : CampaignPage(queries)
{
    /// <summary>The threshold N of statistical secrecy the operator publishes with.</summary>
    [BindProperty]
    public int Threshold { get; set; }

    /// <summary>How many of the selections readers may make the secrecy plan hides, at the campaign's threshold.</summary>
    public (int Filters, int Suppressed)? SecrecySummary { get; private set; }

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
        if (Snapshot is not null && ReadResults())
        {
            await SummariseSecrecyAsync(cancellationToken);
        }
        Threshold = Campaign.SecrecyThreshold;
        return Page();
    }

    /// <summary>Publishes the results (again), at the threshold given.</summary>
    [Security.OperatorAccess(OperatorRight.RunCampaign)]
    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (await lifecycle.PublishAsync(CampaignId, Threshold, Operator, cancellationToken) is PublishOutcome.Refused refused)
        {
            Error = refused.Reason;
            if (Snapshot is not null && ReadResults())
            {
                await SummariseSecrecyAsync(cancellationToken);
            }
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Flash($"Résultats publiés (seuil du secret statistique : {Threshold} collectivités) : ils sont visibles de tous sur /resultats/{CampaignId}.");
        return Redirect($"{CampaignPath}/resultats");
    }

    /// <summary>Withdraws the public results.</summary>
    [Security.OperatorAccess(OperatorRight.RunCampaign)]
    public async Task<IActionResult> OnPostUnpublishAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        Flash(await lifecycle.UnpublishAsync(CampaignId, Operator, cancellationToken)
            ? "Publication retirée : les résultats ne sont plus publics."
            : "Les résultats n'étaient pas publiés.", "warning");
        return Redirect($"{CampaignPath}/resultats");
    }

    /// <summary>The results JSON, as stored.</summary>
    [Security.OperatorAccess(OperatorRight.RunCampaign)]
    public async Task<IActionResult> OnGetJsonAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Snapshot is null)
        {
            return NotFound();
        }
        return File(Encoding.UTF8.GetBytes(Snapshot.ResultsJson), "application/json; charset=utf-8", $"resultats-campagne-{Id}.json");
    }

    /// <summary>The answers the results were computed from (the submitted questionnaires), as stored.</summary>
    [Security.OperatorAccess(OperatorRight.RunCampaign)]
    public async Task<IActionResult> OnGetCsvAsync(string? format, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Snapshot is null)
        {
            return NotFound();
        }
        if (TableDownloads.Parse(format) is not { } table)
        {
            return BadRequest(TableDownloads.UnknownFormat(format));
        }
        if (table == TableFormat.Csv)
        {
            return File(Encoding.UTF8.GetBytes(Snapshot.ResponsesCsv), table.ContentType(), table.FileName($"reponses-campagne-{Id}"));
        }
        // The other formats hold the snapshot's very responses, read back from it.
        var responses = ResponsesCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(Snapshot.ResponsesCsv)), "instantané", await Queries.ModelAsync(CampaignId, cancellationToken)).GetValueOrThrow();
        return TableDownloads.File(table, $"reponses-campagne-{Id}", buffer => ResponsesCsv.Write(responses, buffer, table));
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
        var model = await Queries.ModelAsync(CampaignId, cancellationToken);
        string html;
        await using (var renderer = new ReportRenderer())
        {
            // The frozen results hold the segments' members: the study says how much the segments depend on the seed.
            html = await renderer.RenderStudyAsync(new StudyReportData(model, Results!, null, ParisTime.Today(clock), SeedStability: Core.Robustness.SeedStability.Analyse(Results!)));
        }
        return File(Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", $"etude-campagne-{Id}.html");
    }

    private async Task SummariseSecrecyAsync(CancellationToken cancellationToken)
    {
        FrozenResults frozen;
        try
        {
            frozen = await snapshots.GetAsync(Snapshot!, Campaign.SecrecyThreshold, cancellationToken);
        }
        catch (InvalidInputException)
        {
            // Unreadable answers: the page still shows the results, without the summary.
            return;
        }
        SecrecySummary = (frozen.Plan.All.Count, frozen.Plan.All.Count(decision => decision.Suppressed));
    }

    /// <summary>Whether the operator runs the campaign (publication, downloads of individual scores and answers), not only reads its results.</summary>
    public bool MayRun { get; private set; }

    private string Id => CampaignId.ToString(CultureInfo.InvariantCulture);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "resultats";
        MayRun = (await PrincipalAsync(cancellationToken)).May(OperatorRight.RunCampaign, CampaignId);
        Snapshot = Campaign.Status == CampaignStatus.Closed ? await Queries.SnapshotAsync(CampaignId, cancellationToken) : null;
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
