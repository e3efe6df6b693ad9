using System.Text;
using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>A link issued to a collectivité: the token appears here only, once; the database keeps its hash.</summary>
public sealed record IssuedInvitation(int ParticipantId, string Code, string Name, string? Email, string Token, DateTime ExpiresAt);

/// <summary>A collectivité's progress, for the operator's follow-up.</summary>
public sealed record ParticipantProgress(
    Participant Participant,
    ParticipantStatus Status,
    int Answered,
    int Questions,
    IReadOnlyList<(int Answered, int Questions)> Themes,
    DateTime? LastActivity,
    Invitation? ActiveInvitation,
    int EvidenceToReview);

/// <summary>
/// The operator's side of campaigns: create one from a model and a panel, issue links, follow up,
/// reopen, import answers, close (with an optional review window), freeze the results. Every write is
/// audited.
/// </summary>
public sealed class CampaignAdmin(BarometreDbContext db, CampaignModels models, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Why a campaign cannot have this name, in French; null when it can.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Donnez un nom à la campagne (par exemple « Baromètre 2026 »)."
        : TextRules.Problem(name.Trim(), "Le nom de la campagne", FieldLimits.Name, multiline: false);

    /// <summary>Why an operator's note on evidence cannot be stored, in French; null when it can (no note is fine).</summary>
    public static string? ReviewNoteProblem(string? note) =>
        TextRules.Problem(note?.Trim(), "La note", FieldLimits.Url, multiline: false);

    /// <summary>Creates a campaign with its panel; the model text is stored with it.</summary>
    /// <param name="name">The campaign's name (checked first with <see cref="NameProblem"/>).</param>
    /// <param name="modelText">The model file's text (already validated into <paramref name="model"/>).</param>
    /// <param name="model">The parsed model.</param>
    /// <param name="panel">The panel (codes unique).</param>
    /// <param name="actor">Who creates it.</param>
    public async Task<Campaign> CreateAsync(string name, string modelText, MaturityModel model, IReadOnlyList<PanelEntry> panel, Actor actor, CancellationToken cancellationToken = default)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        var campaign = new Campaign { Name = name.Trim(), ModelId = model.Id, ModelSource = modelText, Status = CampaignStatus.Open, CreatedAt = now };
        campaign.Participants.AddRange(panel.Select(entry => NewParticipant(entry)));
        db.Campaigns.Add(campaign);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            At = now, CampaignId = campaign.Id, Actor = actor.Name, Action = "campaign.create", Subject = campaign.Name,
            NewValue = $"référentiel {model.Id}, {panel.Count} collectivités",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return campaign;
    }

    /// <summary>The campaigns, most recent first.</summary>
    public async Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(cancellationToken);

    /// <summary>A campaign, or null.</summary>
    public Task<Campaign?> FindAsync(int campaignId, CancellationToken cancellationToken = default) =>
        db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);

    /// <summary>A campaign's model.</summary>
    public Task<MaturityModel> ModelAsync(int campaignId, CancellationToken cancellationToken = default) =>
        models.GetAsync(db, campaignId, cancellationToken);

    /// <summary>Adds collectivités to a campaign's panel and updates those already in it (matched by code).</summary>
    /// <returns>How many were added and updated.</returns>
    public async Task<(int Added, int Updated)> ImportPanelAsync(int campaignId, IReadOnlyList<PanelEntry> panel, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(actor);
        var existing = await db.Participants.Where(p => p.CampaignId == campaignId).ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, cancellationToken);
        int added = 0, updated = 0;
        foreach (var entry in panel)
        {
            if (existing.TryGetValue(entry.Respondent.Code, out var participant))
            {
                var before = Describe(participant);
                participant.Name = entry.Respondent.Name;
                participant.Type = entry.Respondent.Type;
                participant.Population = entry.Respondent.Population;
                participant.Region = entry.Respondent.Region;
                participant.Email = entry.Email;
                if (before != Describe(participant))
                {
                    updated++;
                    Audit(campaignId, participant.Id, actor, "panel.update", participant.Code, before, Describe(participant));
                }
            }
            else
            {
                var added1 = NewParticipant(entry);
                added1.CampaignId = campaignId;
                db.Participants.Add(added1);
                added++;
                Audit(campaignId, null, actor, "panel.add", entry.Respondent.Code, null, $"{entry.Respondent.Name} {entry.Email}".Trim());
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return (added, updated);
    }

    /// <summary>
    /// Issues links: to every collectivité without an active one, or, with <paramref name="reissueAll"/>,
    /// to every collectivité (their previous links stop working).
    /// </summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="reissueAll">Re-issue the links still valid too (they stop working).</param>
    /// <param name="actor">Who issues, for the audit trail.</param>
    /// <param name="deliver">
    /// Hands the links over (writes the mail-merge file) before anything is stored: the tokens exist nowhere else, so
    /// a delivery that fails issues and revokes nothing.
    /// </param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<IReadOnlyList<IssuedInvitation>> IssueInvitationsAsync(
        int campaignId, bool reissueAll, Actor actor, Action<IReadOnlyList<IssuedInvitation>>? deliver = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);
        var now = Now;
        var participants = await db.Participants.Include(p => p.Invitations.Where(i => i.RevokedAt == null && i.ExpiresAt > now))
            .Where(p => p.CampaignId == campaignId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var issued = new List<IssuedInvitation>();
        foreach (var participant in participants)
        {
            if (participant.Invitations.Count > 0 && !reissueAll)
            {
                continue;
            }
            issued.Add(Issue(participant, campaign.InvitationDays, now, actor));
        }
        deliver?.Invoke(issued);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    /// <summary>A new link for one collectivité; its previous links stop working.</summary>
    public async Task<IssuedInvitation> ReissueAsync(int participantId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        var participant = await db.Participants.Include(p => p.Invitations.Where(i => i.RevokedAt == null)).Include(p => p.Campaign)
            .SingleAsync(p => p.Id == participantId, cancellationToken);
        var issued = Issue(participant, participant.Campaign!.InvitationDays, now, actor);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    /// <summary>Revokes a collectivité's links.</summary>
    /// <returns>How many links were revoked.</returns>
    public async Task<int> RevokeAsync(int participantId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        var participant = await db.Participants.Include(p => p.Invitations.Where(i => i.RevokedAt == null)).SingleAsync(p => p.Id == participantId, cancellationToken);
        foreach (var invitation in participant.Invitations)
        {
            invitation.RevokedAt = now;
        }
        if (participant.Invitations.Count > 0)
        {
            Audit(participant.CampaignId, participant.Id, actor, "invitation.revoke", participant.Code, $"{participant.Invitations.Count} lien(s) actif(s)", "révoqué(s)");
        }
        await db.SaveChangesAsync(cancellationToken);
        return participant.Invitations.Count;
    }

    /// <summary>Every collectivité of a campaign with its progress, overall and per theme, in panel order.</summary>
    public async Task<IReadOnlyList<ParticipantProgress>> FollowUpAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        var model = await ModelAsync(campaignId, cancellationToken);
        var now = Now;
        var participants = await db.Participants.AsNoTracking()
            .Include(p => p.Invitations.Where(i => i.RevokedAt == null && i.ExpiresAt > now))
            .Where(p => p.CampaignId == campaignId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var answers = (await db.Answers.AsNoTracking().Where(a => a.Participant!.CampaignId == campaignId).ToListAsync(cancellationToken))
            .ToLookup(a => a.ParticipantId);
        return [.. participants.Select(participant => Progress(model, participant, answers[participant.Id].ToList()))];
    }

    /// <summary>One collectivité with its progress, answers and contributors, or null.</summary>
    public async Task<(ParticipantProgress Progress, IReadOnlyList<Answer> Answers, IReadOnlyList<Contributor> Contributors)?> ParticipantAsync(int participantId, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var participant = await db.Participants.AsNoTracking()
            .Include(p => p.Invitations.Where(i => i.RevokedAt == null && i.ExpiresAt > now))
            .Include(p => p.Answers).Include(p => p.Contributors)
            .SingleOrDefaultAsync(p => p.Id == participantId, cancellationToken);
        if (participant is null)
        {
            return null;
        }
        var model = await ModelAsync(participant.CampaignId, cancellationToken);
        return (Progress(model, participant, participant.Answers), participant.Answers, participant.Contributors);
    }

    /// <summary>Reopens a submitted questionnaire so that the collectivité can change it.</summary>
    /// <returns>false when it was not submitted, or the campaign is closed.</returns>
    public async Task<bool> ReopenAsync(int participantId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var participant = await db.Participants.Include(p => p.Campaign).SingleAsync(p => p.Id == participantId, cancellationToken);
        if (participant.SubmittedAt is null || EditRule.OperatorLockOf(participant.Campaign!.Status) is not null)
        {
            return false;
        }
        Audit(participant.CampaignId, participant.Id, actor, "questionnaire.reopen", participant.Code, $"transmis par {participant.SubmittedBy}", "rouvert");
        participant.SubmittedAt = null;
        participant.SubmittedBy = null;
        await db.SaveChangesAsync(cancellationToken);
        return true;
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
            NewAuditEntry(now, campaignId, p.Id, actor, "questionnaire.submit", p.Code, "non transmis", "transmis par l'opérateur"))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return open.Count;
    }

    private sealed record OpenQuestionnaire(int Id, string Code);

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

    /// <summary>Records the operator's reading of an answer's evidence.</summary>
    /// <returns>null on success, else why the note cannot be stored (<see cref="ReviewNoteProblem"/>), in French; nothing is changed then.</returns>
    public async Task<string?> ReviewEvidenceAsync(int answerId, EvidenceReview review, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (ReviewNoteProblem(note) is { } problem)
        {
            return problem;
        }
        var answer = await db.Answers.Include(a => a.Participant).SingleAsync(a => a.Id == answerId, cancellationToken);
        Audit(answer.Participant!.CampaignId, answer.ParticipantId, actor, "evidence.review", answer.QuestionId,
            $"{Describe(answer.EvidenceReview)} {answer.EvidenceReviewNote}".Trim(), $"{Describe(review)} {note}".Trim());
        answer.EvidenceReview = review;
        answer.EvidenceReviewNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// Saves an answer as the operator (for example one given on paper), audited as such, whatever the
    /// questionnaire's state but a frozen campaign.
    /// </summary>
    public async Task<SaveOutcome> SaveAnswerAsync(int participantId, string questionId, AnswerInput input, Actor actor, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var participant = await db.Participants.AsNoTracking().Include(p => p.Campaign).SingleAsync(p => p.Id == participantId, cancellationToken);
        if (EditRule.OperatorLockOf(participant.Campaign!.Status) is { } editLock)
        {
            return new SaveOutcome.Locked(editLock);
        }
        var model = await ModelAsync(participant.CampaignId, cancellationToken);
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
    /// <returns>The problems (codes not in the panel), or the number of answers changed.</returns>
    public async Task<(IReadOnlyList<InputProblem> Problems, int Changed)> ImportAnswersAsync(
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
                if (cell == Core.Responses.Answer.Blank)
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
                audits.Add(NewAuditEntry(now, campaignId, participant.Id, actor, "answer.import", questionId, before.Describe(), AnswerState.Of(answer).Describe()));
            }
        }
        await BulkWrites.InsertAsync(db, inserted, cancellationToken);
        await BulkWrites.UpdateAnswersAsync(db, updated, cancellationToken);
        await BulkWrites.InsertAsync(db, audits, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ([], inserted.Count + updated.Count);
    }

    /// <summary>
    /// Closes collection. With <paramref name="reviewEndsAt"/> the collectivités may still see and correct
    /// their answers until then, and the results are frozen afterwards (<see cref="FreezeAsync"/>);
    /// without it, the results are frozen at once.
    /// </summary>
    /// <returns>null on success, else why it cannot be closed, in French.</returns>
    public async Task<string?> CloseAsync(int campaignId, DateTime? reviewEndsAt, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.Status != CampaignStatus.Open)
        {
            return campaign.Status == CampaignStatus.Review
                ? "La collecte est déjà close ; la relecture est en cours (figez les résultats pour clore la campagne)."
                : "La campagne est déjà close.";
        }
        var now = Now;
        if (reviewEndsAt is { } end)
        {
            if (end <= now)
            {
                return "La fin de la relecture doit être dans le futur.";
            }
            campaign.Status = CampaignStatus.Review;
            campaign.ClosedAt = now;
            campaign.ReviewEndsAt = end;
            Audit(campaignId, null, actor, "campaign.close", campaign.Name, "ouverte", $"relecture jusqu'au {end:yyyy-MM-dd HH:mm} UTC");
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        return await FreezeAsync(campaignId, actor, cancellationToken);
    }

    /// <summary>
    /// Freezes the answers and computes the results of the submitted questionnaires with the core,
    /// stored once as an immutable snapshot (results JSON and the answers they come from).
    /// </summary>
    /// <returns>null on success, else why, in French.</returns>
    public async Task<string?> FreezeAsync(int campaignId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        // The status changes first, in the transaction that then reads the answers: on PostgreSQL the
        // UPDATE waits for saves in flight (they hold the campaign row FOR SHARE) and every later save
        // sees the campaign closed; on SQLite writers are serialised anyway. No answer can land after
        // the snapshot is read.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.Status == CampaignStatus.Closed)
        {
            return "La campagne est déjà close : ses résultats sont figés.";
        }
        var previous = campaign.Status;
        campaign.Status = CampaignStatus.Closed;
        campaign.ClosedAt ??= now;
        campaign.FrozenAt = now;
        await db.SaveChangesAsync(cancellationToken);
        var responses = await ResponsesAsync(campaignId, submittedOnly: true, cancellationToken);
        if (responses.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return "Aucun questionnaire n'a été transmis : il n'y a rien à calculer.";
        }
        var results = Barometer.Compute(responses);
        using var csv = new MemoryStream();
        ResponsesCsv.Write(responses, csv);
        db.ResultsSnapshots.Add(new ResultsSnapshot
        {
            CampaignId = campaignId, ComputedAt = now, ResultsJson = ResultsJson.Serialize(results), ResponsesCsv = Encoding.UTF8.GetString(csv.ToArray()),
        });
        Audit(campaignId, null, actor, "campaign.freeze", campaign.Name, previous == CampaignStatus.Review ? "relecture" : "ouverte",
            $"close ; résultats de {responses.Count} collectivités");
        await db.SaveChangesAsync(cancellationToken);
        // Benchmarks now read the frozen results: the interim releases' copies of the answers serve nobody any more.
        await db.BenchmarkReleases.Where(r => r.CampaignId == campaignId && r.ResponsesCsv != "")
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.ResponsesCsv, ""), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// Publishes the results of a closed campaign (public dashboard and API), or publishes them again
    /// after a change of threshold: every publication gets a new version, which drops cached figures.
    /// </summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="threshold">The secrecy threshold N to publish with; the campaign's when null.</param>
    /// <param name="actor">Who publishes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>null on success, else why, in French.</returns>
    public async Task<string?> PublishAsync(int campaignId, int? threshold, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (threshold is < 1 or > 1000)
        {
            return "Le seuil du secret statistique doit être compris entre 1 et 1 000 collectivités.";
        }
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.Status != CampaignStatus.Closed)
        {
            return "Seule une campagne close (résultats figés) peut être publiée.";
        }
        var before = campaign.PublishedAt is null ? "non publiée" : $"publiée (version {campaign.PublicationVersion}, seuil {campaign.SecrecyThreshold})";
        campaign.SecrecyThreshold = threshold ?? campaign.SecrecyThreshold;
        campaign.PublishedAt = Now;
        campaign.PublicationVersion++;
        Audit(campaignId, null, actor, "campaign.publish", campaign.Name, before, $"publiée (version {campaign.PublicationVersion}, seuil {campaign.SecrecyThreshold})");
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Withdraws the public results; false when they were not public.</summary>
    public async Task<bool> UnpublishAsync(int campaignId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.PublishedAt is null)
        {
            return false;
        }
        campaign.PublishedAt = null;
        campaign.PublicationVersion++;
        Audit(campaignId, null, actor, "campaign.unpublish", campaign.Name, "publiée", "non publiée");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The answers of a campaign as a response set, in panel order: all collectivités, or the submitted ones.</summary>
    public async Task<ResponseSet> ResponsesAsync(int campaignId, bool submittedOnly, CancellationToken cancellationToken = default) =>
        await ReadResponsesAsync(campaignId,
            db.Participants.Where(p => p.CampaignId == campaignId && (!submittedOnly || p.SubmittedAt != null)),
            db.Answers.Where(a => a.Participant!.CampaignId == campaignId), cancellationToken);

    /// <summary>One collectivité's answers as they are now, as a response set of one row (null for an unknown participant).</summary>
    public async Task<ResponseSet?> ResponsesOfAsync(int participantId, CancellationToken cancellationToken = default)
    {
        var campaignId = await db.Participants.Where(p => p.Id == participantId).Select(p => (int?)p.CampaignId).SingleOrDefaultAsync(cancellationToken);
        return campaignId is not { } campaign ? null : await ReadResponsesAsync(campaign,
            db.Participants.Where(p => p.Id == participantId), db.Answers.Where(a => a.ParticipantId == participantId), cancellationToken);
    }

    private async Task<ResponseSet> ReadResponsesAsync(int campaignId, IQueryable<Participant> participantsQuery, IQueryable<Answer> answersQuery, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(campaignId, cancellationToken);
        var participants = await participantsQuery.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var rowOf = new Dictionary<int, int>(participants.Count);
        for (var r = 0; r < participants.Count; r++)
        {
            rowOf[participants[r].Id] = r;
        }
        var q = model.Questions.Count;
        var cells = new sbyte[participants.Count * q];
        Array.Fill(cells, Core.Responses.Answer.Blank);
        // Streamed, and only what a cell needs: a national panel has millions of answers.
        var answers = answersQuery.AsNoTracking()
            .Select(a => new Answer { ParticipantId = a.ParticipantId, QuestionId = a.QuestionId, Level = a.Level, Mark = a.Mark });
        await foreach (var answer in answers.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var question = model.IndexOfQuestion(answer.QuestionId);
            if (rowOf.TryGetValue(answer.ParticipantId, out var r) && question >= 0 && (answer.Level is null || answer.Level <= model.Scale.MaxLevel))
            {
                cells[(r * q) + question] = answer.Cell;
            }
        }
        return new ResponseSet(model, participants.Select(p => new Respondent(p.Code, p.Name, p.Type, p.Population, p.Region)), cells);
    }

    /// <summary>The frozen results of a closed campaign, or null.</summary>
    public Task<ResultsSnapshot?> SnapshotAsync(int campaignId, CancellationToken cancellationToken = default) =>
        db.ResultsSnapshots.AsNoTracking().SingleOrDefaultAsync(s => s.CampaignId == campaignId, cancellationToken);

    /// <summary>The audit trail of a campaign (or of one collectivité), most recent first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(int campaignId, int? participantId = null, int take = 500, CancellationToken cancellationToken = default) =>
        await db.AuditEntries.AsNoTracking()
            .Where(a => a.CampaignId == campaignId && (participantId == null || a.ParticipantId == participantId))
            .OrderByDescending(a => a.Id).Take(take).ToListAsync(cancellationToken);

    private static ParticipantProgress Progress(MaturityModel model, Participant participant, List<Answer> answers)
    {
        var given = answers.Where(a => a.IsGiven).Select(a => a.QuestionId).ToHashSet(StringComparer.Ordinal);
        var themes = model.Themes.Select(t => (t.Questions.Count(q => given.Contains(q.Id)), t.Questions.Count)).ToList();
        var states = answers.Select(AnswerState.Of).ToList();
        return new ParticipantProgress(
            participant,
            Questionnaire.StatusOf(participant.SubmittedAt, states),
            themes.Sum(t => t.Item1),
            model.Questions.Count,
            themes,
            answers.Count == 0 ? null : answers.Max(a => a.UpdatedAt),
            participant.Invitations.OrderByDescending(i => i.ExpiresAt).FirstOrDefault(),
            answers.Count(a => (a.EvidenceUrl is not null || a.EvidenceText is not null) && a.EvidenceReview == EvidenceReview.Pending));
    }

    private IssuedInvitation Issue(Participant participant, int days, DateTime now, Actor actor)
    {
        var revoked = 0;
        foreach (var previous in participant.Invitations.Where(i => i.RevokedAt is null))
        {
            previous.RevokedAt = now;
            revoked++;
        }
        var (token, hash) = InvitationTokens.Create();
        var invitation = new Invitation { ParticipantId = participant.Id, TokenHash = hash, CreatedAt = now, ExpiresAt = now.AddDays(days) };
        db.Invitations.Add(invitation);
        Audit(participant.CampaignId, participant.Id, actor, "invitation.issue", participant.Code,
            revoked > 0 ? $"{revoked} lien(s) révoqué(s)" : null, $"lien valable jusqu'au {invitation.ExpiresAt:yyyy-MM-dd}");
        return new IssuedInvitation(participant.Id, participant.Code, participant.Name, participant.Email, token, invitation.ExpiresAt);
    }

    private void Audit(int campaignId, int? participantId, Actor actor, string action, string? subject, string? oldValue, string? newValue) =>
        db.AuditEntries.Add(NewAuditEntry(Now, campaignId, participantId, actor, action, subject, oldValue, newValue));

    /// <summary>An audit entry not yet added anywhere: the bulk writes insert theirs past the change tracker.</summary>
    private static AuditEntry NewAuditEntry(
        DateTime at, int campaignId, int? participantId, Actor actor, string action, string? subject, string? oldValue, string? newValue) => new()
    {
        At = at, CampaignId = campaignId, ParticipantId = participantId, Actor = actor.Name, Action = action, Subject = subject, OldValue = oldValue, NewValue = newValue,
    };

    private static Participant NewParticipant(PanelEntry entry) => new()
    {
        Code = entry.Respondent.Code, Name = entry.Respondent.Name, Type = entry.Respondent.Type,
        Population = entry.Respondent.Population, Region = entry.Respondent.Region, Email = entry.Email,
    };

    private static string Describe(EvidenceReview review) => review switch
    {
        EvidenceReview.Accepted => "justification acceptée",
        EvidenceReview.Questioned => "justification mise en doute",
        _ => "justification à examiner",
    };

    private static string Describe(Participant p) => $"{p.Name} | {p.Type} | {p.Population} | {p.Region} | {p.Email}";
}
