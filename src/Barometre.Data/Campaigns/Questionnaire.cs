using Barometre.Core.Model;
using Barometre.Data.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>Where a collectivité is with its questionnaire.</summary>
public enum ParticipantStatus
{
    /// <summary>No answer yet.</summary>
    NotStarted,

    /// <summary>Some answers, not submitted.</summary>
    InProgress,

    /// <summary>Submitted.</summary>
    Submitted,
}

/// <summary>
/// What saving through an invitation link needs, fixed for the link's life: the invitation (whether it is still
/// valid is checked again with every save), the collectivité and its campaign's model.
/// </summary>
public sealed record AnswerLink(int InvitationId, int ParticipantId, string Code, int CampaignId, MaturityModel Model);

/// <summary>What a valid invitation link opens: one collectivité's questionnaire in one campaign.</summary>
/// <remarks>
/// <paramref name="LinkExpiresAt"/> is when the link stops opening it; <paramref name="Contact"/> whom to ask about the campaign, or null;
/// <paramref name="RetentionMonths"/> how long after closing the campaign keeps its contributors' names (the privacy notice says it).
/// </remarks>
public sealed record QuestionnaireAccess(
    int InvitationId,
    int ParticipantId,
    string Code,
    string Name,
    int CampaignId,
    string CampaignName,
    CampaignStatus CampaignStatus,
    DateTime? ReviewEndsAt,
    DateTime? SubmittedAt,
    string? SubmittedBy,
    int? LeadContributorId,
    DateTime LinkExpiresAt,
    CampaignContact? Contact,
    MaturityModel Model,
    DateTime Now,
    int RetentionMonths = Privacy.PersonalData.DefaultRetentionMonths)
{
    /// <summary>The link, for saving answers.</summary>
    public AnswerLink Link => new(InvitationId, ParticipantId, Code, CampaignId, Model);

    /// <summary>What keeps the collectivité from changing its answers now (<see cref="EditRule"/>), or null.</summary>
    public EditLock? Lock => EditRule.LockOf(Editor.Respondent, CampaignStatus, SubmittedAt, ReviewEndsAt, Now);

    /// <summary>Whether answers may change: collection open and not submitted, or within the review window.</summary>
    public bool CanEdit => Lock is null;

    /// <summary>Whether the collectivité may submit now.</summary>
    public bool CanSubmit => SubmittedAt is null && CanEdit;

    /// <summary>Why answers are read-only, in French; null when they are not.</summary>
    public string? ReadOnlyReason => Lock is { } editLock ? EditRule.Reason(editLock) : null;

    /// <summary>Until when the collectivité may answer and submit through this link (UTC): <see cref="EditRule.Deadline"/>.</summary>
    public DateTime Deadline => EditRule.Deadline(CampaignStatus, ReviewEndsAt, LinkExpiresAt);
}

/// <summary>One answer as the questionnaire shows it, with its version for concurrent editing.</summary>
/// <param name="QuestionId">The question.</param>
/// <param name="Level">The level, or null.</param>
/// <param name="Mark">NSP, NC, or none (a level, or no answer).</param>
/// <param name="Comment">The comment, or null.</param>
/// <param name="EvidenceUrl">The evidence link, or null.</param>
/// <param name="EvidenceText">The evidence text, or null.</param>
/// <param name="Version">Increases with every change; 0 for a question nobody answered.</param>
/// <param name="UpdatedAt">When it last changed, or null.</param>
/// <param name="UpdatedBy">Who changed it last, or null.</param>
public sealed record AnswerState(
    string QuestionId,
    int? Level,
    AnswerMark Mark,
    string? Comment,
    string? EvidenceUrl,
    string? EvidenceText,
    int Version,
    DateTime? UpdatedAt,
    string? UpdatedBy)
{
    /// <summary>The state of a question nobody answered.</summary>
    public static AnswerState Empty(string questionId) => new(questionId, null, AnswerMark.None, null, null, null, 0, null, null);

    /// <summary>The state of a stored answer.</summary>
    public static AnswerState Of(Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(answer.QuestionId, answer.Level, answer.Mark, answer.Comment, answer.EvidenceUrl, answer.EvidenceText, answer.Version, answer.UpdatedAt, answer.UpdatedBy);
    }

    /// <summary>Whether the question has a level, NSP or NC.</summary>
    public bool IsGiven => Level is not null || Mark != AnswerMark.None;

    /// <summary>A short text for the audit trail: « niveau 3 », « NSP », « — », with the comment and the evidence.</summary>
    public string Describe()
    {
        var evidence = string.Join(" ", new[] { EvidenceUrl, EvidenceText }.Where(part => !string.IsNullOrEmpty(part)));
        return (Level is { } level ? $"niveau {level}" : AnswerMarks.Code(Mark) ?? "—")
            + (string.IsNullOrEmpty(Comment) ? "" : $" ; commentaire « {Comment} »")
            + (evidence.Length == 0 ? "" : $" ; justification « {evidence} »");
    }
}

