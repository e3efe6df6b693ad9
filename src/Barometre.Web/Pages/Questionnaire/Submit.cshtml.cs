using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Questionnaire;

/// <summary>Before submitting: what is still unanswered; then the submission itself.</summary>
[RequestSizeLimit(RequestBodyLimits.FormOverhead)]
public sealed class SubmitModel(Data.Campaigns.Questionnaire questionnaire) : QuestionnairePage(questionnaire)
{
    public string? Error { get; private set; }

    /// <summary>Unanswered questions by theme (theme number, theme, questions).</summary>
    public IReadOnlyList<(int Number, Core.Model.Theme Theme, IReadOnlyList<Core.Model.Question> Questions)> Unanswered { get; private set; } = [];

    /// <summary>Whether the person on this browser may submit (the lead, or anyone while there is none).</summary>
    public bool MaySubmit => Access.LeadContributorId is null || Contributor?.Id == Access.LeadContributorId;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        ListUnanswered();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        switch (await Questionnaire.SubmitAsync(Access, ContributorCredential, cancellationToken))
        {
            case SubmitOutcome.Submitted:
            case SubmitOutcome.AlreadySubmitted:
                return Redirect(Home);
            case SubmitOutcome.NotLead:
                Error = $"Seul·e {Lead?.Name ?? "le ou la responsable"} peut transmettre le questionnaire.";
                break;
            default:
                // The campaign may have closed since the page read it: the reason and the page are those of its state now.
                await LoadAsync(cancellationToken);
                Error = Access.ReadOnlyReason;
                break;
        }
        ListUnanswered();
        return Page();
    }

    private void ListUnanswered() =>
        Unanswered = [.. Access.Model.Themes
            .Select((theme, i) => (i + 1, theme, (IReadOnlyList<Core.Model.Question>)[.. theme.Questions.Where(q => !(Answers.TryGetValue(q.Id, out var a) && a.IsGiven))]))
            .Where(t => t.Item3.Count > 0)];
}
