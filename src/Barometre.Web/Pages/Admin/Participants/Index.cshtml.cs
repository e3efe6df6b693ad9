using System.Globalization;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Participants;

/// <summary>
/// One collectivité of a campaign: its link, contributors, answers (with the operator's review of their
/// evidence and answers entered by the operator) and audit trail. A collectivité of another campaign is a 404.
/// </summary>
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class ParticipantModel(CampaignQueries queries, CampaignInvitations invitations, OperatorAnswers answers, MailOutbox outbox) : CampaignPage(queries)
{
    /// <summary>Audit entries shown on the page; the journal has the rest.</summary>
    public const int AuditShown = 50;

    [FromRoute(Name = "participantId")]
    public int ParticipantId { get; set; }

    /// <summary>The question whose answer the operator is entering (<c>?question=…</c>).</summary>
    [FromQuery(Name = "question")]
    public string? EditQuestion { get; set; }

    public ParticipantProgress Progress { get; private set; } = null!;

    public Participant Participant => Progress.Participant;

    public MaturityModel Maturity { get; private set; } = null!;

    public IReadOnlyDictionary<string, Answer> Answers { get; private set; } = new Dictionary<string, Answer>();

    public IReadOnlyList<Contributor> Contributors { get; private set; } = [];

    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];

    /// <summary>The collectivité's last message, or null.</summary>
    public ParticipantDelivery? Delivery { get; private set; }

    /// <summary>The link just issued, shown once.</summary>
    public IssuedInvitation? NewInvitation { get; private set; }

    public string? NewLink { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The answer form as posted, when it is shown again with its problems.</summary>
    public AnswerForm? Posted { get; private set; }

    public IReadOnlyList<string> AnswerErrors { get; private set; } = [];

    public string Path => $"{CampaignPath}/collectivites/{ParticipantId}";

    /// <summary>Whether the operator may still enter answers or reopen the questionnaire (<see cref="EditRule"/>): not once the campaign is closed.</summary>
    public bool CanEditAnswers => EditRule.OperatorLockOf(Campaign.Status) is null;

    /// <summary>An HTML id for a question.</summary>
    public static string AnchorOf(string questionId) => "q-" + questionId.Replace('.', '-');

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (EditQuestion is not null && Maturity.IndexOfQuestion(EditQuestion) < 0)
        {
            EditQuestion = null;
        }
        return Page();
    }

    /// <summary>A new link; the previous ones stop working. Shown once, on this response only.</summary>
    public async Task<IActionResult> OnPostReissueAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        NewInvitation = await invitations.ReissueAsync(ParticipantId, Operator, cancellationToken);
        NewLink = InvitationLinksCsv.Link(SiteRoot, NewInvitation.Token);
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Corrects the collectivité's address (its bounce flag cleared) and sends its invitation, or a reminder once invited, again.</summary>
    public async Task<IActionResult> OnPostEmailAsync(string? email, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (await outbox.CorrectAddressAsync(ParticipantId, email, Operator, cancellationToken) is { } problem)
        {
            Error = problem;
            return Page();
        }
        var queued = await outbox.QueueOneAsync(ParticipantId, SiteRoot, Operator, cancellationToken);
        Flash(queued.Skipped is { } skipped
                ? $"Adresse enregistrée ; aucun courriel n'est parti : {skipped}."
                : $"Adresse enregistrée ; {DeliveryLabels.Kind(queued.Kind, queued.Sequence)} mise en file d'attente pour {queued.Address} : le serveur l'envoie sous peu.",
            queued.Skipped is null ? "success" : "warning");
        return Redirect(Path);
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        var revoked = await invitations.RevokeAsync(ParticipantId, Operator, cancellationToken);
        Flash(revoked == 0 ? "Cette collectivité n'avait aucun lien à révoquer." : "Le lien est révoqué : il n'ouvre plus le questionnaire. Les réponses sont conservées.",
            revoked == 0 ? "warning" : "success");
        return Redirect(Path);
    }

    public async Task<IActionResult> OnPostReopenAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        switch (await answers.ReopenAsync(ParticipantId, Operator, cancellationToken))
        {
            case ReopenOutcome.CampaignClosed:
                Flash("La campagne est close : ses réponses sont figées, le questionnaire ne peut plus être rouvert.", "error");
                break;
            case ReopenOutcome.Reopened:
                Flash("Le questionnaire est rouvert : la collectivité peut de nouveau modifier ses réponses, puis devra le transmettre à nouveau.");
                break;
            default:
                Flash("Le questionnaire n'était pas transmis : il est déjà modifiable.", "warning");
                break;
        }
        return Redirect(Path);
    }

    public async Task<IActionResult> OnPostLeadAsync(int contributorId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (Contributors.FirstOrDefault(c => c.Id == contributorId) is not { } contributor)
        {
            Flash("Choisissez l'un des contributeurs de la collectivité.", "error");
        }
        else if (contributor.Id == Participant.LeadContributorId)
        {
            Flash($"{contributor.Name} est déjà responsable de la transmission.", "warning");
        }
        else
        {
            await answers.SetLeadAsync(ParticipantId, contributor.Id, Operator, cancellationToken);
            Flash($"{contributor.Name} est désormais responsable de la transmission.");
        }
        return Redirect(Path + "#contributeurs");
    }

    public async Task<IActionResult> OnPostReviewAsync(int answerId, string? review, string? note, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        var answer = Answers.Values.FirstOrDefault(a => a.Id == answerId);
        if (answer is null)
        {
            return NotFound();
        }
        var anchor = "#" + AnchorOf(answer.QuestionId);
        var decision = review switch
        {
            "accepter" => EvidenceReview.Accepted,
            "douter" => EvidenceReview.Questioned,
            _ => (EvidenceReview?)null,
        };
        if (decision is null)
        {
            Flash("Choisissez « Accepter » ou « Mettre en doute ».", "error");
        }
        else if (await answers.ReviewEvidenceAsync(answer.Id, decision.Value, note, Operator, cancellationToken) is ReviewOutcome.Refused refused)
        {
            Flash($"{refused.Reason} Rien n'a été enregistré.", "error");
        }
        else
        {
            Flash($"Justificatif de la question {answer.QuestionId} : {AdminLabels.Review(decision.Value).ToLowerInvariant()}.");
        }
        return Redirect(Path + anchor);
    }

    public async Task<IActionResult> OnPostAnswerAsync([FromForm(Name = "Answer")] AnswerForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (form.QuestionId is null || Maturity.IndexOfQuestion(form.QuestionId) < 0)
        {
            Flash("Question inconnue dans le référentiel de la campagne.", "error");
            return Redirect(Path);
        }
        EditQuestion = form.QuestionId;
        Posted = form;
        var current = Answers.GetValueOrDefault(form.QuestionId);
        if ((current?.Version ?? 0) != form.Version)
        {
            AnswerErrors = [$"Cette réponse a été modifiée entre-temps par {current?.UpdatedBy ?? "quelqu'un d'autre"} : elle est maintenant « {AdminLabels.Answer(current, Maturity.Scale)} ». Rien n'a été enregistré ; vérifiez-la puis enregistrez à nouveau."];
            Posted = null;
            return Page();
        }
        if (form.ToInput() is not { } input)
        {
            AnswerErrors = ["Choisissez un niveau, « NSP », « NC » ou « Pas de réponse »."];
            return Page();
        }
        switch (await answers.SaveAsync(ParticipantId, form.QuestionId, input, Operator, form.Version, cancellationToken))
        {
            case SaveOutcome.Saved:
                Flash($"Réponse à la question {form.QuestionId} enregistrée.");
                return Redirect(Path + "#" + AnchorOf(form.QuestionId));
            case SaveOutcome.Invalid invalid:
                AnswerErrors = [.. invalid.Errors.Values];
                return Page();
            case SaveOutcome.Locked locked:
                AnswerErrors = [locked.Reason];
                return Page();
            case SaveOutcome.Conflict conflict:
                AnswerErrors = [$"Cette réponse a été modifiée entre-temps par {conflict.Current.UpdatedBy ?? "quelqu'un d'autre"}. Vérifiez-la puis enregistrez à nouveau."];
                await LoadAsync(cancellationToken);
                return Page();
            default:
                AnswerErrors = ["Question inconnue dans le référentiel de la campagne."];
                return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "suivi";
        // The collectivité must belong to the campaign of the address, whatever its id.
        if (await Queries.ParticipantAsync(ParticipantId, cancellationToken) is not { } found || found.Progress.Participant.CampaignId != CampaignId)
        {
            return false;
        }
        Progress = found.Progress;
        Answers = found.Answers.ToDictionary(a => a.QuestionId, StringComparer.Ordinal);
        Contributors = [.. found.Contributors.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)];
        Maturity = await Queries.ModelAsync(CampaignId, cancellationToken);
        Audit = await Queries.AuditAsync(CampaignId, ParticipantId, AuditShown, cancellationToken);
        Delivery = await outbox.DeliveryOfAsync(ParticipantId, cancellationToken);
        ViewData["Title"] = $"{Participant.Name} — {Campaign.Name}";
        return true;
    }
}

