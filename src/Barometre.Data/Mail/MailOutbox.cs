using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Barometre.Data.Mail;

/// <summary>Which collectivités a send is for, by where they are (<c>--only</c>).</summary>
public enum MailAudience
{
    /// <summary>Every collectivité (those that submitted are skipped all the same).</summary>
    All,

    /// <summary>No answer yet.</summary>
    NotStarted,

    /// <summary>Some answers, not submitted.</summary>
    InProgress,

    /// <summary>Not submitted: not started or in progress.</summary>
    NotSubmitted,
}

/// <summary>What an operator sends: a kind of message (null: each collectivité's next, an invitation first) to an audience.</summary>
public sealed record MailRequest(MailKind? Kind, MailAudience Audience);

/// <summary>One message a send would queue, or why a collectivité gets none (<paramref name="Skipped"/>, in French).</summary>
public sealed record PlannedMail(int ParticipantId, string Code, string Name, string? Address, MailKind Kind, int Sequence, string? Skipped);

/// <summary>What a send queues and skips, or why it cannot be made at all (<paramref name="Refusal"/>, in French).</summary>
public sealed record MailPlan(string? Refusal, IReadOnlyList<PlannedMail> Items)
{
    /// <summary>The messages it queues.</summary>
    public IReadOnlyList<PlannedMail> ToSend => [.. Items.Where(i => i.Skipped is null)];
}

/// <summary>A collectivité's last message: what, to whom, where it stands and since when; and how many it has had.</summary>
public sealed record ParticipantDelivery(MailKind Kind, int Sequence, DeliveryStatus Status, string Address, DateTime At, string? Reply, int Messages);

