using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Questionnaire;

/// <summary>
/// Before submitting: every answer by theme, the unanswered questions marked, each with a link to change it; then the
/// submission, confirmed when questions are left unanswered. After it, the answers read-only.
/// </summary>
[RequestSizeLimit(RequestBodyLimits.FormOverhead)]
public sealed class SubmitModel(Data.Campaigns.Questionnaire questionnaire) : QuestionnairePage(questionnaire)
{
    /// <summary>
    /// How many unanswered questions the person confirmed sending (the box « Je transmets le questionnaire avec N questions
    /// sans réponse »); null when they ticked none, or none was shown.
    /// </summary>
    [BindProperty]
    public int? ConfirmedUnanswered { get; set; }

    public string? Error { get; private set; }

    /// <summary>Whether the person on this browser may submit (the lead, or anyone while there is none).</summary>
    public bool MaySubmit => Access.LeadContributorId is null || Contributor?.Id == Access.LeadContributorId;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : UnknownLink();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        // The count is checked again in the submission's transaction: answers may change between the page and the click.
        switch (await Questionnaire.SubmitAsync(Access, ContributorCredential, ConfirmedUnanswered ?? 0, cancellationToken))
        {
            case SubmitOutcome.Submitted:
            case SubmitOutcome.AlreadySubmitted:
                return Redirect(Home);
            case SubmitOutcome.NotLead:
                Error = $"Seul·e {Lead?.Name ?? "le ou la responsable"} peut transmettre le questionnaire.";
                break;
            case SubmitOutcome.Unconfirmed:
                await LoadAsync(cancellationToken);
                Error = ConfirmedUnanswered is null
                    ? $"Le questionnaire compte {UnansweredText(UnansweredCount)} : cochez la case « Je transmets le questionnaire avec {UnansweredText(UnansweredCount)} » "
                        + "pour le transmettre ainsi, ou répondez d'abord à ces questions."
                    : $"Les réponses ont changé depuis l'affichage de cette page : le questionnaire compte maintenant {UnansweredText(UnansweredCount)}. "
                        + "Relisez-les ci-dessous, puis transmettez à nouveau. Rien n'a été transmis.";
                break;
            default:
                // The campaign may have closed since the page read it: the reason and the page are those of its state now.
                await LoadAsync(cancellationToken);
                Error = Access.ReadOnlyReason;
                break;
        }
        return Page();
    }
}
