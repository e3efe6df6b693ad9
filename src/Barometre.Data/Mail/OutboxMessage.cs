using Barometre.Data.Campaigns;

namespace Barometre.Data.Mail;

/// <summary>What a message to a collectivité is.</summary>
public enum MailKind
{
    /// <summary>The first message, with the link.</summary>
    Invitation = 0,

    /// <summary>A reminder to a collectivité that has not submitted, with the same link.</summary>
    Reminder = 1,
}

/// <summary>Where a message stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for the sender.</summary>
    Queued = 0,

    /// <summary>Written before its SMTP transaction starts; a message left here by a crash becomes <see cref="Uncertain"/>.</summary>
    Sending = 1,

    /// <summary>Accepted by the SMTP server.</summary>
    Sent = 2,

    /// <summary>Refused by the SMTP server (the reply is kept).</summary>
    Refused = 3,

    /// <summary>Accepted, then returned by the recipient's server (a delivery status notification).</summary>
    Bounced = 4,

    /// <summary>
    /// The sender stopped during its SMTP transaction (a crash, the server unreachable mid-way): the message may have left.
    /// It is never sent again on its own, so that nobody gets it twice; the operator may resend it.
    /// </summary>
    Uncertain = 5,
}

/// <summary>
/// One message to one collectivité, in the outbox: written before it is sent and after, so that a send stopped at any
/// point resumes without sending anything twice. (campaign, collectivité, kind, sequence) is unique: two senders cannot
/// queue the same reminder. The link is never stored here: it is put in the message when it is sent.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public int CampaignId { get; set; }

    public int ParticipantId { get; set; }

    public Participant? Participant { get; set; }

    public MailKind Kind { get; set; }

    /// <summary>1 for the collectivité's first message of this kind, 2 for the next…</summary>
    public int Sequence { get; set; }

    /// <summary>The address it goes to, as the panel gave it when queued.</summary>
    public required string Address { get; set; }

    /// <summary>The site's root address the link starts with (not a secret: the token is added when sending).</summary>
    public required string SiteUrl { get; set; }

    public DeliveryStatus Status { get; set; }

    public DateTime QueuedAt { get; set; }

    /// <summary>Who asked for it (« opérateur … », « relances automatiques »), for the audit trail.</summary>
    public required string QueuedBy { get; set; }

    /// <summary>When its SMTP transaction started.</summary>
    public DateTime? AttemptedAt { get; set; }

    /// <summary>When the server accepted it, refused it, or it bounced.</summary>
    public DateTime? DoneAt { get; set; }

    /// <summary>The server's reply to a refusal, or a bounce's diagnostic; null otherwise.</summary>
    public string? Reply { get; set; }

    /// <summary>The message's Message-ID, which bounces quote.</summary>
    public string? MessageId { get; set; }
}
