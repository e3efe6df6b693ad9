using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Panel;

/// <summary>Adds collectivités to a campaign's panel, or updates them (matched by code), from a CSV; all or nothing.</summary>
[RequestSizeLimit(Uploads.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Uploads.MaxRequestBytes)]
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class PanelModel(CampaignQueries queries, CampaignLifecycle lifecycle) : CampaignPage(queries)
{
    [BindProperty]
    public IFormFile? PanelUpload { get; set; }

    public int Total { get; private set; }

    public string? Error { get; private set; }

    public ProblemList? FileProblems { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (Campaign.Status == CampaignStatus.Closed)
        {
            Error = "La campagne est close : son panel ne change plus.";
            return Page();
        }
        if (Uploads.Check(PanelUpload, "le fichier du panel (CSV)") is { } error)
        {
            Error = error;
            return Page();
        }
        var source = Uploads.NameOf(PanelUpload!, "panel.csv");
        var result = await Uploads.ReadBufferedAsync(PanelUpload!, stream => PanelCsv.Read(stream, source), cancellationToken);
        if (result.Value is not { } panel)
        {
            FileProblems = new ProblemList(result.Problems, result.ProblemCount);
            return Page();
        }
        if (panel.Count == 0)
        {
            Error = $"Le fichier « {source} » ne contient aucune collectivité.";
            return Page();
        }
        var (added, updated) = await lifecycle.ImportPanelAsync(CampaignId, panel, Operator, cancellationToken);
        var unchanged = panel.Count - added - updated;
        Flash($"Panel importé depuis « {source} » : {FrenchFormat.Count(added)} collectivité(s) ajoutée(s), {FrenchFormat.Count(updated)} mise(s) à jour, {FrenchFormat.Count(unchanged)} inchangée(s)."
            + (added > 0 ? " Émettez les liens des nouvelles collectivités depuis la page des invitations." : ""));
        return Redirect($"{CampaignPath}/panel");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "panel";
        Total = (await Queries.FollowUpAsync(CampaignId, cancellationToken)).Count;
        return true;
    }
}
