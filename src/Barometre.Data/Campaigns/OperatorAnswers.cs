using Barometre.Core.Responses;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>The result of reopening a submitted questionnaire.</summary>
public enum ReopenOutcome
{
    /// <summary>Reopened: the collectivité may change its answers, then submit again.</summary>
    Reopened,

    /// <summary>It was not submitted: nothing to reopen.</summary>
    NotSubmitted,

    /// <summary>The campaign is closed: its answers are frozen (<see cref="EditLock.CampaignClosed"/>).</summary>
    CampaignClosed,
}

/// <summary>The result of reviewing an answer's evidence.</summary>
public abstract record ReviewOutcome
{
    /// <summary>The operator's reading is stored.</summary>
    public sealed record Reviewed(EvidenceReview Review) : ReviewOutcome;

    /// <summary>Nothing changed; why, in French (<see cref="OperatorAnswers.ReviewNoteProblem"/>).</summary>
    public sealed record Refused(string Reason) : ReviewOutcome;
}

/// <summary>
/// What operators do to collectivités' answers: enter one (given on paper), import many from the wide CSV, submit on
/// their behalf, reopen a submission, make a contributor the lead, review evidence. Operators may change answers until
/// the campaign is closed (<see cref="EditRule"/>); every change is audited as theirs.
/// </summary>
public sealed class OperatorAnswers(BarometreDbContext db, CampaignModels models, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Why an operator's note on evidence cannot be stored, in French; null when it can (no note is fine).</summary>
    public static string? ReviewNoteProblem(string? note) =>
        TextRules.Problem(note?.Trim(), "La note", FieldLimits.Url, multiline: false);

    /// <summary>
    /// Saves an answer as the operator (for example one given on paper), audited as such, whatever the
    /// questionnaire's state but a closed campaign.
    /// </summary>
    public async Task<SaveOutcome> SaveAsync(int participantId, string questionId, AnswerInput input, Actor actor, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var participant = await db.Participants.AsNoTracking().Include(p => p.Campaign).SingleAsync(p => p.Id == participantId, cancellationToken);
        if (EditRule.OperatorLockOf(participant.Campaign!.Status) is { } editLock)
        {
            return new SaveOutcome.Locked(editLock);
        }
        var model = await models.GetAsync(db, participant.CampaignId, cancellationToken);
        if (model.IndexOfQuestion(questionId) < 0)
        {
            return new SaveOutcome.UnknownQuestion(questionId);
        }
        var errors = input.Validate(model.Scale);
        if (errors.Count > 0)
        {
            return new SaveOutcome.Invalid(errors);
        }
        return await AnswerWriter.WriteAsync(db, participant.CampaignId, participantId, invitationId: null, questionId, input, expectedVersion, actor, Now, Editor.Operator, cancellationToken);
    }

    /// <summary>
    /// Imports answers from the wide CSV (answers given on paper, or exported from another tool): every
    /// row's collectivité must be in the panel; a cell with a level, NSP or NC replaces the stored answer,
    /// an empty cell leaves it as it is. All or nothing.
    /// </summary>
    /// <returns>The problems (a closed campaign, codes not in the panel), or the number of answers changed.</returns>
    public async Task<(IReadOnlyList<InputProblem> Problems, int Changed)> ImportAsync(
        int campaignId, ResponseSet responses, string source, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (EditRule.OperatorLockOf(campaign.Status) is not null)
        {
            return ([new InputProblem(source, null, null, "la campagne est close : ses réponses sont figées")], 0);
        }
        var participants = await db.Participants.AsNoTracking().Where(p => p.CampaignId == campaignId).ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, cancellationToken);
        var unknown = responses.Respondents.Where(r => !participants.ContainsKey(r.Code)).ToList();
        if (unknown.Count > 0)
        {
            return ([.. unknown.Select(r => new InputProblem(source, null, null, $"la collectivité « {TextRules.Quote(r.Code)} » ({TextRules.Quote(r.Name)}) n'est pas dans le panel de la campagne"))], 0);
        }
        var model = responses.Model;
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A national panel imports millions of answers in this one transaction: they are read without tracking and
        // written in bulk (BulkWrites), as are their audit entries.
        var storedByParticipant = (await db.Answers.AsNoTracking().Where(a => a.Participant!.CampaignId == campaignId).ToListAsync(cancellationToken))
            .GroupBy(a => a.ParticipantId)
            .ToDictionary(group => group.Key, group => group.ToDictionary(a => a.QuestionId, StringComparer.Ordinal));
        var inserted = new List<Answer>();
        var updated = new List<(Answer Answer, int PreviousVersion)>();
        var audits = new List<AuditEntry>();
        for (var r = 0; r < responses.Count; r++)
        {
            var participant = participants[responses.Respondents[r].Code];
            var stored = storedByParticipant.GetValueOrDefault(participant.Id);
            for (var q = 0; q < model.Questions.Count; q++)
            {
                var cell = responses[r, q];
                if (cell == Core.Responses.CellCode.Blank)
                {
                    continue;
                }
                var questionId = model.Questions[q].Id;
                Answer? answer = null;
                stored?.TryGetValue(questionId, out answer);
                if (answer?.Cell == cell)
                {
                    continue;
                }
                var before = answer is null ? AnswerState.Empty(questionId) : AnswerState.Of(answer);
                if (answer is null)
                {
                    answer = new Answer { ParticipantId = participant.Id, QuestionId = questionId };
                    inserted.Add(answer);
                }
                else
                {
                    updated.Add((answer, answer.Version));
                }
                answer.SetCell(cell);
                answer.Version++;
                answer.UpdatedAt = now;
                answer.UpdatedBy = actor.Name;
                audits.Add(AuditEntry.Of(now, campaignId, participant.Id, actor, "answer.import", questionId, before.Describe(), AnswerState.Of(answer).Describe()));
            }
        }
        await BulkWrites.InsertAsync(db, inserted, cancellationToken);
        await BulkWrites.UpdateAnswersAsync(db, updated, cancellationToken);
        await BulkWrites.InsertAsync(db, audits, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ([], inserted.Count + updated.Count);
    }

    /// <summary>
    /// Submits on their behalf the questionnaires of the collectivités with these codes not yet submitted (answers
    /// received on paper and imported), in one transaction; audited one by one.
    /// </summary>
    /// <returns>The number of questionnaires submitted now.</returns>
    public async Task<int> SubmitOnBehalfAsync(int campaignId, IReadOnlyCollection<string> codes, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(actor);
        var wanted = codes.ToHashSet(StringComparer.Ordinal);
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // On PostgreSQL these rows stay locked until the commit, so that a collectivité submitting meanwhile is
        // neither submitted twice nor audited as submitted by the operator; SQLite writers are serialised anyway
        // (and the codes are matched here: a national panel has more than a statement's parameters).
        string[] codeList = [.. wanted];
        var open = db.Database.IsNpgsql()
            ? await db.Database.SqlQuery<OpenQuestionnaire>(
                $"""SELECT "Id", "Code" FROM "Participants" WHERE "CampaignId" = {campaignId} AND "SubmittedAt" IS NULL AND "Code" = ANY({codeList}) FOR UPDATE""")
                .ToListAsync(cancellationToken)
            : (await db.Participants.Where(p => p.CampaignId == campaignId && p.SubmittedAt == null)
                .Select(p => new OpenQuestionnaire(p.Id, p.Code)).ToListAsync(cancellationToken)).Where(p => wanted.Contains(p.Code)).ToList();
        if (open.Count == 0)
        {
            return 0;
        }
        // By chunks: a statement has at most 32,766 parameters on SQLite, and a national panel has more collectivités.
        foreach (var chunk in open.Select(p => p.Id).Chunk(1_000))
        {
            await db.Participants.Where(p => chunk.Contains(p.Id))
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.SubmittedAt, now).SetProperty(x => x.SubmittedBy, actor.Name), cancellationToken);
        }
        await BulkWrites.InsertAsync(db, [.. open.Select(p =>
            AuditEntry.Of(now, campaignId, p.Id, actor, "questionnaire.submit", p.Code, "non transmis", "transmis par l'opérateur"))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return open.Count;
    }

    private sealed record OpenQuestionnaire(int Id, string Code);

    /// <summary>Reopens a submitted questionnaire so that the collectivité can change it (and must submit it again).</summary>
    public async Task<ReopenOutcome> ReopenAsync(int participantId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var participant = await db.Participants.Include(p => p.Campaign).SingleAsync(p => p.Id == participantId, cancellationToken);
        if (EditRule.OperatorLockOf(participant.Campaign!.Status) is not null)
        {
            return ReopenOutcome.CampaignClosed;
        }
        if (participant.SubmittedAt is null)
        {
            return ReopenOutcome.NotSubmitted;
        }
        Audit(participant.CampaignId, participant.Id, actor, "questionnaire.reopen", participant.Code, $"transmis par {participant.SubmittedBy}", "rouvert");
        participant.SubmittedAt = null;
        participant.SubmittedBy = null;
        await db.SaveChangesAsync(cancellationToken);
        return ReopenOutcome.Reopened;
    }

    /// <summary>Makes a contributor the lead of their collectivité.</summary>
    public async Task SetLeadAsync(int participantId, int contributorId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var participant = await db.Participants.Include(p => p.Contributors).SingleAsync(p => p.Id == participantId, cancellationToken);
        var contributor = participant.Contributors.Single(c => c.Id == contributorId);
        var previous = participant.Contributors.SingleOrDefault(c => c.Id == participant.LeadContributorId)?.Name;
        participant.LeadContributorId = contributorId;
        Audit(participant.CampaignId, participant.Id, actor, "contributor.lead", participant.Code, previous, contributor.Name);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Records the operator's reading of an answer's evidence; nothing is changed when the note cannot be stored
    /// (<see cref="ReviewNoteProblem"/>). Putting it in doubt, or keeping the doubt after the collectivité's reply, shows the
    /// doubt and the note on the collectivité's questionnaire and waits for its reply (<see cref="DoubtState.AwaitingReply"/>);
    /// accepting it lifts the doubt (<see cref="DoubtState.Lifted"/>).
    /// </summary>
    public async Task<ReviewOutcome> ReviewEvidenceAsync(int answerId, EvidenceReview review, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (ReviewNoteProblem(note) is { } problem)
        {
            return new ReviewOutcome.Refused(problem);
        }
        var answer = await db.Answers.Include(a => a.Participant).SingleAsync(a => a.Id == answerId, cancellationToken);
        Audit(answer.Participant!.CampaignId, answer.ParticipantId, actor, "evidence.review", answer.QuestionId,
            $"{Describe(answer.EvidenceReview)} {answer.EvidenceReviewNote}".Trim(), $"{Describe(review)} {note}".Trim());
        answer.EvidenceReview = review;
        answer.EvidenceReviewNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        answer.EvidenceReviewedAt = Now;
        if (review == EvidenceReview.Questioned)
        {
            // Raised or kept, the doubt now waits for the collectivité's reply; an earlier reply stays, as what it said.
            answer.EvidenceQuestionedAt = answer.EvidenceReviewedAt;
            answer.EvidenceRepliedAt = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ReviewOutcome.Reviewed(review);
    }

    private void Audit(int campaignId, int? participantId, Actor actor, string action, string? subject, string? oldValue, string? newValue) =>
        db.AuditEntries.Add(AuditEntry.Of(Now, campaignId, participantId, actor, action, subject, oldValue, newValue));

    private static string Describe(EvidenceReview review) => review switch
    {
        EvidenceReview.Accepted => "justification acceptée",
        EvidenceReview.Questioned => "justification mise en doute",
        _ => "justification à examiner",
    };
}
