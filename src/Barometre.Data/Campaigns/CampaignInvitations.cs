using Barometre.Core;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>A link issued to a collectivité: the token appears here only, once; the database keeps its hash.</summary>
public sealed record IssuedInvitation(int ParticipantId, string Code, string Name, string? Email, string Token, DateTime ExpiresAt);

/// <summary>
/// The invitation links of a campaign's collectivités: issued (to all who have none, or again to all), re-issued to one,
/// revoked. Issuing a link revokes the collectivité's previous ones; every change is audited. With a
/// <see cref="InvitationLinkVault"/>, each new token is also kept encrypted, so that the e-mails can carry it again.
/// </summary>
public sealed class CampaignInvitations(BarometreDbContext db, TimeProvider clock, InvitationLinkVault? vault = null)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Issues links: to every collectivité without an active one, or, with <paramref name="reissueAll"/>,
    /// to every collectivité (their previous links stop working).
    /// </summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="reissueAll">Re-issue the links still valid too (they stop working).</param>
    /// <param name="actor">Who issues, for the audit trail.</param>
    /// <param name="deliver">
    /// Hands the links over (writes the mail-merge file) before anything is stored: the tokens exist nowhere else, so
    /// a delivery that fails issues and revokes nothing.
    /// </param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<IReadOnlyList<IssuedInvitation>> IssueAsync(
        int campaignId, bool reissueAll, Actor actor, Action<IReadOnlyList<IssuedInvitation>>? deliver = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);
        var now = Now;
        var participants = await db.Participants.Include(p => p.Invitations.Where(i => i.RevokedAt == null && i.ExpiresAt > now))
            .Where(p => p.CampaignId == campaignId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var issued = new List<IssuedInvitation>();
        foreach (var participant in participants)
        {
            if (participant.Invitations.Count > 0 && !reissueAll)
            {
                continue;
            }
            issued.Add(Issue(participant, campaign.InvitationDays, now, actor));
        }
        deliver?.Invoke(issued);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    /// <summary>A new link for one collectivité; its previous links stop working.</summary>
    public async Task<IssuedInvitation> ReissueAsync(int participantId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        var participant = await db.Participants.Include(p => p.Invitations.Where(i => i.RevokedAt == null)).Include(p => p.Campaign)
            .SingleAsync(p => p.Id == participantId, cancellationToken);
        var issued = Issue(participant, participant.Campaign!.InvitationDays, now, actor);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    /// <summary>The collectivité a link opens while it works (neither revoked nor expired), or null.</summary>
    public async Task<int?> ParticipantOfLiveLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!InvitationTokens.IsWellFormed(token))
        {
            return null;
        }
        var hash = InvitationTokens.Hash(token);
        var now = Now;
        return await db.Invitations.AsNoTracking().Where(i => i.TokenHash == hash && i.RevokedAt == null && i.ExpiresAt > now)
            .Select(i => (int?)i.ParticipantId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Revokes a collectivité's links.</summary>
    /// <returns>How many links were revoked.</returns>
    public async Task<int> RevokeAsync(int participantId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        var participant = await db.Participants.Include(p => p.Invitations.Where(i => i.RevokedAt == null)).SingleAsync(p => p.Id == participantId, cancellationToken);
        foreach (var invitation in participant.Invitations)
        {
            invitation.RevokedAt = now;
        }
        if (participant.Invitations.Count > 0)
        {
            Audit(participant.CampaignId, participant.Id, actor, "invitation.revoke", participant.Code, $"{participant.Invitations.Count} lien(s) actif(s)", "révoqué(s)");
        }
        await db.SaveChangesAsync(cancellationToken);
        return participant.Invitations.Count;
    }

    /// <summary>
    /// The token of the collectivité's live link when it can be read back, else a new link (its previous ones revoked,
    /// audited), added to the context for the caller to save. <paramref name="participant"/> is tracked, with its live
    /// invitations loaded.
    /// </summary>
    internal (string Token, DateTime ExpiresAt) CurrentOrNewLink(Participant participant, int days, Actor actor)
    {
        var now = Now;
        foreach (var invitation in participant.Invitations.Where(i => i.IsActive(now)).OrderByDescending(i => i.ExpiresAt))
        {
            if (vault?.Unprotect(invitation.ProtectedToken) is { } token)
            {
                return (token, invitation.ExpiresAt);
            }
        }
        var issued = Issue(participant, days, now, actor);
        return (issued.Token, issued.ExpiresAt);
    }

    private IssuedInvitation Issue(Participant participant, int days, DateTime now, Actor actor)
    {
        var revoked = 0;
        foreach (var previous in participant.Invitations.Where(i => i.RevokedAt is null))
        {
            previous.RevokedAt = now;
            revoked++;
        }
        var (token, hash) = InvitationTokens.Create();
        var invitation = new Invitation
        {
            ParticipantId = participant.Id, TokenHash = hash, ProtectedToken = vault?.Protect(token), CreatedAt = now, ExpiresAt = now.AddDays(days),
        };
        db.Invitations.Add(invitation);
        Audit(participant.CampaignId, participant.Id, actor, "invitation.issue", participant.Code,
            revoked > 0 ? $"{revoked} lien(s) révoqué(s)" : null, $"lien valable jusqu'au {ParisTime.Date(invitation.ExpiresAt)}");
        return new IssuedInvitation(participant.Id, participant.Code, participant.Name, participant.Email, token, invitation.ExpiresAt);
    }

    private void Audit(int campaignId, int? participantId, Actor actor, string action, string? subject, string? oldValue, string? newValue) =>
        db.AuditEntries.Add(AuditEntry.Of(Now, campaignId, participantId, actor, action, subject, oldValue, newValue));
}
