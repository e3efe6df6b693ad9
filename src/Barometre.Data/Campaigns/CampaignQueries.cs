using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>A collectivité's progress, for the operator's follow-up.</summary>
public sealed record ParticipantProgress(
    Participant Participant,
    ParticipantStatus Status,
    int Answered,
    int Questions,
    IReadOnlyList<(int Answered, int Questions)> Themes,
    DateTime? LastActivity,
    Invitation? ActiveInvitation,
    int EvidenceToReview,
    DoubtCounts Doubts);

/// <summary>Panel size and submissions of a campaign, for the list of campaigns.</summary>
public sealed record CampaignCounts(int Participants, int Submitted);

/// <summary>
/// What the operators' side reads of campaigns: the campaigns and their models, each collectivité's progress, the
/// answers as a response set, the frozen results and the audit trail. Nothing here writes.
/// </summary>
public sealed class CampaignQueries(BarometreDbContext db, CampaignModels models, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The campaigns, most recent first.</summary>
    public async Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(cancellationToken);

    /// <summary>Per campaign id, its number of collectivités and of submitted questionnaires, in one query.</summary>
    public async Task<IReadOnlyDictionary<int, CampaignCounts>> CountsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Participants.AsNoTracking()
            .GroupBy(p => p.CampaignId)
            .Select(g => new { CampaignId = g.Key, Participants = g.Count(), Submitted = g.Count(p => p.SubmittedAt != null) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.CampaignId, r => new CampaignCounts(r.Participants, r.Submitted));
    }

    /// <summary>A campaign, or null.</summary>
    public Task<Campaign?> FindAsync(int campaignId, CancellationToken cancellationToken = default) =>
        db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);

    /// <summary>A campaign's model.</summary>
    public Task<MaturityModel> ModelAsync(int campaignId, CancellationToken cancellationToken = default) =>
        models.GetAsync(db, campaignId, cancellationToken);

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

    /// <summary>A campaign's panel as a panel file gives it (code, name, type, population, region, e-mail), in panel order.</summary>
    public async Task<IReadOnlyList<Import.PanelEntry>> PanelAsync(int campaignId, CancellationToken cancellationToken = default) =>
        [.. (await db.Participants.AsNoTracking().Where(p => p.CampaignId == campaignId).OrderBy(p => p.Id).ToListAsync(cancellationToken))
            .Select(p => new Import.PanelEntry(new Respondent(p.Code, p.Name, p.Type, p.Population, p.Region), p.Email))];

    /// <summary>One collectivité with its progress, answers and contributors, or null.</summary>
    public async Task<(ParticipantProgress Progress, IReadOnlyList<Answer> Answers, IReadOnlyList<Contributor> Contributors)?> ParticipantAsync(int participantId, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var participant = await db.Participants.AsNoTracking()
            .Include(p => p.Invitations.Where(i => i.RevokedAt == null && i.ExpiresAt > now))
            .Include(p => p.Answers).Include(p => p.Contributors)
            // Three collections in one join would repeat every answer once per invitation and contributor.
            .AsSplitQuery()
            .SingleOrDefaultAsync(p => p.Id == participantId, cancellationToken);
        if (participant is null)
        {
            return null;
        }
        var model = await ModelAsync(participant.CampaignId, cancellationToken);
        return (Progress(model, participant, participant.Answers), participant.Answers, participant.Contributors);
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
        Array.Fill(cells, Core.Responses.CellCode.Blank);
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

    /// <summary>The latest entries of the audit trail of a campaign (or of one collectivité), most recent first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(int campaignId, int? participantId = null, int take = 500, CancellationToken cancellationToken = default) =>
        await AuditQuery(campaignId, participantId).OrderByDescending(a => a.Id).Take(take).ToListAsync(cancellationToken);

    /// <summary>One page of a campaign's audit trail (or of one collectivité's), most recent first, and how many entries there are.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> AuditPageAsync(int campaignId, int? participantId, int skip, int take, CancellationToken cancellationToken = default)
    {
        var query = AuditQuery(campaignId, participantId);
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (entries, total);
    }

    private IQueryable<AuditEntry> AuditQuery(int campaignId, int? participantId) =>
        db.AuditEntries.AsNoTracking().Where(a => a.CampaignId == campaignId && (participantId == null || a.ParticipantId == participantId));

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
            answers.Count(a => (a.EvidenceUrl is not null || a.EvidenceText is not null) && a.EvidenceReview == EvidenceReview.Pending),
            DoubtCounts.Of(answers));
    }
}
