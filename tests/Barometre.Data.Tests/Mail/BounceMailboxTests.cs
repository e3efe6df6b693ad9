using Barometre.Data.Mail;
using Barometre.Data.Tests.Infrastructure;
using Barometre.Testing.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Barometre.Data.Tests.Mail;

/// <summary>
/// <see cref="BounceMailbox"/> against a real IMAP server on loopback (<see cref="ImapMailbox"/>) holding the reports of
/// messages really sent through a real SMTP server (<see cref="SmtpSink"/>).
/// </summary>
public abstract class BounceMailboxTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    private static readonly Uri Site = new("https://barometre.exemple.fr/");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Read_ABounce_MarksTheMessageAndFlagsTheAddress_UntilCorrected_AndReadsEachMessageOnce(bool keywords)
    {
        var campaign = await SeedCampaignAsync();
        await using var sink = await SmtpSink.StartAsync();
        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, new MailRequest(MailKind.Invitation, MailAudience.All), Site, Operator, Ct));
        await SendAsync(sink);
        var sent = sink.Messages();
        var toB = sent.Single(m => m.To.Mailboxes.Single().Address == campaign.B.Email);
        var answer = new MimeMessage { Subject = "Re: questionnaire", MessageId = "reponse@ville.exemple.fr" };
        answer.From.Add(MailboxAddress.Parse(campaign.A.Email!));
        answer.Body = new TextPart("plain") { Text = "Merci, nous répondrons la semaine prochaine." };
        var delayed = ImapMailbox.DeliveryReport(sent[0], campaign.A.Email!, action: "delayed", status: "4.4.1");
        var stranger = ImapMailbox.DeliveryReport(new MimeMessage { MessageId = "autre@ailleurs.fr", From = { MailboxAddress.Parse("x@ailleurs.fr") } }, campaign.C.Email!);
        await using var mailbox = await ImapMailbox.StartAsync([answer, ImapMailbox.DeliveryReport(toB, campaign.B.Email!), delayed, stranger], keywords);

        var bounces = await ReadAsync(mailbox);

        var bounce = Assert.Single(bounces);
        var diagnostic = $"550 5.1.1 <{campaign.B.Email}>: Recipient address rejected: User unknown in local recipient table";
        Assert.Equal(new BounceOutcome(campaign.Id, campaign.B.Code, campaign.B.Email!, MailKind.Invitation, 1, diagnostic), bounce);
        var deliveries = await WithAsync<MailOutbox, IReadOnlyDictionary<int, ParticipantDelivery>>(o => o.DeliveriesAsync(campaign.Id, Ct));
        Assert.Equal((DeliveryStatus.Bounced, diagnostic, Now), (deliveries[campaign.B.ParticipantId].Status, deliveries[campaign.B.ParticipantId].Reply, deliveries[campaign.B.ParticipantId].At));
        Assert.Equal(DeliveryStatus.Sent, deliveries[campaign.A.ParticipantId].Status);
        Assert.Equal(DeliveryStatus.Sent, deliveries[campaign.C.ParticipantId].Status);
        Assert.Equal(Now, await WithDbAsync(db => db.Participants.Where(p => p.Id == campaign.B.ParticipantId).Select(p => p.EmailBouncedAt).SingleAsync(Ct)));
        var audit = (await AuditAsync(campaign.Id, "mail.invitation")).Last();
        Assert.Equal(("retours de courriels", campaign.B.Email, $"revenu en erreur : {diagnostic}"), (audit.Actor, audit.Subject, audit.NewValue));

        // Every message read is marked so — the answer too, left otherwise as it was — and the next round reads nothing.
        var mark = keywords ? BounceMailbox.ReadKeyword : "\\Seen";
        Assert.All(await mailbox.FlagsAsync(), flags => Assert.Equal([mark], flags));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await ReadAsync(mailbox));
        Assert.Equal(diagnostic, (await WithAsync<MailOutbox, ParticipantDelivery?>(o => o.DeliveryOfAsync(campaign.B.ParticipantId, Ct)))!.Reply);

        // The flagged address is skipped by every send, until an operator corrects it.
        var plan = await WithAsync<MailOutbox, MailPlan>(o => o.PlanAsync(campaign.Id, new MailRequest(MailKind.Reminder, MailAudience.NotSubmitted), Ct));
        Assert.StartsWith("adresse en échec depuis le", plan.Items.Single(i => i.Code == campaign.B.Code).Skipped, StringComparison.Ordinal);
        Assert.Null(await WithAsync<MailOutbox, string?>(o => o.CorrectAddressAsync(campaign.B.ParticipantId, "accueil@mairie.exemple.fr", Operator, Ct)));
        var resent = await WithAsync<MailOutbox, PlannedMail>(o => o.QueueOneAsync(campaign.B.ParticipantId, Site, Operator, Ct));
        Assert.Null(resent.Skipped);
    }

    [Fact]
    public async Task Read_BounceOfAnAddressCorrectedSince_RecordsTheMessage_ButDoesNotFlagTheNewAddress()
    {
        var campaign = await SeedCampaignAsync();
        await using var sink = await SmtpSink.StartAsync();
        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, new MailRequest(MailKind.Invitation, MailAudience.All), Site, Operator, Ct));
        await SendAsync(sink);
        Assert.Null(await WithAsync<MailOutbox, string?>(o => o.CorrectAddressAsync(campaign.A.ParticipantId, "nouvelle@ville.exemple.fr", Operator, Ct)));
        var toA = sink.Messages().Single(m => m.To.Mailboxes.Single().Address == campaign.A.Email);
        await using var mailbox = await ImapMailbox.StartAsync([ImapMailbox.DeliveryReport(toA, campaign.A.Email!)]);

        Assert.Equal(campaign.A.Email, Assert.Single(await ReadAsync(mailbox)).Address);

        Assert.Null(await WithDbAsync(db => db.Participants.Where(p => p.Id == campaign.A.ParticipantId).Select(p => p.EmailBouncedAt).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Read_WrongPassword_FailsWithoutMarkingAnything()
    {
        await using var mailbox = await ImapMailbox.StartAsync([new MimeMessage { Subject = "x", Body = new TextPart("plain") { Text = "x" } }]);
        var options = mailbox.Options();
        options.Password = "pas le bon";

        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => WithAsync<MailSender, IReadOnlyList<BounceOutcome>>(s => new BounceMailbox(options).ReadAsync(s, Ct)));

        Assert.Equal([[]], await mailbox.FlagsAsync());
    }

    private Task<IReadOnlyList<BounceOutcome>> ReadAsync(ImapMailbox mailbox) =>
        WithAsync<MailSender, IReadOnlyList<BounceOutcome>>(s => new BounceMailbox(mailbox.Options()).ReadAsync(s, Ct));

    private async Task SendAsync(SmtpSink sink)
    {
        await using var transport = new SmtpMailTransport(sink.Options());
        await WithAsync<MailSender, IReadOnlyList<MailOutcome>>(s => s.SendQueuedAsync(transport, sink.Options(), cancellationToken: Ct));
    }
}

public sealed class BounceMailboxTests_Sqlite(SqliteStore store) : BounceMailboxTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class BounceMailboxTests_Postgres(PostgresStore store) : BounceMailboxTests<PostgresStore>(store), IClassFixture<PostgresStore>;
