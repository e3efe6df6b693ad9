using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>The operators' API keys: created from the command line, shown once, stored as hashes, revocable.</summary>
public sealed class ApiKeys(BarometreDbContext db, TimeProvider clock)
{
    /// <summary>The prefix of every key, so that a leaked one is recognisable.</summary>
    public const string Prefix = "brm_";

    /// <summary>Why a key cannot have this name, in French; null when it can.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Donnez un nom à la clé (à quoi elle sert, « rédaction data »)."
        : TextRules.Problem(name.Trim(), "Le nom de la clé", FieldLimits.Name, multiline: false);

    /// <summary>Creates a key; the returned text is the only time it is visible.</summary>
    /// <param name="name">What the key is for (checked first with <see cref="NameProblem"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<(ApiKey Key, string Secret)> AddAsync(string name, CancellationToken cancellationToken = default)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
        var (token, _) = InvitationTokens.Create();
        var secret = Prefix + token;
        var key = new ApiKey { Name = name.Trim(), KeyHash = InvitationTokens.Hash(secret), CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return (key, secret);
    }

    /// <summary>The active key a secret matches, or null; records its use.</summary>
    public async Task<ApiKey?> VerifyAsync(string? secret, CancellationToken cancellationToken = default)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal) || !InvitationTokens.IsWellFormed(secret[Prefix.Length..]))
        {
            return null;
        }
        var hash = InvitationTokens.Hash(secret);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, cancellationToken);
        if (key is not null)
        {
            // Every API request comes through here: one UPDATE of the column, without tracking the key.
            var now = clock.GetUtcNow().UtcDateTime;
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(k => k.SetProperty(x => x.LastUsedAt, now), cancellationToken);
            key.LastUsedAt = now;
        }
        return key;
    }

    /// <summary>The keys, newest first.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(cancellationToken);

    /// <summary>Revokes a key; false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(int id, CancellationToken cancellationToken = default) =>
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, clock.GetUtcNow().UtcDateTime), cancellationToken) > 0;
}
