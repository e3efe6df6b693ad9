using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Mail;

/// <summary>
/// The sender lease (<see cref="SenderLease"/>): taken or renewed by one conditional UPDATE — free, expired, or already
/// this holder's — so that of several servers on one database one sends at a time. PostgreSQL re-checks the condition on
/// the row's latest version when two UPDATEs meet, SQLite runs them one after the other: the second finds it taken.
/// </summary>
public static class MailLease
{
    /// <summary>Takes or renews the lease for <paramref name="duration"/>; false when another holder has it.</summary>
    public static async Task<bool> TryTakeAsync(BarometreDbContext db, string holder, DateTime now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var until = now + duration;
        return await db.SenderLeases
            .Where(l => l.Name == SenderLease.Mail && (l.Holder == null || l.Holder == holder || l.ExpiresAt <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), cancellationToken) == 1;
    }

    /// <summary>Gives the lease up (a server stopping), so that another takes it without waiting for it to expire.</summary>
    public static Task<int> ReleaseAsync(BarometreDbContext db, string holder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.SenderLeases.Where(l => l.Name == SenderLease.Mail && l.Holder == holder)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Holder, (string?)null), cancellationToken);
    }
}
