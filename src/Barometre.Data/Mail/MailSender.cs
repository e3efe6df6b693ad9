using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;

namespace Barometre.Data.Mail;

/// <summary>What became of one message.</summary>
/// <param name="Code">The collectivité's code.</param>
/// <param name="Address">Where it went.</param>
/// <param name="Kind">Invitation or reminder.</param>
/// <param name="Sequence">Which of its kind.</param>
/// <param name="Status">Sent, refused, or uncertain.</param>
/// <param name="Reply">The server's refusal, or why it is uncertain.</param>
public sealed record MailOutcome(string Code, string Address, MailKind Kind, int Sequence, DeliveryStatus Status, string? Reply);

/// <summary>A message that came back, once recorded.</summary>
/// <param name="CampaignId">Its campaign.</param>
/// <param name="Code">The collectivité's code.</param>
/// <param name="Address">Where it had gone.</param>
/// <param name="Kind">Invitation or reminder.</param>
/// <param name="Sequence">Which of its kind.</param>
/// <param name="Diagnostic">What the recipient's server said.</param>
public sealed record BounceOutcome(int CampaignId, string Code, string Address, MailKind Kind, int Sequence, string Diagnostic);

/// <summary>
/// Sends the outbox's queued messages through a transport, at the configured rate. Each message is marked « sending »
/// (committed) before its SMTP transaction and « sent » or « refused » (committed, audited) after it, so that a sender
/// stopped at any moment resumes where it was: what was queued is sent, what was sent is not sent again, and the one
/// message whose transaction was cut becomes « uncertain » — never sent again on its own. A refused address does not
/// stop the batch.
/// </summary>
public sealed class MailSender(BarometreDbContext db, CampaignInvitations invitations, CampaignMail mail, TimeProvider clock)
{
    /// <summary>A message « sending » for longer than this was cut by a crash (an SMTP transaction times out well before).</summary>
    public static readonly TimeSpan Interrupted = TimeSpan.FromMinutes(10);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Sends the queued messages (of one campaign, or all), in order, until none is left; <paramref name="sent"/> hears of
    /// each as soon as it is recorded. A failure of the connection stops the batch (what is left stays queued).
    /// </summary>
    /// <param name="transport">Where the messages leave.</param>
    /// <param name="options">The rate and the sender.</param>
    /// <param name="campaignId">One campaign's messages only, or null for all.</param>
    /// <param name="sent">Hears of each message once recorded.</param>
    /// <param name="keepGoing">Asked before each message; false stops the batch (a server that lost its sender lease).</param>
    /// <param name="cancellationToken">Stops the batch between messages, or during one (it is then « uncertain »).</param>
    public async Task<IReadOnlyList<MailOutcome>> SendQueuedAsync(
        IMailTransport transport, SmtpOptions options, int? campaignId = null, Action<MailOutcome>? sent = null,
        Func<CancellationToken, Task<bool>>? keepGoing = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        await MarkInterruptedAsync(cancellationToken);
        var outcomes = new List<MailOutcome>();
        var interval = options.MessagesPerMinute > 0 ? TimeSpan.FromMinutes(1) / options.MessagesPerMinute : TimeSpan.Zero;
        DateTimeOffset? nextSlot = null;
        var connected = false;
        while (true)
        {
            var next = await db.Outbox.AsNoTracking()
                .Where(m => m.Status == DeliveryStatus.Queued && (campaignId == null || m.CampaignId == campaignId))
                .OrderBy(m => m.Id).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
            if (next is not { } id || (keepGoing is not null && !await keepGoing(cancellationToken)))
            {
                return outcomes;
            }
            if (!connected)
            {
                // Before anything is claimed: a server that cannot be reached leaves the outbox as it was.
                await transport.ConnectAsync(cancellationToken);
                connected = true;
            }
            if (nextSlot is { } slot && slot > clock.GetUtcNow())
            {
                await Task.Delay(slot - clock.GetUtcNow(), clock, cancellationToken);
            }
            // The rate counts from each message's start: the time its exchange with the server took is part of its slot.
            var started = clock.GetUtcNow();
            if (await SendOneAsync(transport, options, id, cancellationToken) is { } outcome)
            {
                outcomes.Add(outcome);
                sent?.Invoke(outcome);
                nextSlot = started + interval;
            }
        }
    }

    /// <summary>Marks « uncertain » the messages a stopped sender left « sending »; returns how many.</summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var before = Now - Interrupted;
        var cut = await db.Outbox.Where(m => m.Status == DeliveryStatus.Sending && m.AttemptedAt < before).ToListAsync(cancellationToken);
        foreach (var message in cut)
        {
            Record(message, DeliveryStatus.Uncertain, "envoi interrompu pendant l'échange avec le serveur : le message a pu partir, il n'est pas renvoyé de lui-même");
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return cut.Count;
    }