/// <summary>An answer entered by the operator.</summary>
public sealed class AnswerForm
{
    public string? QuestionId { get; set; }

    /// <summary>The version the form was loaded with (0 when there was no answer).</summary>
    public int Version { get; set; }

    /// <summary>« 0 »…« 9 », « NSP », « NC », « aucune » (no answer), or null when nothing was chosen.</summary>
    public string? Choice { get; set; }

    public string? Comment { get; set; }

    public string? EvidenceUrl { get; set; }

    public string? EvidenceText { get; set; }

    /// <summary>The choice of a stored answer.</summary>
    public static string ChoiceOf(Answer? answer) =>
        answer?.Level is { } level ? level.ToString(CultureInfo.InvariantCulture) : AnswerMarks.Code(answer?.Mark ?? AnswerMark.None) ?? "aucune";

    /// <summary>What to save; null when no choice was made.</summary>
    public AnswerInput? ToInput()
    {
        var comment = Trim(Comment);
        var url = Trim(EvidenceUrl);
        var text = Trim(EvidenceText);
        return Choice switch
        {
            "NSP" or "NC" => new AnswerInput(null, Choice, comment, url, text),
            "aucune" => new AnswerInput(null, null, comment, url, text),
            { } level when int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out var value) => new AnswerInput(value, null, comment, url, text),
            _ => null,
        };
    }

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