/// <summary>The result of saving an answer.</summary>
public abstract record SaveOutcome
{
    /// <summary>Saved (durably committed), or unchanged; the state now stored.</summary>
    public sealed record Saved(AnswerState Answer) : SaveOutcome;

    /// <summary>The input is invalid; problems by field, in French.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : SaveOutcome;

    /// <summary>No such question in the campaign's model.</summary>
    public sealed record UnknownQuestion(string QuestionId) : SaveOutcome;

    /// <summary>The link was revoked or expired (checked with the save).</summary>
    public sealed record UnknownLink : SaveOutcome;

    /// <summary>The questionnaire is read-only (submitted, the review over, or the campaign closed).</summary>
    public sealed record Locked(EditLock Lock) : SaveOutcome
    {
        /// <summary>Why, in French (<see cref="EditRule.Reason"/>).</summary>
        public string Reason => EditRule.Reason(Lock);
    }

    /// <summary>Someone else changed the answer since the version the change was based on; their answer.</summary>
    public sealed record Conflict(AnswerState Current) : SaveOutcome;

    /// <summary>A reply to a doubt, and the answer's evidence is not in doubt (any more): nothing to reply to.</summary>
    public sealed record NotQuestioned : SaveOutcome
    {
        /// <summary>Why, in French.</summary>
        public static string Reason => "L'organisateur ne met pas en doute cette réponse : il n'y a rien à lui répondre.";
    }
}

/// <summary>The result of submitting a questionnaire.</summary>
public enum SubmitOutcome
{
    /// <summary>Submitted now.</summary>
    Submitted,

    /// <summary>Already submitted (or submitted by someone else meanwhile).</summary>
    AlreadySubmitted,

    /// <summary>The campaign no longer collects answers.</summary>
    Locked,

    /// <summary>The collectivité has a lead and the submitter is someone else.</summary>
    NotLead,

    /// <summary>
    /// The number of unanswered questions is not the one the submitter confirmed (someone answered or cleared a question
    /// meanwhile, or the submitter confirmed nothing): nothing was submitted.
    /// </summary>
    Unconfirmed,
}

/// <summary>The result of naming the person who answers through a link (« Qui êtes-vous ? »).</summary>
public abstract record IdentifyOutcome
{
    /// <summary>Named: the new contributor, and the credential that proves it is them (the cookie, X-Contributor).</summary>
    public sealed record Identified(Contributor Contributor, string Credential) : IdentifyOutcome;

    /// <summary>Nobody was named; why, in French.</summary>
    public sealed record Refused(string Reason) : IdentifyOutcome;
}

