using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Closing;

/// <summary>
/// Closes collection: at once (results frozen), or with a review window during which collectivités may
/// still correct their answers; during the review, freezes the results.
/// </summary>
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class ClosingModel(CampaignQueries queries, CampaignLifecycle lifecycle, TimeProvider clock) : CampaignPage(queries)
{
    /// <summary>« maintenant » or « relecture ».</summary>
    [BindProperty]
    public string? Mode { get; set; }

    /// <summary>The end of the review, Paris time, as the datetime-local input sends it.</summary>
    [BindProperty]
    public string? ReviewEnd { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    public string? Error { get; private set; }

    public DateTime Now { get; private set; }

    public int Submitted { get; private set; }

    public int Total { get; private set; }

    /// <summary>A suggested end of review: in two weeks, 18 h, Paris time.</summary>
    public string SuggestedEnd => Core.ParisTime.Today(clock).AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T18:00";

    /// <summary>The suggested end in words: « 13 décembre 2026 à 18 h 00 ».</summary>
    public string SuggestedEndText => $"{Core.FrenchFormat.Date(Core.ParisTime.Today(clock).AddDays(14))} à {Core.FrenchFormat.Time(new TimeOnly(18, 0))}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        DateTime? end = null;
        if (Mode == "relecture")
        {
            var (utc, error) = Core.ParisTime.ParseDeadline(ReviewEnd);
            if (error is not null)
            {
                Error = error;
                return Page();
            }
            end = utc;
        }
        else if (Mode != "maintenant")
        {
            Error = "Choisissez comment clore la collecte : tout de suite, ou avec une période de relecture.";
            return Page();
        }
        else if (!Confirm)
        {
            Error = "Cochez la case de confirmation pour clore la campagne et figer ses résultats tout de suite.";
            return Page();
        }
        switch (await lifecycle.CloseAsync(CampaignId, end, Operator, cancellationToken))
        {
            case CloseOutcome.Refused refused:
                Error = refused.Reason;
                await LoadAsync(cancellationToken);
                return Page();
            case CloseOutcome.InReview review:
                Flash($"La collecte est close. Les collectivités peuvent relire et corriger leurs réponses jusqu'au {Core.ParisTime.DateAndTime(review.EndsAt)} ; figez ensuite les résultats.");
                return Redirect(CampaignPath);
            default:
                Flash("La campagne est close : les réponses sont figées et les résultats calculés.");
                return Redirect($"{CampaignPath}/resultats");
        }
    }

    public async Task<IActionResult> OnPostFreezeAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (!Confirm)
        {
            Error = "Cochez la case de confirmation pour figer les résultats.";
            return Page();
        }
        if (await lifecycle.FreezeAsync(CampaignId, Operator, cancellationToken) is CloseOutcome.Refused refused)
        {
            Error = refused.Reason;
            return Page();
        }
        Flash("Les résultats sont figés : la campagne est close.");
        return Redirect($"{CampaignPath}/resultats");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "cloture";
        Now = clock.GetUtcNow().UtcDateTime;
        var progress = await Queries.FollowUpAsync(CampaignId, cancellationToken);
        Total = progress.Count;
        Submitted = progress.Count(p => p.Status == ParticipantStatus.Submitted);
        return true;
    }
}
