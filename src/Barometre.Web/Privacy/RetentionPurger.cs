using Barometre.Data.Campaigns;
using Barometre.Data.Privacy;

namespace Barometre.Web.Privacy;

/// <summary>
/// The server's retention round, every hour: erases the personal data of every closed campaign whose retention period is
/// over (<see cref="PersonalDataPurge.PurgeDueAsync"/>), as <c>barometre campaign purge</c> does. Several servers on one
/// database may run it at once: each campaign is purged by one of them, and a round that finds nothing due writes nothing.
/// </summary>
public sealed partial class RetentionPurger(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RetentionPurger> logger) : BackgroundService
{
    /// <summary>Time between two rounds: retention periods are counted in months, an hour late is nothing.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                    // The next round tries again: a purge is all or nothing, and idempotent.
                    LogInterrupted(logger, e, e.Message);
                }
                // A one-off delay rather than a periodic timer, as the mail round: a clock that jumps ahead runs one round.
                await Task.Delay(Period, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round; the campaigns purged, with their counts.</summary>
    public async Task<IReadOnlyList<(int CampaignId, ErasureCounts Counts)>> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var purged = await scope.ServiceProvider.GetRequiredService<PersonalDataPurge>().PurgeDueAsync(Actor.Retention, cancellationToken);
        foreach (var (campaignId, counts) in purged)
        {
            LogPurged(logger, campaignId, counts);
        }
        return purged;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Effacement des données personnelles interrompu : {Reason}")]
    private static partial void LogInterrupted(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campagne {CampaignId} : données personnelles effacées au terme de leur durée de conservation ({Counts})")]
    private static partial void LogPurged(ILogger logger, int campaignId, ErasureCounts counts);
}
