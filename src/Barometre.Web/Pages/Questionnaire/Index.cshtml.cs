using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Questionnaire;

/// <summary>The questionnaire's home: who answers, progress per theme, contributors, where to go next.</summary>
[RequestSizeLimit(RequestBodyLimits.ContributorForm)]
public sealed class IndexModel(Data.Campaigns.Questionnaire questionnaire) : QuestionnairePage(questionnaire)
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public int? NewLead { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : UnknownLink();

    /// <summary>« Qui êtes-vous ? »: names the person answering on this browser.</summary>
    public async Task<IActionResult> OnPostIdentifyAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        switch (await Questionnaire.IdentifyAsync(Access, Name, Email, cancellationToken))
        {
            case IdentifyOutcome.Identified identified:
                RememberContributor(identified.Contributor);
                return Redirect(Home);
            case IdentifyOutcome.Refused refused:
                Error = refused.Reason;
                return Page();
            default:
                throw new InvalidOperationException("Unexpected outcome.");
        }
    }

    /// <summary>The lead hands the submission over to another contributor.</summary>
    public async Task<IActionResult> OnPostLeadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        if (Contributor is null || NewLead is not { } lead || !await Questionnaire.HandOverLeadAsync(Access, Contributor.Id, lead, cancellationToken))
        {
            Error = "Seul·e le ou la responsable actuel·le peut confier la transmission à une autre personne.";
            return Page();
        }
        return Redirect(Home);
    }
}
