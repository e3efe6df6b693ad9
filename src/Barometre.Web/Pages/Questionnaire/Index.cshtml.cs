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

    /// <summary>A personal link's credential (<c>?contributeur=…</c>): the person continues here on another device.</summary>
    [FromQuery(Name = PersonalLinkParameter)]
    public string? PersonalCredential { get; set; }

    public string? Error { get; private set; }

    /// <summary>The query parameter of the personal link.</summary>
    public const string PersonalLinkParameter = "contributeur";

    /// <summary>
    /// The address that names the person answering here on any device (the questionnaire's, with their credential), or null
    /// until they give their name. It stands for them: shown to them only, never sent elsewhere.
    /// </summary>
    public string? PersonalLink => ContributorCredential is null ? null
        : $"{Request.Scheme}://{Request.Host}{Request.PathBase}{Home}?{PersonalLinkParameter}={Uri.EscapeDataString(ContributorCredential)}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        if (PersonalCredential is null)
        {
            return Page();
        }
        if (Questionnaire.ContributorIdOf(Access.Link, PersonalCredential) is { } id && Contributors.Any(c => c.Id == id))
        {
            // Remembered here too; the redirect takes the credential out of the address bar.
            RememberContributor(PersonalCredential);
            return Redirect(Home);
        }
        Error = "Ce lien personnel n'est pas valable pour ce questionnaire : vérifiez qu'il est complet, ou nommez-vous ci-dessous.";
        return Page();
    }

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
                RememberContributor(identified.Credential);
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
        if (NewLead is not { } lead || !await Questionnaire.HandOverLeadAsync(Access, ContributorCredential, lead, cancellationToken))
        {
            Error = "Seul·e le ou la responsable actuel·le peut confier la transmission à une autre personne.";
            return Page();
        }
        return Redirect(Home);
    }
}
