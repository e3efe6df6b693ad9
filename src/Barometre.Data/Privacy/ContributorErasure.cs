using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Privacy;

/// <summary>What the collectivité's records hold about one contributor: what their own erasure would change.</summary>
/// <param name="Contributor">Their name and e-mail.</param>
/// <param name="Answers">The answers that carry their name (they changed them last), as stored.</param>
/// <param name="AuditEntries">The audit entries that name them (as the actor, or in what they record), oldest first, as stored.</param>
/// <param name="Submitted">Whether the collectivité's submission carries their name.</param>
public sealed record ContributorRecord(Contributor Contributor, IReadOnlyList<Answer> Answers, IReadOnlyList<AuditEntry> AuditEntries, bool Submitted);

/// <summary>
/// A contributor's own view and erasure of their identity, through their collectivité's link and their credential (the
/// cookie or personal link that proves who they are; another collectivité's link never reaches them): their name becomes
/// a neutral one (<see cref="PersonalData.NeutralName"/>), their e-mail goes, and the answers and audit entries that
/// named them name the neutral one. Their answers stay; they may go on answering, under the neutral name.
/// </summary>
public sealed class ContributorErasure(BarometreDbContext db, InvitationLinkCache links, TimeProvider clock, IDataProtectionProvider dataProtection)
{
    /// <summary>The audit action of a contributor's erasure.</summary>
    public const string AuditAction = "contributor.erase";

    private readonly ContributorCredentials _credentials = new(dataProtection);

    /// <summary>What is stored about the contributor <paramref name="credential"/> proves, or null when it proves nobody of this collectivité.</summary>
    public async Task<ContributorRecord?> RecordAsync(QuestionnaireAccess access, string? credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (await LoadAsync(access, credential, cancellationToken) is not var (participant, contributor))
        {
            return null;
        }
        var stored = new Contributor { Id = contributor.Id, ParticipantId = contributor.ParticipantId, Name = contributor.Name, Email = contributor.Email, CreatedAt = contributor.CreatedAt };
        // The records that name them are exactly those their erasure would change: it runs, is read back and is dropped.
        await Erasure.ContributorAsync(db, participant, contributor, cancellationToken);
        var answers = Changed<Answer>().OrderBy(a => a.QuestionId, StringComparer.Ordinal).ToList();
        var entries = Changed<AuditEntry>().OrderBy(a => a.At).ThenBy(a => a.Id).ToList();
        var submitted = Changed<Participant>().Any();
        db.ChangeTracker.Clear();
        return new ContributorRecord(stored, answers, entries, submitted);
    }

    /// <summary>
    /// Erases the identity of the contributor <paramref name="credential"/> proves, with an audit entry that keeps the
    /// counts and never the erased values; null (nothing done) when it proves nobody of this collectivité.
    /// </summary>
    public async Task<ErasureCounts?> EraseAsync(QuestionnaireAccess access, string? credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await LoadAsync(access, credential, cancellationToken) is not var (participant, contributor))
        {
            return null;
        }
        var counts = await Erasure.ContributorAsync(db, participant, contributor, cancellationToken);
        var neutral = PersonalData.NeutralName(contributor.Id);
        db.AuditEntries.Add(AuditEntry.Of(clock.GetUtcNow().UtcDateTime, access.CampaignId, participant.Id, Actor.Link(access.Code, neutral), AuditAction,
            neutral, null, counts.ToString()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        // This server signs their next answers with the neutral name at once; see docs/privacy.md for other servers.
        links.AddContributor(contributor.Id, new CachedContributor(participant.Id, neutral));
        return counts;
    }

    private async Task<(Participant, Contributor)?> LoadAsync(QuestionnaireAccess access, string? credential, CancellationToken cancellationToken)
    {
        if (_credentials.ContributorOf(access.ParticipantId, credential) is not { } contributorId)
        {
            return null;
        }
        var participant = await db.Participants.SingleAsync(p => p.Id == access.ParticipantId, cancellationToken);
        var contributor = await db.Contributors.SingleOrDefaultAsync(c => c.Id == contributorId && c.ParticipantId == participant.Id, cancellationToken);
        return contributor is null ? null : (participant, contributor);
    }

    /// <summary>The rows of a type the erasure changed, with the values they had before.</summary>
    private IEnumerable<T> Changed<T>()
        where T : class =>
        db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Modified).Select(e => (T)e.OriginalValues.ToObject());
}