/// <summary>
/// The outbox: which collectivité gets which message (one rule for the operator's sends and the automatic reminders), the
/// messages queued, each collectivité's delivery status, and correcting an address. Queueing writes rows only; the
/// <see cref="MailSender"/> sends them.
/// </summary>
public sealed class MailOutbox(BarometreDbContext db, CampaignQueries queries, CampaignMail mail, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>What <see cref="QueueAsync"/> would queue now, and whom it would skip and why; nothing is written.</summary>
    public async Task<MailPlan> PlanAsync(int campaignId, MailRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.Status != CampaignStatus.Open)
        {
            return new MailPlan("La collecte de cette campagne est close : plus aucun courriel n'est envoyé aux collectivités.", []);
        }
        var settings = await mail.SettingsAsync(campaignId, cancellationToken);
        var progress = await queries.FollowUpAsync(campaignId, cancellationToken);
        var history = await HistoryAsync(campaignId, cancellationToken);
        var now = Now;
        var items = new List<PlannedMail>();
        foreach (var row in progress.Where(p => InAudience(p.Status, request.Audience)))
        {
            var past = history[row.Participant.Id].ToList();
            var kind = request.Kind ?? (Invited(past) ? MailKind.Reminder : MailKind.Invitation);
            items.Add(Plan(row.Participant, row.Status, past, kind, force: false, TimeSpan.FromDays(settings.MinDaysBetween), now));
        }
        return new MailPlan(null, items);
    }

    /// <summary>Queues the messages of <see cref="PlanAsync"/>; their links will start with <paramref name="siteRoot"/>.</summary>
    public async Task<MailPlan> QueueAsync(int campaignId, MailRequest request, Uri siteRoot, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(siteRoot);
        ArgumentNullException.ThrowIfNull(actor);
        for (var attempt = 1; ; attempt++)
        {
            var plan = await PlanAsync(campaignId, request, cancellationToken);
            if (plan.Refusal is not null)
            {
                return plan;
            }
            try
            {
                await AddAsync(campaignId, plan.ToSend, siteRoot, actor, cancellationToken);
                await mail.RememberSiteAsync(campaignId, siteRoot, cancellationToken);
                return plan;
            }
            catch (DbUpdateException e) when (attempt == 1 && IsUniqueViolation(e))
            {
                // Someone queued some of these at the same moment: plan again from what is there now.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Queues a message to one collectivité at the operator's request — its invitation again (after its address was
    /// corrected, or when a message is uncertain), or a reminder once invited — whatever the last message was.
    /// </summary>
    public async Task<PlannedMail> QueueOneAsync(int participantId, Uri siteRoot, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(siteRoot);
        ArgumentNullException.ThrowIfNull(actor);
        var progress = (await queries.ParticipantAsync(participantId, cancellationToken))?.Progress
            ?? throw new InvalidOperationException($"No participant {participantId}.");
        var campaignId = progress.Participant.CampaignId;
        if ((await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken)).Status != CampaignStatus.Open)
        {
            return new PlannedMail(participantId, progress.Participant.Code, progress.Participant.Name, progress.Participant.Email, MailKind.Invitation, 0,
                "la collecte de cette campagne est close");
        }
        var past = await db.Outbox.AsNoTracking().Where(m => m.ParticipantId == participantId).ToListAsync(cancellationToken);
        var kind = past.Any(m => m.Kind == MailKind.Invitation && m.Status is DeliveryStatus.Sent or DeliveryStatus.Sending or DeliveryStatus.Queued)
            ? MailKind.Reminder : MailKind.Invitation;
        var planned = Plan(progress.Participant, progress.Status, past, kind, force: true, TimeSpan.Zero, Now);
        if (planned.Skipped is null)
        {
            await AddAsync(campaignId, [planned], siteRoot, actor, cancellationToken);
            await mail.RememberSiteAsync(campaignId, siteRoot, cancellationToken);
        }
        return planned;
    }

    /// <summary>
    /// Queues the reminders due now by the schedule of every open campaign whose automatic reminders are on: to each
    /// collectivité invited and not submitted whose deadline is near (<see cref="ReminderSchedule.IsDue"/>). Two servers
    /// doing it at once queue each reminder once (its sequence is unique).
    /// </summary>
    /// <returns>How many reminders were queued.</returns>
    public async Task<int> QueueDueRemindersAsync(CancellationToken cancellationToken = default)
    {
        var campaigns = await db.MailSettings.AsNoTracking()
            .Where(s => s.AutomaticReminders && s.SiteUrl != null && db.Campaigns.Any(c => c.Id == s.CampaignId && c.Status == CampaignStatus.Open))
            .ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var settings in campaigns)
        {
            var schedule = settings.Schedule;
            var now = Now;
            var progress = await queries.FollowUpAsync(settings.CampaignId, cancellationToken);
            var history = await HistoryAsync(settings.CampaignId, cancellationToken);
            var due = new List<PlannedMail>();
            foreach (var row in progress)
            {
                var past = history[row.Participant.Id].ToList();
                // Automatic reminders follow an invitation the operator sent, while the link works.
                if (row.Status == ParticipantStatus.Submitted || row.ActiveInvitation is not { } link || !Invited(past))
                {
                    continue;
                }
                var deadline = EditRule.Deadline(CampaignStatus.Open, null, link.ExpiresAt);
                if (schedule.IsDue(deadline, now, past.Count(m => m.Kind == MailKind.Reminder), past.Max(m => (DateTime?)m.QueuedAt))
                    && Plan(row.Participant, row.Status, past, MailKind.Reminder, force: false, TimeSpan.FromDays(schedule.MinDaysBetween), now) is { Skipped: null } planned)
                {
                    due.Add(planned);
                }
            }
            try
            {
                await AddAsync(settings.CampaignId, due, new Uri(settings.SiteUrl!), Actor.Reminders, cancellationToken);
                queued += due.Count;
            }
            catch (DbUpdateException e) when (IsUniqueViolation(e))
            {
                // Another server queued them first.
                db.ChangeTracker.Clear();
            }
        }
        return queued;
    }

    /// <summary>
    /// Corrects a collectivité's address: messages go to it again (its bounce flag is cleared). Returns why the address
    /// cannot be stored, in French, or null once stored (and audited).
    /// </summary>
    public async Task<string?> CorrectAddressAsync(int participantId, string? email, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var address = email?.Trim() ?? "";
        var problem = TextRules.Problem(address, "L'adresse", FieldLimits.Email, multiline: false)
            ?? (OperatorAccounts.NormaliseEmail(address) is null ? $"« {TextRules.Quote(address)} » n'est pas une adresse électronique." : null);
        if (problem is not null)
        {
            return problem;
        }
        var participant = await db.Participants.SingleAsync(p => p.Id == participantId, cancellationToken);
        var old = participant.Email;
        if (old == address && participant.EmailBouncedAt is null)
        {
            return null;
        }
        participant.Email = address;
        participant.EmailBouncedAt = null;
        db.AuditEntries.Add(AuditEntry.Of(Now, participant.CampaignId, participant.Id, actor, "participant.email", participant.Code, old, address));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Each collectivité's last message, by participant id (those never written to are absent).</summary>
    public async Task<IReadOnlyDictionary<int, ParticipantDelivery>> DeliveriesAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        var history = await HistoryAsync(campaignId, cancellationToken);
        return history.ToDictionary(g => g.Key, g => Delivery([.. g]));
    }

    private static ParticipantDelivery Delivery(List<OutboxMessage> past)
    {
        var last = past.MaxBy(m => m.Id)!;
        return new ParticipantDelivery(last.Kind, last.Sequence, last.Status, last.Address, last.DoneAt ?? last.AttemptedAt ?? last.QueuedAt, last.Reply, past.Count);
    }

    /// <summary>One collectivité's last message, or null.</summary>
    public async Task<ParticipantDelivery?> DeliveryOfAsync(int participantId, CancellationToken cancellationToken = default)
    {
        var past = await db.Outbox.AsNoTracking().Where(m => m.ParticipantId == participantId).ToListAsync(cancellationToken);
        return past.Count == 0 ? null : Delivery(past);
    }

    /// <summary>How many messages wait to be sent (all campaigns, or one).</summary>
    public Task<int> QueuedCountAsync(int? campaignId = null, CancellationToken cancellationToken = default) =>
        db.Outbox.CountAsync(m => m.Status == DeliveryStatus.Queued && (campaignId == null || m.CampaignId == campaignId), cancellationToken);

    private async Task<ILookup<int, OutboxMessage>> HistoryAsync(int campaignId, CancellationToken cancellationToken) =>
        (await db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaignId).ToListAsync(cancellationToken)).ToLookup(m => m.ParticipantId);

    private async Task AddAsync(int campaignId, IReadOnlyList<PlannedMail> messages, Uri siteRoot, Actor actor, CancellationToken cancellationToken)
    {
        var now = Now;
        var site = siteRoot.ToString().TrimEnd('/');
        foreach (var message in messages)
        {
            db.Outbox.Add(new OutboxMessage
            {
                CampaignId = campaignId, ParticipantId = message.ParticipantId, Kind = message.Kind, Sequence = message.Sequence,
                Address = message.Address!, SiteUrl = site, Status = DeliveryStatus.Queued, QueuedAt = now, QueuedBy = actor.Name,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Whether a collectivité has an invitation that left, may have left or is about to.</summary>
    private static bool Invited(IEnumerable<OutboxMessage> past) =>
        past.Any(m => m.Kind == MailKind.Invitation && m.Status is not DeliveryStatus.Refused);

    private static bool InAudience(ParticipantStatus status, MailAudience audience) => audience switch
    {
        MailAudience.NotStarted => status == ParticipantStatus.NotStarted,
        MailAudience.InProgress => status == ParticipantStatus.InProgress,
        MailAudience.NotSubmitted => status != ParticipantStatus.Submitted,
        _ => true,
    };

    /// <summary>
    /// The one rule for whether a collectivité gets a message of <paramref name="kind"/> now. <paramref name="force"/>
    /// (an operator resending to one collectivité) passes over what was sent before, never over a missing or bounced
    /// address, a message already waiting, or a submitted questionnaire.
    /// </summary>
    private static PlannedMail Plan(Participant participant, ParticipantStatus status, List<OutboxMessage> past, MailKind kind, bool force, TimeSpan minGap, DateTime now)
    {
        var sequence = past.Where(m => m.Kind == kind).Select(m => m.Sequence).DefaultIfEmpty().Max() + 1;
        var last = past.MaxBy(m => m.Id);
        var skipped =
            status == ParticipantStatus.Submitted ? "questionnaire déjà transmis"
            : string.IsNullOrWhiteSpace(participant.Email) ? "aucune adresse électronique dans le panel"
            : participant.EmailBouncedAt is { } bounced ? $"adresse en échec depuis le {ParisTime.Date(bounced)} : corrigez-la"
            : past.Any(m => m.Status is DeliveryStatus.Queued or DeliveryStatus.Sending) ? "un courriel est déjà en file d'attente"
            : force ? null
            : kind == MailKind.Invitation && Invited(past) ? "invitation déjà envoyée"
            : kind == MailKind.Reminder && !Invited(past) ? "pas encore invitée"
            : last is { Status: DeliveryStatus.Refused } && last.Address == participant.Email ? $"adresse refusée par le serveur ({TextRules.Quote(last.Reply)}) : corrigez-la"
            : kind == MailKind.Reminder && last is not null && now - last.QueuedAt < minGap
                ? $"dernier courriel le {ParisTime.Date(last.QueuedAt)}, il y a moins de {FrenchFormat.Count((int)minGap.TotalDays)} jours"
            : null;
        return new PlannedMail(participant.Id, participant.Code, participant.Name, participant.Email?.Trim(), kind, sequence, skipped);
    }

    internal static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || exception.InnerException is SqliteException { SqliteExtendedErrorCode: 2067 /* SQLITE_CONSTRAINT_UNIQUE */ };
}
