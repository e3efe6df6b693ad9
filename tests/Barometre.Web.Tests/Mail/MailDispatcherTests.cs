using Barometre.Data.Mail;
using Barometre.Testing.Mail;
using Barometre.Web.Mail;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Mail;

/// <summary>The server's mail round (<see cref="MailDispatcher"/>): two instances on one database, one sender at a time.</summary>
public abstract class MailDispatcherTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task ScheduledReminders_TwoInstancesOnOneDatabase_OneSendsAtATime_AndNoReminderGoesTwice()
    {
        Database.RequireAvailable();
        await using var sink = await SmtpSink.StartAsync();
        await using var first = new BarometreApp(Database, sink.Settings());
        await using var second = new BarometreApp(Database, sink.Settings());
        first.Start();
        second.Start();
        second.Clock.SetUtcNow(first.Clock.GetUtcNow());
        var campaign = await first.SeedCampaignAsync(collectivites: 4, cancellationToken: Ct);
        await first.InScopeAsync(async services =>
        {
            await services.GetRequiredService<CampaignMail>().SaveAsync(campaign.Id, new MailSettingsInput(null, Empty, Empty, true, "14,3", 2, 5), Seeding.Operator, Ct);
            return await services.GetRequiredService<MailOutbox>().QueueAsync(campaign.Id, new MailRequest(MailKind.Invitation, MailAudience.All), new Uri("https://barometre.exemple.fr"), Seeding.Operator, Ct);
        });
        await RoundsAsync(first, second);
        Assert.Equal(4, sink.Messages().Count);

        // 14 days before the links expire: one reminder is due to each; both servers run their rounds at once, again and again.
        foreach (var app in new[] { first, second })
        {
            app.Clock.SetUtcNow(campaign.A.ExpiresAt.AddDays(-14));
        }
        await RoundsAsync(first, second);

        var reminders = sink.Messages().Skip(4).ToList();
        Assert.Equal(campaign.Collectivites.Select(c => $"dgs{c.Code[1..].TrimStart('0')}@exemple.fr").Order(StringComparer.Ordinal),
            reminders.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(reminders, m => Assert.StartsWith("Rappel : ", m.Subject, StringComparison.Ordinal));
        var statuses = await first.WithDbAsync(db => db.Outbox.Where(m => m.CampaignId == campaign.Id).Select(m => new { m.Kind, m.Status }).ToListAsync(Ct));
        Assert.Equal(8, statuses.Count(s => s.Status == DeliveryStatus.Sent));
        Assert.Equal(4, statuses.Count(s => s.Kind == MailKind.Reminder));
    }

    private static readonly MailTemplate Empty = new("", "", "");

    /// <summary>Five rounds on both servers at once: in each, exactly one of them holds the lease and sends.</summary>
    private static async Task RoundsAsync(BarometreApp first, BarometreApp second)
    {
        for (var round = 0; round < 5; round++)
        {
            var held = await Task.WhenAll(
                Task.Run(() => first.Services.GetRequiredService<MailDispatcher>().RunOnceAsync(Ct), Ct),
                Task.Run(() => second.Services.GetRequiredService<MailDispatcher>().RunOnceAsync(Ct), Ct));
            Assert.Single(held, true);
        }
    }
}

public sealed class MailDispatcherTests_Sqlite(SqliteDatabase database) : MailDispatcherTests<SqliteDatabase>(database);

public sealed class MailDispatcherTests_Postgres(PostgresDatabase database) : MailDispatcherTests<PostgresDatabase>(database);
