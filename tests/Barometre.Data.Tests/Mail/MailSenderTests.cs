using System.Text.RegularExpressions;
using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Barometre.Data.Tests.Infrastructure;
using Barometre.Testing.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Barometre.Data.Tests.Mail;

/// <summary>
/// <see cref="MailOutbox"/> and <see cref="MailSender"/> against a real SMTP server on loopback (<see cref="SmtpSink"/>):
/// what arrives, refusals, a sender stopped mid-way, two senders at once.
/// </summary>
public abstract partial class MailSenderTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    private static readonly Uri Site = new("https://barometre.exemple.fr/");

    private static readonly MailRequest Invitations = new(MailKind.Invitation, MailAudience.All);

    [Fact]
    public async Task Send_InvitationsReachEveryAddress_EachWithTheLinkItsCollectiviteAlreadyHas()
    {
        await using var sink = await SmtpSink.StartAsync();
        var campaign = await SeedCampaignAsync();

        var plan = await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, Invitations, Site, Operator, Ct));
        var outcomes = await SendAsync(sink.Options(), campaign);

        Assert.Equal(campaign.Collectivites.Select(c => (c.Code, c.Email!, DeliveryStatus.Sent)), outcomes.Select(o => (o.Code, o.Address, o.Status)));
        Assert.Equal(3, plan.ToSend.Count);
        var messages = sink.Messages();
        Assert.Equal(campaign.Collectivites.Select(c => c.Email), messages.Select(m => m.To.Mailboxes.Single().Address));
        foreach (var (collectivite, message) in campaign.Collectivites.Zip(messages))
        {
            // The very link the collectivité was given, in both parts; it opens its own questionnaire.
            Assert.Equal([$"https://barometre.exemple.fr/q/{collectivite.Token}"], Links(message.TextBody));
            Assert.Equal([$"https://barometre.exemple.fr/q/{collectivite.Token}"], Links(message.HtmlBody));
            Assert.Equal(collectivite.ParticipantId, (await OpenAsync(collectivite)).ParticipantId);
            Assert.Equal($"Baromètre de la maturité numérique : le questionnaire de {collectivite.Name}", message.Subject);
            Assert.Equal("barometre@exemple.fr", message.From.Mailboxes.Single().Address);
            Assert.Contains(collectivite.Name, message.TextBody, StringComparison.Ordinal);
        }
        // Every message is audited — who, what, to whom, when — and no link is stored anywhere but encrypted.
        var audit = await AuditAsync(campaign.Id, "mail.invitation");
        Assert.Equal(campaign.Collectivites.Select(c => (c.Email, "opérateur alice@exemple.fr", "envoyé", Now)), audit.Select(a => (a.Subject, a.Actor, a.NewValue!, a.At)));
        var stored = await WithDbAsync(async db => (await db.Outbox.AsNoTracking().ToListAsync(Ct)).Select(m => $"{m.SiteUrl} {m.Reply} {m.MessageId}")
            .Concat((await db.AuditEntries.AsNoTracking().ToListAsync(Ct)).Select(a => $"{a.Subject} {a.OldValue} {a.NewValue}")).ToList());
        Assert.DoesNotContain(stored, text => campaign.Collectivites.Any(c => text.Contains(c.Token!, StringComparison.Ordinal)));
        var deliveries = await WithAsync<MailOutbox, IReadOnlyDictionary<int, ParticipantDelivery>>(o => o.DeliveriesAsync(campaign.Id, Ct));
        Assert.All(campaign.Collectivites, c => Assert.Equal((MailKind.Invitation, 1, DeliveryStatus.Sent, Now), (deliveries[c.ParticipantId].Kind, deliveries[c.ParticipantId].Sequence, deliveries[c.ParticipantId].Status, deliveries[c.ParticipantId].At)));
    }

    [Fact]
    public async Task Send_ToCollectivitesWithoutALink_IssuesOne_KeptForTheReminders()
    {
        await using var sink = await SmtpSink.StartAsync();
        var campaign = await SeedCampaignAsync(issueLinks: false);

        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, Invitations, Site, Operator, Ct));
        await SendAsync(sink.Options(), campaign);
        Clock.Advance(TimeSpan.FromDays(6));
        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, new MailRequest(MailKind.Reminder, MailAudience.NotSubmitted), Site, Operator, Ct));
        await SendAsync(sink.Options(), campaign);

        var messages = sink.Messages();
        Assert.Equal(6, messages.Count);
        for (var i = 0; i < 3; i++)
        {
            var link = Assert.Single(Links(messages[i].TextBody));
            // The reminder carries the invitation's link, which still works.
            Assert.Equal([link], Links(messages[i + 3].TextBody));
            Assert.StartsWith("Rappel : le questionnaire de", messages[i + 3].Subject, StringComparison.Ordinal);
            var token = link[(link.LastIndexOf('/') + 1)..];
            Assert.Equal(campaign.Collectivites[i].ParticipantId, await WithAsync<CampaignInvitations, int?>(x => x.ParticipantOfLiveLinkAsync(token, Ct)));
        }
        Assert.Equal(3, (await AuditAsync(campaign.Id, "invitation.issue")).Count);
    }

    [Fact]
    public async Task Send_AddressRefusedByTheServer_IsRecordedWithItsReply_TheBatchGoesOn_AndACorrectedAddressGetsItsInvitation()
    {
        var campaign = await SeedCampaignAsync();
        await using var sink = await SmtpSink.StartAsync(campaign.B.Email!);

        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, Invitations, Site, Operator, Ct));
        var outcomes = await SendAsync(sink.Options(), campaign);

        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Refused, DeliveryStatus.Sent], outcomes.Select(o => o.Status));
        Assert.Equal("550 5.1.1 Adresse inconnue", outcomes[1].Reply);
        Assert.Equal([campaign.A.Email, campaign.C.Email], sink.Messages().Select(m => m.To.Mailboxes.Single().Address));
        var delivery = (await WithAsync<MailOutbox, IReadOnlyDictionary<int, ParticipantDelivery>>(o => o.DeliveriesAsync(campaign.Id, Ct)))[campaign.B.ParticipantId];
        Assert.Equal((DeliveryStatus.Refused, "550 5.1.1 Adresse inconnue", campaign.B.Email), (delivery.Status, delivery.Reply, delivery.Address));
        Assert.Equal("refusé par le serveur : 550 5.1.1 Adresse inconnue", (await AuditAsync(campaign.Id, "mail.invitation"))[1].NewValue);

        // Sending again skips it, saying why, until its address is corrected.
        var again = await WithAsync<MailOutbox, MailPlan>(o => o.PlanAsync(campaign.Id, new MailRequest(null, MailAudience.All), Ct));
        Assert.Equal("adresse refusée par le serveur (550 5.1.1 Adresse inconnue) : corrigez-la", again.Items.Single(i => i.Code == campaign.B.Code).Skipped);
        Assert.Equal("« dgs@ » n'est pas une adresse électronique.",
            await WithAsync<MailOutbox, string?>(o => o.CorrectAddressAsync(campaign.B.ParticipantId, "dgs@", Operator, Ct)));
        Assert.Null(await WithAsync<MailOutbox, string?>(o => o.CorrectAddressAsync(campaign.B.ParticipantId, " accueil@mairie.exemple.fr ", Operator, Ct)));
        var resent = await WithAsync<MailOutbox, PlannedMail>(o => o.QueueOneAsync(campaign.B.ParticipantId, Site, Operator, Ct));
        Assert.Equal((MailKind.Invitation, 2, (string?)null), (resent.Kind, resent.Sequence, resent.Skipped));
        await SendAsync(sink.Options(), campaign);
        var last = sink.Messages()[^1];
        Assert.Equal("accueil@mairie.exemple.fr", last.To.Mailboxes.Single().Address);
        Assert.Equal([$"https://barometre.exemple.fr/q/{campaign.B.Token}"], Links(last.TextBody));
        Assert.Equal(("dgs" + campaign.B.Email![3..], "accueil@mairie.exemple.fr"),
            (await AuditAsync(campaign.Id, "participant.email")).Select(a => (a.OldValue!, a.NewValue!)).Single());
    }

    [Fact]
    public async Task Send_StoppedInTheMiddle_ResumesWithoutSendingAnyMessageTwice()
    {
        await using var sink = await SmtpSink.StartAsync();
        var campaign = await SeedCampaignAsync(collectivites: 6);
        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, Invitations, Site, Operator, Ct));

        // The third message leaves, then the sender dies before it can record it.
        await using (var transport = new DyingTransport(new SmtpMailTransport(sink.Options()), dieAfter: 3))
        {
            await Assert.ThrowsAsync<IOException>(() => WithAsync<MailSender, IReadOnlyList<MailOutcome>>(s => s.SendQueuedAsync(transport, sink.Options(), campaign.Id, cancellationToken: Ct)));
        }
        // And a fourth was being sent by a process killed before its outcome was written.
        var fourth = await WithDbAsync(db => db.Outbox.Where(m => m.CampaignId == campaign.Id).OrderBy(m => m.Id).Skip(3).Select(m => m.Id).FirstAsync(Ct));
        await WithDbAsync(db => db.Outbox.Where(m => m.Id == fourth).ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, DeliveryStatus.Sending).SetProperty(m => m.AttemptedAt, Now), Ct));
        Clock.Advance(MailSender.Interrupted + TimeSpan.FromSeconds(1));

        var resumed = await SendAsync(sink.Options(), campaign);

        Assert.Equal(campaign.Collectivites.Skip(4).Select(c => c.Code), resumed.Select(o => o.Code));
        var received = sink.Messages().Select(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(received.Distinct(), received);
        Assert.Equal(campaign.Collectivites.Where((_, i) => i != 3).Select(c => c.Email), received);
        var statuses = await WithDbAsync(db => db.Outbox.Where(m => m.CampaignId == campaign.Id).OrderBy(m => m.Id).Select(m => m.Status).ToListAsync(Ct));
        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Sent, DeliveryStatus.Uncertain, DeliveryStatus.Uncertain, DeliveryStatus.Sent, DeliveryStatus.Sent], statuses);
        // Neither uncertain message goes again by itself; sending the invitations again finds nothing to send.
        var again = await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, Invitations, Site, Operator, Ct));
        Assert.Empty(again.ToSend);
        Assert.Empty(await SendAsync(sink.Options(), campaign));
    }

    [Fact]
    public async Task DueReminders_TwoServersAtOnce_QueueAndSendEachReminderOnce()
    {
        await using var sink = await SmtpSink.StartAsync();
        var campaign = await SeedCampaignAsync(collectivites: 5);
        await WithAsync<CampaignMail, string?>(m => m.SaveAsync(campaign.Id, new MailSettingsInput(null, Empty, Empty, true, "14,3", 2, 5), Operator, Ct));
        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, Invitations, Site, Operator, Ct));
        await SendAsync(sink.Options(), campaign);
        await SubmitAsync(campaign.A);
        // 14 days before the links' expiry: the first reminder is due to the four that have not submitted.
        Clock.Advance(TimeSpan.FromDays(120 - 14));

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await WithAsync<MailOutbox, int>(o => o.QueueDueRemindersAsync(Ct));
                await SendAsync(sink.Options(), campaign);
            }, Ct)));
        }

        var reminders = sink.Messages().Skip(5).ToList();
        Assert.Equal(campaign.Collectivites.Skip(1).Select(c => c.Email).Order(StringComparer.Ordinal),
            reminders.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(reminders, m => Assert.StartsWith("Rappel : ", m.Subject, StringComparison.Ordinal));
        Assert.Equal(4, (await AuditAsync(campaign.Id, "mail.reminder")).Count(a => a.Actor == "relances automatiques"));
        // Nothing more is due before the second reminder day; then the second comes, once.
        Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await WithAsync<MailOutbox, int>(o => o.QueueDueRemindersAsync(Ct)));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(4, await WithAsync<MailOutbox, int>(o => o.QueueDueRemindersAsync(Ct)));
        Assert.Equal(0, await WithAsync<MailOutbox, int>(o => o.QueueDueRemindersAsync(Ct)));
    }

    [Fact]
    public async Task Send_RateLimited_WaitsBetweenMessages()
    {
        await using var sink = await SmtpSink.StartAsync();
        var campaign = await SeedCampaignAsync();
        await WithAsync<MailOutbox, MailPlan>(o => o.QueueAsync(campaign.Id, Invitations, Site, Operator, Ct));

        var sending = SendAsync(sink.Options(messagesPerMinute: 2), campaign);
        await WaitForAsync(() => sink.Messages().Count == 1);
        Clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300, Ct);
        Assert.Single(sink.Messages());
        Clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => sink.Messages().Count == 2);
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, (await sending).Count);
    }

    private static readonly MailTemplate Empty = new("", "", "");

    /// <summary>Sends the campaign's queued messages (the tests of a class share one database).</summary>
    private async Task<IReadOnlyList<MailOutcome>> SendAsync(SmtpOptions options, SeededCampaign campaign)
    {
        await using var transport = new SmtpMailTransport(options);
        return await WithAsync<MailSender, IReadOnlyList<MailOutcome>>(s => s.SendQueuedAsync(transport, options, campaign.Id, cancellationToken: Ct));
    }

    private async Task SubmitAsync(SeededCollectivite collectivite) =>
        await WithDbAsync(db => db.Participants.Where(p => p.Id == collectivite.ParticipantId).ExecuteUpdateAsync(u => u.SetProperty(p => p.SubmittedAt, Now), Ct));

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50, Ct);
        }
        Assert.True(condition());
    }

    private static List<string> Links(string? body) => [.. LinkPattern().Matches(body ?? "").Select(m => m.Value).Distinct()];

    [GeneratedRegex(@"https://barometre\.exemple\.fr/q/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    /// <summary>A transport whose process dies (an I/O failure) right after the server accepted its n-th message.</summary>
    private sealed class DyingTransport(IMailTransport inner, int dieAfter) : IMailTransport
    {
        private int _sent;

        public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

        public async Task<TransportReply> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var reply = await inner.SendAsync(message, cancellationToken);
            return ++_sent == dieAfter ? throw new IOException("killed") : reply;
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

public sealed class MailSenderTests_Sqlite(SqliteStore store) : MailSenderTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class MailSenderTests_Postgres(PostgresStore store) : MailSenderTests<PostgresStore>(store), IClassFixture<PostgresStore>;
