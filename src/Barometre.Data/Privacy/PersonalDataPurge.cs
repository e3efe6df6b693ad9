using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Privacy;

/// <summary>The result of a retention purge.</summary>
public abstract record PurgeOutcome
{
    /// <summary>
    /// Erased (or, in a dry run, what would be): the counts per kind, and when the campaign's personal data were first
    /// erased (null in a dry run of a campaign never purged). A second purge finds nothing left and counts zero.
    /// </summary>
    public sealed record Erased(ErasureCounts Counts, DateTime? ErasedAt) : PurgeOutcome;

    /// <summary>Nothing erased; why, in French.</summary>
    public sealed record Refused(string Reason) : PurgeOutcome;
}

/// <summary>
/// Erases a campaign's personal data (<see cref="PersonalData"/>) once its retention period is over: by the operator
/// (<c>barometre campaign purge</c>, the campaign's « Données personnelles » page) or by the server on its own
/// (<see cref="PurgeDueAsync"/>). The erasure and its audit entry (the counts, never the values) commit together. Safe
/// with several servers on one database: the campaign's row is written first in the transaction, so that purges of one
/// campaign run one after another, and the server's own purge takes only a campaign no one has purged.
/// </summary>
public sealed class PersonalDataPurge(BarometreDbContext db, TimeProvider clock)
{
    /// <summary>The audit action of a purge.</summary>
    public const string AuditAction = "personal-data.purge";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Erases the campaign's personal data, or with <paramref name="dryRun"/> counts what would go and writes nothing.
    /// Refused while the campaign is not closed and, unless <paramref name="early"/>, before its retention period is over.
    /// </summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="actor">Who purges (audited).</param>
    /// <param name="early">Erase before the period is over (the controller's decision, a request to erase everything).</param>
    /// <param name="dryRun">Count only.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<PurgeOutcome> PurgeAsync(int campaignId, Actor actor, bool early = false, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign is null)
        {
            return new PurgeOutcome.Refused($"La campagne n°\u00a0{campaignId} n'existe pas.");
        }
        if (Problem(campaign, early) is { } problem)
        {
            return new PurgeOutcome.Refused(problem);
        }
        if (dryRun)
        {
            var counts = await Erasure.CampaignAsync(db, campaignId, cancellationToken);
            db.ChangeTracker.Clear();
            return new PurgeOutcome.Erased(counts, campaign.PersonalDataErasedAt);
        }
        return await EraseAsync(campaignId, actor, onlyFirst: false, cancellationToken) ?? throw new InvalidOperationException("The campaign's row could not be taken.");
    }

    /// <summary>
    /// Erases the personal data of every closed campaign whose retention period is over and that was never purged: what
    /// the server does by itself. A campaign another server purges at the same time is left to it.
    /// </summary>
    /// <returns>The campaigns purged now, with their counts.</returns>
    public async Task<IReadOnlyList<(int CampaignId, ErasureCounts Counts)>> PurgeDueAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        var candidates = await db.Campaigns.AsNoTracking()
            .Where(c => c.Status == CampaignStatus.Closed && c.FrozenAt != null && c.PersonalDataErasedAt == null)
            .Select(c => new { c.Id, c.FrozenAt, c.RetentionMonths })
            .ToListAsync(cancellationToken);
        var purged = new List<(int, ErasureCounts)>();
        foreach (var candidate in candidates.Where(c => PersonalData.ErasureDueAt(c.FrozenAt, c.RetentionMonths) <= now).OrderBy(c => c.Id))
        {
            if (await EraseAsync(candidate.Id, actor, onlyFirst: true, cancellationToken) is PurgeOutcome.Erased erased)
            {
                purged.Add((candidate.Id, erased.Counts));
            }
        }
        return purged;
    }

    /// <summary>Why the campaign's personal data may not be erased now, in French; null when they may.</summary>
    private string? Problem(Campaign campaign, bool early)
    {
        if (campaign.Status != CampaignStatus.Closed || PersonalData.ErasureDueAt(campaign) is not { } due)
        {
            return $"La campagne « {campaign.Name} » n'est pas close : ses données personnelles servent encore à la collecte. "
                + $"Elles seront effacées {PersonalData.RetentionText(campaign.RetentionMonths)}.";
        }
        return due > Now && !early
            ? $"La durée de conservation des données personnelles de la campagne « {campaign.Name} » court jusqu'au {ParisTime.Date(due)} "
                + $"({PersonalData.RetentionText(campaign.RetentionMonths)}) : rien n'est effacé avant. Pour effacer dès maintenant, sur décision du responsable du traitement, "
                + "demandez-le explicitement (--early)."
            : null;
    }

    /// <summary>
    /// Erases in one transaction that first writes the campaign's row (marking when its data were first erased): a purge of
    /// the same campaign by another server waits for this one, then finds nothing left. With <paramref name="onlyFirst"/>,
    /// a campaign already purged is left alone (null).
    /// </summary>
    private async Task<PurgeOutcome?> EraseAsync(int campaignId, Actor actor, bool onlyFirst, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var taken = await db.Campaigns
            .Where(c => c.Id == campaignId && c.Status == CampaignStatus.Closed && (!onlyFirst || c.PersonalDataErasedAt == null))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.PersonalDataErasedAt, x => x.PersonalDataErasedAt ?? now), cancellationToken);
        if (taken == 0)
        {
            return null;
        }
        var counts = await Erasure.CampaignAsync(db, campaignId, cancellationToken);
        if (counts.Total > 0)
        {
            db.AuditEntries.Add(AuditEntry.Of(now, campaignId, null, actor, AuditAction, null, null, counts.ToString()));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var erasedAt = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.PersonalDataErasedAt).SingleAsync(cancellationToken);
        return new PurgeOutcome.Erased(counts, erasedAt);
    }

    /// <summary>Sets how many months after its closing the campaign's personal data are kept (audited); the French reason when refused.</summary>
    public async Task<string?> SetRetentionAsync(int campaignId, int months, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (PersonalData.RetentionProblem(months) is { } problem)
        {
            return problem;
        }
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign is null)
        {
            return $"La campagne n°\u00a0{campaignId} n'existe pas.";
        }
        if (campaign.PersonalDataErasedAt is not null)
        {
            return $"Les données personnelles de la campagne « {campaign.Name} » sont déjà effacées : leur durée de conservation ne change plus.";
        }
        if (campaign.RetentionMonths == months)
        {
            return null;
        }
        var before = PersonalData.RetentionText(campaign.RetentionMonths);
        campaign.RetentionMonths = months;
        db.AuditEntries.Add(AuditEntry.Of(Now, campaignId, null, actor, RetentionAuditAction, campaign.Name, before, PersonalData.RetentionText(months)));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>The audit action of a change of the retention period.</summary>
    public const string RetentionAuditAction = "campaign.retention";
}
