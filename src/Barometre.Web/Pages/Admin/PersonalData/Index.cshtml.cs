using Barometre.Data.Campaigns;
using Barometre.Data.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.PersonalData;

/// <summary>
/// A campaign's personal data: how long they are kept after closing (editable until they are erased), when they will be
/// erased or were, what an erasure would change (counts per kind, computed without writing), and the erasure itself —
/// once the period is over, or earlier on the controller's decision, confirmed. The server erases them by itself anyway.
/// </summary>
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class PersonalDataModel(CampaignQueries queries, PersonalDataPurge purge, TimeProvider clock) : CampaignPage(queries)
{
    /// <summary>The retention period typed, in months.</summary>
    [BindProperty]
    public int? RetentionMonths { get; set; }

    /// <summary>The confirmation of an erasure before the period is over.</summary>
    [BindProperty]
    public bool Early { get; set; }

    public string? Error { get; private set; }

    /// <summary>When the data will be erased (UTC), or null while the campaign is not closed.</summary>
    public DateTime? DueAt => Data.Privacy.PersonalData.ErasureDueAt(Campaign);

    /// <summary>Whether the period is over.</summary>
    public bool IsDue => DueAt <= clock.GetUtcNow().UtcDateTime;

    /// <summary>What an erasure would change now, per kind (closed campaigns only).</summary>
    public ErasureCounts? Pending { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    /// <summary>Changes the retention period.</summary>
    public async Task<IActionResult> OnPostRetentionAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return NotFound();
        }
        if (RetentionMonths is not { } months)
        {
            Error = "Indiquez la durée de conservation, en mois.";
        }
        else if (await purge.SetRetentionAsync(CampaignId, months, Operator, cancellationToken) is { } problem)
        {
            Error = problem;
        }
        if (Error is not null)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }
        Flash($"Les données personnelles de la campagne sont conservées {Data.Privacy.PersonalData.RetentionText(RetentionMonths!.Value)}.");
        return Redirect($"{CampaignPath}/donnees-personnelles");
    }

    /// <summary>Erases the campaign's personal data now.</summary>
    public async Task<IActionResult> OnPostPurgeAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return NotFound();
        }
        switch (await purge.PurgeAsync(CampaignId, Operator, Early, cancellationToken: cancellationToken))
        {
            case PurgeOutcome.Refused refused:
                Error = refused.Reason + (IsDue || Campaign.Status != CampaignStatus.Closed ? "" : " Cochez la case pour effacer avant l'échéance.");
                await LoadAsync(cancellationToken);
                return Page();
            case PurgeOutcome.Erased erased:
                Flash(erased.Counts.Total == 0 ? "Il n'y avait plus rien à effacer."
                    : $"Données personnelles effacées : {erased.Counts}. L'effacement est inscrit au journal, sans les valeurs effacées.");
                return Redirect($"{CampaignPath}/donnees-personnelles");
            default:
                throw new InvalidOperationException("Unexpected outcome.");
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        RetentionMonths ??= Campaign.RetentionMonths;
        if (Campaign.Status == CampaignStatus.Closed
            && await purge.PurgeAsync(CampaignId, Operator, early: true, dryRun: true, cancellationToken) is PurgeOutcome.Erased pending)
        {
            Pending = pending.Counts;
        }
        return true;
    }
}