/// <summary>
/// The respondent's side of a campaign, reached through an invitation link only: open the
/// questionnaire, save answers one by one (versioned, audited), name contributors, submit.
/// Who acts is known only from a contributor's credential (<see cref="IdentifyOutcome.Identified"/>): a value nobody
/// can forge, bound to the collectivité; anything else counts as nobody.
/// </summary>
public sealed class Questionnaire(
    BarometreDbContext db, CampaignModels models, InvitationLinkCache links, TimeProvider clock, IDataProtectionProvider dataProtection)
{
    private readonly ContributorCredentials _credentials = new(dataProtection);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The questionnaire a token opens, or null for a malformed, unknown, revoked or expired token —
    /// the same null for all four, so that a link's state cannot be probed.
    /// </summary>
    public async Task<QuestionnaireAccess?> OpenAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!InvitationTokens.IsWellFormed(token))
        {
            return null;
        }
        var hash = InvitationTokens.Hash(token!);
        var now = Now;
        var found = await db.Invitations.AsNoTracking()
            .Where(i => i.TokenHash == hash && i.RevokedAt == null && i.ExpiresAt > now)
            .Select(i => new
            {
                InvitationId = i.Id,
                i.ParticipantId,
                i.Participant!.Code,
                i.Participant.Name,
                i.Participant.CampaignId,
                CampaignName = i.Participant.Campaign!.Name,
                i.Participant.Campaign.Status,
                i.Participant.Campaign.ReviewEndsAt,
                i.Participant.SubmittedAt,
                i.Participant.SubmittedBy,
                i.Participant.LeadContributorId,
                i.ExpiresAt,
                i.Participant.Campaign.ContactName,
                i.Participant.Campaign.ContactEmail,
                i.Participant.Campaign.RetentionMonths,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var model = await models.GetAsync(db, found.CampaignId, cancellationToken);
        var access = new QuestionnaireAccess(
            found.InvitationId, found.ParticipantId, found.Code, found.Name, found.CampaignId, found.CampaignName, found.Status, found.ReviewEndsAt,
            found.SubmittedAt, found.SubmittedBy, found.LeadContributorId, found.ExpiresAt,
            found.ContactName is null && found.ContactEmail is null ? null : new CampaignContact(found.ContactName, found.ContactEmail), model, now, found.RetentionMonths);
        links.AddLink(hash, access.Link);
        return access;
    }

    /// <summary>
    /// What a token points to, for saving answers: from the links already resolved, without a query, or else as
    /// <see cref="OpenAsync"/> finds it; null for a malformed, unknown, revoked or expired token not seen before.
    /// A link found here may have been revoked or have expired since: the save checks (<see cref="SaveOutcome.UnknownLink"/>),
    /// and so must anything answering from the link without saving.
    /// </summary>
    public async Task<AnswerLink?> LinkAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!InvitationTokens.IsWellFormed(token))
        {
            return null;
        }
        if (links.TryGetLink(InvitationTokens.Hash(token!), out var link))
        {
            return link;
        }
        return (await OpenAsync(token, cancellationToken))?.Link;
    }

    /// <summary>The contributor of the link's collectivité a credential proves, or null for a forged, altered or foreign one.</summary>
    public int? ContributorIdOf(AnswerLink link, string? credential)
    {
        ArgumentNullException.ThrowIfNull(link);
        return _credentials.ContributorOf(link.ParticipantId, credential);
    }

    /// <summary>The name of the contributor a credential proves (<see cref="ContributorIdOf"/>), or null.</summary>
    public async Task<string?> ContributorNameAsync(AnswerLink link, string? credential, CancellationToken cancellationToken = default)
    {
        if (ContributorIdOf(link, credential) is not { } contributorId)
        {
            return null;
        }
        if (!links.TryGetContributor(contributorId, out var contributor))
        {
            var found = await db.Contributors.AsNoTracking().Where(c => c.Id == contributorId).Select(c => new { c.ParticipantId, c.Name }).SingleOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                return null;
            }
            contributor = new CachedContributor(found.ParticipantId, found.Name);
            links.AddContributor(contributorId, contributor);
        }
        return contributor.ParticipantId == link.ParticipantId ? contributor.Name : null;
    }

    /// <summary>Every stored answer of the questionnaire, by question id.</summary>
    public async Task<IReadOnlyDictionary<string, AnswerState>> AnswersAsync(QuestionnaireAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        var answers = await db.Answers.AsNoTracking().Where(a => a.ParticipantId == access.ParticipantId).ToListAsync(cancellationToken);
        return answers.ToDictionary(a => a.QuestionId, AnswerState.Of, StringComparer.Ordinal);
    }

    /// <summary>The operators' doubts about the questionnaire's answers (awaiting a reply, replied or lifted), by question id.</summary>
    public async Task<IReadOnlyDictionary<string, EvidenceDoubt>> DoubtsAsync(QuestionnaireAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        var answers = await db.Answers.AsNoTracking().Where(a => a.ParticipantId == access.ParticipantId && (a.EvidenceQuestionedAt != null || a.EvidenceReview == EvidenceReview.Questioned)).ToListAsync(cancellationToken);
        return answers.ToDictionary(a => a.QuestionId, a => EvidenceDoubt.Of(a)!, StringComparer.Ordinal);
    }

    /// <summary>
    /// Replies to the operator's doubt about an answer's evidence (<see cref="EvidenceDoubt.ReplyProblem"/> checks the text),
    /// audited as the link's. The answer's version does not change: a reply is not a change of the answer, and the
    /// autosave of a page open elsewhere goes on. Whether the link is valid, the questionnaire takes changes and the answer
    /// is in doubt is checked in the write's transaction, as a save checks it (<see cref="SaveOutcome.NotQuestioned"/>
    /// when it is not in doubt).
    /// </summary>
    public async Task<SaveOutcome> ReplyAsync(AnswerLink link, string questionId, string? reply, string? contributor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (link.Model.IndexOfQuestion(questionId) < 0)
        {
            return new SaveOutcome.UnknownQuestion(questionId);
        }
        if (EvidenceDoubt.ReplyProblem(reply) is { } problem)
        {
            return new SaveOutcome.Invalid(new Dictionary<string, string>(StringComparer.Ordinal) { ["reply"] = problem });
        }
        return await AnswerWriter.ReplyAsync(db, link.CampaignId, link.ParticipantId, link.InvitationId, questionId, reply!.Trim(), Actor.Link(link.Code, contributor), Now, cancellationToken);
    }

    /// <summary>How many of <paramref name="questions"/> have an answer given (a level, NSP or NC; a comment alone is none).</summary>
    public static int AnsweredCount(IEnumerable<Question> questions, IReadOnlyDictionary<string, AnswerState> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        return questions.Count(q => answers.TryGetValue(q.Id, out var answer) && answer.IsGiven);
    }

    /// <summary>How many questions of <paramref name="model"/> have no answer given (<see cref="AnsweredCount"/>).</summary>
    public static int UnansweredCount(MaturityModel model, IReadOnlyDictionary<string, AnswerState> answers)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Questions.Count - AnsweredCount(model.Questions, answers);
    }

    /// <summary>The status the follow-up shows: submitted, in progress (some answer given) or not started.</summary>
    public static ParticipantStatus StatusOf(DateTime? submittedAt, IEnumerable<AnswerState> answers) =>
        submittedAt is not null ? ParticipantStatus.Submitted
        : answers.Any(a => a.IsGiven || !string.IsNullOrEmpty(a.Comment)) ? ParticipantStatus.InProgress
        : ParticipantStatus.NotStarted;

    /// <summary>
    /// Saves one answer. With <paramref name="expectedVersion"/>, a change based on an older version is
    /// refused as a conflict and the newer answer returned, never overwritten; without it the change
    /// applies to whatever is stored. An identical answer is not written again. Whether the link is still valid and
    /// the questionnaire takes answers is checked in the save's transaction.
    /// </summary>
    public async Task<SaveOutcome> SaveAsync(
        AnswerLink link, string questionId, AnswerInput input, int? expectedVersion, string? contributor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(input);
        if (link.Model.IndexOfQuestion(questionId) < 0)
        {
            return new SaveOutcome.UnknownQuestion(questionId);
        }
        var errors = input.Validate(link.Model.Scale);
        if (errors.Count > 0)
        {
            return new SaveOutcome.Invalid(errors);
        }
        var actor = Actor.Link(link.Code, contributor);
        return await AnswerWriter.WriteAsync(db, link.CampaignId, link.ParticipantId, link.InvitationId, questionId, input, expectedVersion, actor, Now, Editor.Respondent, cancellationToken);
    }

    /// <summary>
    /// Submits the questionnaire, unanswered questions included, on behalf of the contributor the <paramref name="credential"/>
    /// proves; a credential that proves nobody of this collectivité counts as none.
    /// </summary>
    /// <param name="access">The questionnaire.</param>
    /// <param name="credential">The submitter's contributor credential, or null.</param>
    /// <param name="confirmedUnanswered">
    /// How many unanswered questions the submitter confirmed sending (the page's confirmation, 0 when they confirmed
    /// nothing), checked in the submission's transaction: any other number now gives <see cref="SubmitOutcome.Unconfirmed"/>.
    /// Null submits whatever is unanswered (the API without <c>?unanswered=</c>).
    /// </param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<SubmitOutcome> SubmitAsync(QuestionnaireAccess access, string? credential, int? confirmedUnanswered = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (access.SubmittedAt is not null)
        {
            return SubmitOutcome.AlreadySubmitted;
        }
        if (!access.CanEdit)
        {
            return SubmitOutcome.Locked;
        }
        var contributorId = ContributorIdOf(access.Link, credential);
        var contributor = await ContributorNameAsync(access.Link, credential, cancellationToken);
        if (access.LeadContributorId is { } lead && (contributor is null || lead != contributorId))
        {
            return SubmitOutcome.NotLead;
        }
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The campaign may have closed, or its review ended, since the link was opened: the rule is checked again in the
        // transaction, as a save checks it. On PostgreSQL the campaign row is read FOR SHARE, so that a freeze (an UPDATE
        // of that row) waits for this submission and counts it, or this submission waits for the freeze and sees it;
        // SQLite writers are serialised anyway.
        var campaign = db.Database.IsNpgsql()
            ? (await db.Database.SqlQuery<CampaignState>(
                $"""SELECT "Status", "ReviewEndsAt" FROM "Campaigns" WHERE "Id" = {access.CampaignId} FOR SHARE""").ToListAsync(cancellationToken)).Single()
            : await db.Campaigns.Where(c => c.Id == access.CampaignId).Select(c => new CampaignState(c.Status, c.ReviewEndsAt)).SingleAsync(cancellationToken);
        if (EditRule.LockOf(Editor.Respondent, campaign.Status, null, campaign.ReviewEndsAt, now) is not null)
        {
            return SubmitOutcome.Locked;
        }
        if (confirmedUnanswered is { } confirmed && UnansweredCount(access.Model, await AnswersAsync(access, cancellationToken)) != confirmed)
        {
            return SubmitOutcome.Unconfirmed;
        }
        var updated = await db.Participants
            .Where(p => p.Id == access.ParticipantId && p.SubmittedAt == null)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.SubmittedAt, now).SetProperty(x => x.SubmittedBy, contributor ?? "lien d'invitation"), cancellationToken);
        if (updated == 0)
        {
            return SubmitOutcome.AlreadySubmitted;
        }
        db.AuditEntries.Add(new AuditEntry
        {
            At = now, CampaignId = access.CampaignId, ParticipantId = access.ParticipantId,
            Actor = Actor.Link(access.Code, contributor).Name, Action = "questionnaire.submit", OldValue = "non transmis", NewValue = "transmis",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return SubmitOutcome.Submitted;
    }

    private sealed record CampaignState(CampaignStatus Status, DateTime? ReviewEndsAt);

    /// <summary>The collectivité's named contributors.</summary>
    public async Task<IReadOnlyList<Contributor>> ContributorsAsync(QuestionnaireAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        return await db.Contributors.AsNoTracking().Where(c => c.ParticipantId == access.ParticipantId).OrderBy(c => c.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Why a contributor's name or e-mail cannot be stored, in French; null when they can.</summary>
    public static string? ContributorProblem(string? name, string? email) =>
        string.IsNullOrWhiteSpace(name) ? "Indiquez votre nom : il accompagne chacune de vos réponses."
        : Privacy.PersonalData.IsNeutralName(name) ? "Ce nom est celui que prend un contributeur effacé : indiquez le vôtre."
        : TextRules.Problem(name.Trim(), "Le nom", FieldLimits.Name, multiline: false)
            ?? TextRules.Problem(email?.Trim(), "L'adresse électronique", FieldLimits.Email, multiline: false);

    /// <summary>
    /// Names a new contributor of the collectivité, and gives the credential that will prove it is them. The first one
    /// becomes its lead, the one who submits. A name already taken (trimmed, case-insensitive) is refused rather than
    /// handed out: the link is shared, and whoever holds it could otherwise act, and submit, as someone else. The person
    /// continues on another device with their personal link (the questionnaire's address followed by their credential).
    /// Refused too when the name or e-mail cannot be stored (<see cref="ContributorProblem"/>).
    /// </summary>
    public async Task<IdentifyOutcome> IdentifyAsync(QuestionnaireAccess access, string? name, string? email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (ContributorProblem(name, email) is { } problem)
        {
            return new IdentifyOutcome.Refused(problem);
        }
        var clean = name!.Trim();
        if ((await ContributorsAsync(access, cancellationToken)).FirstOrDefault(c => string.Equals(c.Name, clean, StringComparison.OrdinalIgnoreCase)) is { } existing)
        {
            return NameTaken(existing.Name);
        }
        var now = Now;
        var contributor = new Contributor { ParticipantId = access.ParticipantId, Name = clean, Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(), CreatedAt = now };
        db.Contributors.Add(contributor);
        db.AuditEntries.Add(new AuditEntry
        {
            At = now, CampaignId = access.CampaignId, ParticipantId = access.ParticipantId, Actor = Actor.Link(access.Code, clean).Name,
            Action = "contributor.add", Subject = clean, NewValue = contributor.Email,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two people typed the same name at once: the other one has it.
            db.ChangeTracker.Clear();
            return NameTaken(clean);
        }
        if (access.LeadContributorId is null)
        {
            await db.Participants.Where(p => p.Id == access.ParticipantId && p.LeadContributorId == null)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.LeadContributorId, contributor.Id), cancellationToken);
        }
        return new IdentifyOutcome.Identified(contributor, _credentials.Issue(contributor));
    }

    private static IdentifyOutcome.Refused NameTaken(string name) => new(
        $"« {TextRules.Quote(name)} » répond déjà pour la collectivité, et un nom ne désigne qu'une personne. Si c'est vous, ouvrez sur cet appareil "
        + "votre lien personnel : il est sur la page d'accueil du questionnaire, là où vous vous êtes nommé·e. Sinon, indiquez un autre nom "
        + "(par exemple avec votre service) ; le ou la responsable, ou l'organisateur, peut vous confier la transmission.");

    /// <summary>Makes another contributor the lead; only the current lead, proved by their <paramref name="credential"/>, may hand the role over.</summary>
    /// <returns>false when the credential does not prove the lead or the contributor is not of this collectivité.</returns>
    public async Task<bool> HandOverLeadAsync(QuestionnaireAccess access, string? credential, int toContributorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (ContributorIdOf(access.Link, credential) is not { } byContributorId || access.LeadContributorId != byContributorId)
        {
            return false;
        }
        var names = await db.Contributors.Where(c => c.ParticipantId == access.ParticipantId && (c.Id == byContributorId || c.Id == toContributorId))
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        if (!names.TryGetValue(toContributorId, out var successor) || !names.TryGetValue(byContributorId, out var predecessor))
        {
            return false;
        }
        var updated = await db.Participants.Where(p => p.Id == access.ParticipantId && p.LeadContributorId == byContributorId)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.LeadContributorId, toContributorId), cancellationToken);
        if (updated == 0)
        {
            return false;
        }
        db.AuditEntries.Add(new AuditEntry
        {
            At = Now, CampaignId = access.CampaignId, ParticipantId = access.ParticipantId, Actor = Actor.Link(access.Code, predecessor).Name,
            Action = "contributor.lead", OldValue = predecessor, NewValue = successor,
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
