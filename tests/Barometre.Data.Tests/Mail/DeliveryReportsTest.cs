using Barometre.Data.Mail;
using Barometre.Testing.Mail;
using MimeKit;

namespace Barometre.Data.Tests.Mail;

/// <summary><see cref="DeliveryReports"/> on delivery reports laid out as Postfix sends them (RFC 3464), and on what is not one.</summary>
public sealed class DeliveryReportsTest
{
    private static readonly MimeMessage Original = OriginalMessage();

    [Fact]
    public void Read_FailedRecipient_GivesTheOriginalMessageIdTheAddressAndTheDiagnostic()
    {
        var bounce = Assert.Single(DeliveryReports.Read(ImapMailbox.DeliveryReport(Original, "dgs@ville.exemple.fr")));

        Assert.Equal(new Bounce("original.42@exemple.fr", "dgs@ville.exemple.fr",
            "550 5.1.1 <dgs@ville.exemple.fr>: Recipient address rejected: User unknown in local recipient table"), bounce);
    }

    [Fact]
    public void Read_DelayedOrRelayed_IsNoBounce()
    {
        Assert.Empty(DeliveryReports.Read(ImapMailbox.DeliveryReport(Original, "dgs@ville.exemple.fr", action: "delayed", status: "4.4.1")));
        Assert.Empty(DeliveryReports.Read(ImapMailbox.DeliveryReport(Original, "dgs@ville.exemple.fr", action: "relayed", status: "2.0.0")));
    }

    [Fact]
    public void Read_WithoutDiagnostic_GivesTheStatusCode()
    {
        var report = ImapMailbox.DeliveryReport(Original, "dgs@ville.exemple.fr", status: "5.2.2", diagnostic: "");

        Assert.Equal("5.2.2", Assert.Single(DeliveryReports.Read(report)).Diagnostic);
    }

    [Fact]
    public void Read_OriginalQuotedWhole_AsMessageRfc822_IsMatchedAsWell()
    {
        var report = ImapMailbox.DeliveryReport(Original, "dgs@ville.exemple.fr");
        var parts = (MultipartReport)report.Body!;
        parts[2] = new MessagePart("rfc822") { Message = Original };

        Assert.Equal("original.42@exemple.fr", Assert.Single(DeliveryReports.Read(report)).OriginalMessageId);
    }

    [Fact]
    public void Read_NotAReport_OrAReportThatDoesNotQuoteTheOriginal_GivesNone()
    {
        // An answer, an out-of-office reply: plain messages.
        Assert.Empty(DeliveryReports.Read(Original));
        var report = ImapMailbox.DeliveryReport(Original, "dgs@ville.exemple.fr");
        ((MultipartReport)report.Body!).RemoveAt(2);
        Assert.Empty(DeliveryReports.Read(report));
        // A read receipt is a report too, of another type.
        var receipt = ImapMailbox.DeliveryReport(Original, "dgs@ville.exemple.fr");
        ((MultipartReport)receipt.Body!).ReportType = "disposition-notification";
        Assert.Empty(DeliveryReports.Read(receipt));
    }

    private static MimeMessage OriginalMessage()
    {
        var message = new MimeMessage { MessageId = "original.42@exemple.fr", Subject = "Baromètre de la maturité numérique : le questionnaire de Ville A" };
        message.From.Add(new MailboxAddress("Baromètre numérique", "barometre@exemple.fr"));
        message.To.Add(new MailboxAddress("Ville A", "dgs@ville.exemple.fr"));
        message.Body = new TextPart("plain") { Text = "Bonjour" };
        return message;
    }
}