    private async Task<MailOutcome?> SendOneAsync(IMailTransport transport, SmtpOptions options, long id, CancellationToken cancellationToken)
    {
        var now = Now;
        // The claim: one atomic UPDATE, so that of two senders only one takes a message.
        var domain = options.FromAddress![(options.FromAddress!.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var messageId = MimeUtils.GenerateMessageId(domain);
        if (await db.Outbox.Where(m => m.Id == id && m.Status == DeliveryStatus.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, DeliveryStatus.Sending).SetProperty(m => m.AttemptedAt, now).SetProperty(m => m.MessageId, messageId), cancellationToken) == 0)
        {
            return null;
        }
        var entry = await db.Outbox.SingleAsync(m => m.Id == id, cancellationToken);
        var participant = await db.Participants.Include(p => p.Campaign)
            .Include(p => p.Invitations.Where(i => i.RevokedAt == null && i.ExpiresAt > now))
            .SingleAsync(p => p.Id == entry.ParticipantId, cancellationToken);
        var campaign = participant.Campaign!;
        var actor = new Actor(entry.QueuedBy, IsOperator: true);
        // The link the collectivité already has (a new one only if it has none that can be read back), saved before sending.
        var (token, expiresAt) = invitations.CurrentOrNewLink(participant, campaign.InvitationDays, actor);
        await db.SaveChangesAsync(cancellationToken);
        var settings = await mail.SettingsAsync(campaign.Id, cancellationToken);
        var rendered = CampaignMail.TemplateOf(settings, entry.Kind).Render(CampaignMail.Fields(
            campaign, settings, participant.Name, InvitationLinksCsv.Link(new Uri(entry.SiteUrl), token), EditRule.Deadline(campaign.Status, campaign.ReviewEndsAt, expiresAt)));
        var message = Message(options, campaign, participant.Name, entry.Address, rendered, messageId, clock.GetUtcNow());
        TransportReply reply;
        try
        {
            reply = await transport.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Record(entry, DeliveryStatus.Uncertain, $"envoi interrompu : {e.Message}");
            await db.SaveChangesAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            throw;
        }
        Record(entry, reply.Accepted ? DeliveryStatus.Sent : DeliveryStatus.Refused, reply.Accepted ? null : reply.Reply);
        await db.SaveChangesAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
        return new MailOutcome(participant.Code, entry.Address, entry.Kind, entry.Sequence, entry.Status, entry.Reply);
    }

    /// <summary>
    /// Records the bounces read from the mailbox (<see cref="DeliveryReports"/>): each message that came back is « revenu
    /// en erreur » with the report's diagnostic, and its collectivité's address, unless corrected since, is flagged: the
    /// sends skip it until an operator corrects it. A bounce already recorded, or of a message Baromètre did not send,
    /// changes nothing, so the same report read twice counts once. Returns the bounces recorded now.
    /// </summary>
    public async Task<IReadOnlyList<BounceOutcome>> RecordBouncesAsync(IReadOnlyList<Bounce> bounces, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bounces);
        var ids = bounces.Select(b => b.OriginalMessageId).Distinct(StringComparer.Ordinal).ToList();
        var messages = await db.Outbox.Include(m => m.Participant)
            .Where(m => m.MessageId != null && ids.Contains(m.MessageId) && (m.Status == DeliveryStatus.Sent || m.Status == DeliveryStatus.Uncertain))
            .ToListAsync(cancellationToken);
        var recorded = new List<BounceOutcome>();
        foreach (var entry in messages)
        {
            var bounce = bounces.First(b => b.OriginalMessageId == entry.MessageId);
            Record(entry, DeliveryStatus.Bounced, bounce.Diagnostic, Actor.Bounces);
            var participant = entry.Participant!;
            if (string.Equals(participant.Email?.Trim(), entry.Address, StringComparison.OrdinalIgnoreCase))
            {
                participant.EmailBouncedAt ??= Now;
            }
            recorded.Add(new BounceOutcome(entry.CampaignId, participant.Code, entry.Address, entry.Kind, entry.Sequence, entry.Reply!));
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return recorded;
    }

    /// <summary>Sets a message's outcome and audits it: who asked (or the mailbox, for a bounce), what, to whom, when — never the link.</summary>
    private void Record(OutboxMessage entry, DeliveryStatus status, string? reply, Actor? actor = null)
    {
        var now = Now;
        entry.Status = status;
        entry.DoneAt = now;
        entry.Reply = reply is null ? null : reply.Length > FieldLimits.MailReply ? reply[..FieldLimits.MailReply] : reply;
        db.AuditEntries.Add(AuditEntry.Of(now, entry.CampaignId, entry.ParticipantId, actor ?? new Actor(entry.QueuedBy, IsOperator: true),
            entry.Kind == MailKind.Invitation ? "mail.invitation" : "mail.reminder", entry.Address, null, DeliveryLabels.Outcome(status, entry.Reply)));
    }

    private static MimeMessage Message(SmtpOptions options, Campaign campaign, string name, string address, RenderedMail rendered, string messageId, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = rendered.Subject, MessageId = messageId, Date = date };
        message.From.Add(new MailboxAddress(options.FromName ?? "", options.FromAddress!.Trim()));
        message.To.Add(new MailboxAddress(name, address));
        var replyTo = string.IsNullOrWhiteSpace(options.ReplyTo) ? campaign.ContactEmail : options.ReplyTo.Trim();
        if (!string.IsNullOrWhiteSpace(replyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        }
        message.Body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody();
        return message;
    }
}
