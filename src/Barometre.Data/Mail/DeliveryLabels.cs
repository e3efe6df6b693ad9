using Barometre.Core;

namespace Barometre.Data.Mail;

/// <summary>How the pages, the CLI, the CSV export and the audit trail say where a message stands, in French.</summary>
public static class DeliveryLabels
{
    /// <summary>« invitation », « relance n° 2 ».</summary>
    public static string Kind(MailKind kind, int sequence) =>
        kind == MailKind.Invitation ? (sequence > 1 ? $"invitation (envoi n° {FrenchFormat.Count(sequence)})" : "invitation") : $"relance n° {FrenchFormat.Count(sequence)}";

    /// <summary>« envoyé », « refusé par le serveur »…</summary>
    public static string Status(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => "en file d'attente",
        DeliveryStatus.Sending => "en cours d'envoi",
        DeliveryStatus.Sent => "envoyé",
        DeliveryStatus.Refused => "refusé par le serveur",
        DeliveryStatus.Bounced => "revenu en erreur",
        DeliveryStatus.Uncertain => "incertain",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The status with the server's reply when there is one: « refusé par le serveur : 550 Unknown user ».</summary>
    public static string Outcome(DeliveryStatus status, string? reply) =>
        reply is null ? Status(status) : $"{Status(status)} : {TextRules.Quote(reply)}";

    /// <summary>A collectivité's last message in one line: « relance n° 1 envoyé le 7 décembre 2026 à 16 h 05 à a@b.fr ».</summary>
    public static string Describe(ParticipantDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return $"{Kind(delivery.Kind, delivery.Sequence)} : {Outcome(delivery.Status, delivery.Reply)} ({ParisTime.DateAndTime(delivery.At)}, {delivery.Address})";
    }
}
