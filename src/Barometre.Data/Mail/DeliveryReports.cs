using MimeKit;

namespace Barometre.Data.Mail;

/// <summary>A message the recipient's server could not deliver, as a delivery report tells it.</summary>
/// <param name="OriginalMessageId">The Message-ID of the message that came back (without angle brackets).</param>
/// <param name="Recipient">The address that failed, as the report gives it (its Original-Recipient when there is one).</param>
/// <param name="Diagnostic">What the server said, « 550 5.1.1 User unknown », or the status code alone.</param>
public sealed record Bounce(string OriginalMessageId, string Recipient, string Diagnostic);

/// <summary>
/// Reads the bounces in a message from the mailbox: delivery status notifications (RFC 3464, <c>multipart/report;
/// report-type=delivery-status</c>), what every mail server sends back. Only recipients whose <c>Action</c> is
/// <c>failed</c> count: a delay or a relay is not a bounce. A message that is no such report (an answer, an out-of-office
/// reply) gives none, and so does a report that does not quote the original's Message-ID — it cannot be matched.
/// </summary>
public static class DeliveryReports
{
    /// <summary>The failed recipients a message reports, none when it is not a delivery report.</summary>
    public static IReadOnlyList<Bounce> Read(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body is not MultipartReport report
            || !string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase)
            || report.OfType<MessageDeliveryStatus>().FirstOrDefault() is not { } status
            || OriginalMessageId(report) is not { } messageId)
        {
            return [];
        }
        var bounces = new List<Bounce>();
        // The first group is about the message, each next one about a recipient.
        foreach (var fields in status.StatusGroups.Skip(1))
        {
            if (!string.Equals(Value(fields["Action"]), "failed", StringComparison.OrdinalIgnoreCase)
                || (Address(fields["Original-Recipient"]) ?? Address(fields["Final-Recipient"])) is not { } recipient)
            {
                continue;
            }
            var diagnostic = Value(fields["Diagnostic-Code"]) ?? Value(fields["Status"]) ?? "";
            bounces.Add(new Bounce(messageId, recipient, diagnostic));
        }
        return bounces;
    }

    /// <summary>The Message-ID of the returned message, from its headers or its copy in the report.</summary>
    private static string? OriginalMessageId(MultipartReport report)
    {
        foreach (var part in report)
        {
            // text/rfc822-headers (TextRfc822Headers) and message/rfc822 are both MessageParts in MimeKit.
            if (part is MessagePart { Message.MessageId: { Length: > 0 } id })
            {
                return id;
            }
        }
        return null;
    }

    /// <summary>« rfc822; a@b.fr » → « a@b.fr » (the type before the semicolon, RFC 3464 § 2.3.2).</summary>
    private static string? Address(string? field) =>
        Value(field) is { } value && value.IndexOf(';', StringComparison.Ordinal) is var semicolon and >= 0 && value[(semicolon + 1)..].Trim().Trim('<', '>') is { Length: > 0 } address
            ? address
            : null;

    /// <summary>A field's value unfolded, with its « smtp; » type taken off a diagnostic, or null when absent or empty.</summary>
    private static string? Value(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }
        var unfolded = string.Join(' ', field.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return unfolded.StartsWith("smtp;", StringComparison.OrdinalIgnoreCase) ? unfolded[5..].Trim() : unfolded;
    }
}
