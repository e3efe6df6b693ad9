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

    /// <summary>Creates an administrator's key (what <c>barometre apikey add</c> does without <c>--role</c>); the returned text is the only time it is visible.</summary>
    /// <param name="name">What the key is for (checked first with <see cref="NameProblem"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<(ApiKey Key, string Secret)> AddAsync(string name, CancellationToken cancellationToken = default) =>
        await AddAsync(name, OperatorRole.Administrator, [], Actor.Command, cancellationToken) switch
        {
            ApiKeyOutcome.Created created => (created.Key, created.Secret),
            ApiKeyOutcome.Refused refused => throw new ArgumentException(refused.Reason, nameof(name)),
            _ => throw new InvalidOperationException(),
        };

    /// <summary>Creates a key with a role and the campaigns it is given; the secret is the only time it is visible.</summary>
    /// <param name="name">What the key is for.</param>
    /// <param name="role">What it may read (<see cref="OperatorPrincipal"/>).</param>
    /// <param name="campaigns">The ids of the campaigns it is given (an administrator's key reads them all).</param>
    /// <param name="actor">Who creates it, for the operators' audit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<ApiKeyOutcome> AddAsync(string name, OperatorRole role, IReadOnlyCollection<int> campaigns, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(actor);
        if ((NameProblem(name) ?? await CampaignGrants.ProblemAsync(db, campaigns, cancellationToken)) is { } problem)
        {
            return new ApiKeyOutcome.Refused(problem);
        }
        var (token, _) = InvitationTokens.Create();
        var secret = Prefix + token;
        var now = clock.GetUtcNow().UtcDateTime;
        var key = new ApiKey { Name = name.Trim(), KeyHash = InvitationTokens.Hash(secret), Role = role, CreatedAt = now };
        // The key's id is known once saved: the two saves are one transaction, so that nothing is half-written.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        CampaignGrants.Replace(db, a => a.ApiKeyId == key.Id, new HashSet<int>(), campaigns, id => new CampaignAssignment { CampaignId = id, ApiKeyId = key.Id, CreatedAt = now });
        db.OperatorAudit.Add(new OperatorAuditEntry
        {
            At = now, Actor = actor.Name, Action = "apikey.add", Subject = Subject(key),
            NewValue = $"{OperatorRoles.Label(role)} ; campagnes : {CampaignGrants.Describe(campaigns)}",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiKeyOutcome.Created(key, secret);
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

    /// <summary>The ids of the campaigns each key is given, by key id.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<int>>> CampaignsAsync(CancellationToken cancellationToken = default) =>
        (await db.CampaignAssignments.AsNoTracking().Where(a => a.ApiKeyId != null).Select(a => new { Key = a.ApiKeyId!.Value, a.CampaignId }).ToListAsync(cancellationToken))
            .GroupBy(a => a.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<int>)[.. g.Select(a => a.CampaignId).Order()]);

    /// <summary>Revokes a key; false when there is no such active key.</summary>
    public Task<bool> RevokeAsync(int id, CancellationToken cancellationToken = default) => RevokeAsync(id, Actor.Command, cancellationToken);

    /// <summary>Revokes a key, audited; false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(int id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.RevokedAt == null, cancellationToken) is not { } key)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        key.RevokedAt = now;
        db.OperatorAudit.Add(new OperatorAuditEntry { At = now, Actor = actor.Name, Action = "apikey.revoke", Subject = Subject(key) });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>How the operators' audit names a key: « clé n° 3 (rédaction data) ».</summary>
    private static string Subject(ApiKey key) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"clé n° {key.Id} ({key.Name})");
}

/// <summary>The result of creating an API key.</summary>
public abstract record ApiKeyOutcome
{
    /// <summary>Created: <paramref name="Secret"/> is shown once, only its hash is kept.</summary>
    public sealed record Created(ApiKey Key, string Secret) : ApiKeyOutcome;

    /// <summary>Refused (a bad name, an unknown campaign), in French; nothing was written.</summary>
    public sealed record Refused(string Reason) : ApiKeyOutcome;
}
