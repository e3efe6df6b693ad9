using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Pages.Admin;

/// <summary>Panel size and submissions of a campaign, for the list of campaigns.</summary>
public sealed record CampaignCounts(int Participants, int Submitted);

/// <summary>
/// Read-only queries the operator pages need and <see cref="CampaignAdmin"/> does not offer (yet): the
/// campaigns' counts in one query, and a page of the audit trail with its total. Nothing here writes.
/// </summary>
public sealed class AdminQueries(BarometreDbContext db)
{
    /// <summary>Per campaign id, its number of collectivités and of submitted questionnaires.</summary>
    public async Task<IReadOnlyDictionary<int, CampaignCounts>> CountsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Participants.AsNoTracking()
            .GroupBy(p => p.CampaignId)
            .Select(g => new { CampaignId = g.Key, Participants = g.Count(), Submitted = g.Count(p => p.SubmittedAt != null) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.CampaignId, r => new CampaignCounts(r.Participants, r.Submitted));
    }

    /// <summary>One page of a campaign's audit trail (or of one collectivité's), most recent first, and how many entries there are.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> AuditPageAsync(int campaignId, int? participantId, int skip, int take, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEntries.AsNoTracking().Where(a => a.CampaignId == campaignId && (participantId == null || a.ParticipantId == participantId));
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (entries, total);
    }
}
