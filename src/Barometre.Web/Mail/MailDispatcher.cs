using Barometre.Data.Mail;
using Barometre.Data.Storage;

namespace Barometre.Web.Mail;

/// <summary>
/// The server's mail round, every half minute while a mail server is configured: with the sender lease (one server of
/// several at a time), it queues the reminders the campaigns' schedules make due, sends the outbox (what operators
/// queued from the pages too) and reads bounces from the mailbox when one is configured. The outbox makes each round
/// safe to stop at any moment: nothing is ever sent twice.
/// </summary>
public sealed partial class MailDispatcher(IServiceScopeFactory scopes, WebOptions options, TimeProvider clock, ILogger<MailDispatcher> logger) : BackgroundService
{
    /// <summary>Time between two rounds.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    /// <summary>How long a lease lasts unless renewed (before each message): a server that stops gives it up this late at worst.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>Time between two readings of the bounce mailbox (an IMAP session each).</summary>
    public static readonly TimeSpan BouncePeriod = TimeSpan.FromMinutes(5);

    private DateTimeOffset _nextBounceReading = DateTimeOffset.MinValue;

    // One round at a time in this server: a round asked for (a test, an operator's page) waits for the scheduled one.
    private readonly SemaphoreSlim _round = new(1, 1);

    /// <summary>This server, as the lease names it.</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Smtp.IsConfigured)
        {
            return;
        }
        if (options.Smtp.Problem() is { } problem)
        {
            LogDisabled(logger, problem);
            return;
        }
        try
        {
            while (true)
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next round tries again: what was not sent stays queued.
                    LogInterrupted(logger, e, options.Smtp.Describe(), e.Message);
                }
                // A one-off delay rather than a periodic timer: a clock that jumps ahead (a test's) runs one round, not one per period skipped.
                await Task.Delay(Period, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            await MailLease.ReleaseAsync(scope.ServiceProvider.GetRequiredService<BarometreDbContext>(), Holder, CancellationToken.None);
        }
    }

    /// <summary>One round; false when another server holds the lease (this one then does nothing).</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            return await RoundAsync(cancellationToken);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<BarometreDbContext>();
        if (!await TakeLeaseAsync(db, cancellationToken))
        {
            return false;
        }
        var outbox = services.GetRequiredService<MailOutbox>();
        if (await outbox.QueueDueRemindersAsync(cancellationToken) is var due and > 0)
        {
            LogRemindersQueued(logger, due);
        }
        if (await outbox.QueuedCountAsync(cancellationToken: cancellationToken) > 0)
        {
            await using var transport = new SmtpMailTransport(options.Smtp);
            await services.GetRequiredService<MailSender>().SendQueuedAsync(transport, options.Smtp, cancellationToken: cancellationToken,
                keepGoing: token => TakeLeaseAsync(db, token));
        }
        await ReadBouncesAsync(services.GetRequiredService<MailSender>(), cancellationToken);
        return true;
    }

    /// <summary>Reads the bounce mailbox, when one is configured and its period has come; a mailbox that fails is tried again next period.</summary>
    private async Task ReadBouncesAsync(MailSender sender, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!options.Imap.IsConfigured || now < _nextBounceReading)
        {
            return;
        }
        _nextBounceReading = now + BouncePeriod;
        if (options.Imap.Problem() is { } problem)
        {
            LogBouncesDisabled(logger, problem);
            return;
        }
        try
        {
            if ((await new BounceMailbox(options.Imap).ReadAsync(sender, cancellationToken)).Count is var bounced and > 0)
            {
                LogBounces(logger, bounced);
            }
        }
        catch (Exception e) when (BounceMailbox.IsUnreachable(e))
        {
            LogBouncesFailed(logger, e, options.Imap.Describe(), e.Message);
        }
    }

    public override void Dispose()
    {
        _round.Dispose();
        base.Dispose();
    }

    private Task<bool> TakeLeaseAsync(BarometreDbContext db, CancellationToken cancellationToken) =>
        MailLease.TryTakeAsync(db, Holder, clock.GetUtcNow().UtcDateTime, LeaseDuration, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Courriels désactivés : {Problem}")]
    private static partial void LogDisabled(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Envoi des courriels interrompu par {Server} : {Reason}")]
    private static partial void LogInterrupted(ILogger logger, Exception exception, string server, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lecture des courriels revenus en erreur désactivée : {Problem}")]
    private static partial void LogBouncesDisabled(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lecture des courriels revenus en erreur interrompue par {Mailbox} : {Reason}")]
    private static partial void LogBouncesFailed(ILogger logger, Exception exception, string mailbox, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} courriel(s) revenu(s) en erreur enregistré(s)")]
    private static partial void LogBounces(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} relance(s) automatique(s) mise(s) en file d'attente")]
    private static partial void LogRemindersQueued(ILogger logger, int count);
}
