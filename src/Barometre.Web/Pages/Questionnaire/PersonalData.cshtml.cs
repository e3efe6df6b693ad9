using Barometre.Data.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Questionnaire;

/// <summary>
/// « Vos données personnelles », through the collectivité's link: what is stored about the person answering on this
/// device (their name, their e-mail, the answers and journal entries that name them), and a button to erase their
/// identity, with a confirmation. Who they are is proved by their cookie, as everywhere in the questionnaire: another
/// collectivité's link, or a forged cookie, shows and erases nothing.
/// </summary>
public sealed class PersonalDataModel(Data.Campaigns.Questionnaire questionnaire, ContributorErasure erasure) : QuestionnairePage(questionnaire)
{
    /// <summary>What is stored about the person answering, or null when they have not given their name on this device.</summary>
    public ContributorRecord? Record { get; private set; }

    /// <summary>The confirmation box of the erasure.</summary>
    [BindProperty]
    public bool Confirm { get; set; }

    [FromQuery(Name = "efface")]
    public string? ErasedFlag { get; set; }

    /// <summary>Whether the page follows an erasure (the redirect carries <c>?efface=1</c>).</summary>
    public bool Erased => ErasedFlag is "1" or "true";

    /// <summary>Why the erasure was not done, in French.</summary>
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        await LoadRecordAsync(cancellationToken);
        return Page();
    }

    /// <summary>Erases the identity of the person answering on this device, once they confirmed.</summary>
    public async Task<IActionResult> OnPostEraseAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        if (!Confirm)
        {
            Error = "Cochez la case de confirmation : l'effacement ne peut pas être annulé.";
            await LoadRecordAsync(cancellationToken);
            return Page();
        }
        if (await erasure.EraseAsync(Access, ContributorCredential, cancellationToken) is null)
        {
            Error = "Aucune identité n'est enregistrée à votre nom sur cet appareil : rien n'a été effacé.";
            return Page();
        }
        return Redirect($"{Home}/mes-donnees?efface=1");
    }

    private async Task LoadRecordAsync(CancellationToken cancellationToken) =>
        Record = Contributor is null ? null : await erasure.RecordAsync(Access, ContributorCredential, cancellationToken);

    /// <summary>A question's wording, or its id for one the model does not have.</summary>
    public string QuestionLabel(string questionId) =>
        Access.Model.IndexOfQuestion(questionId) is var index and >= 0 ? Access.Model.Questions[index].Label : questionId;
}
