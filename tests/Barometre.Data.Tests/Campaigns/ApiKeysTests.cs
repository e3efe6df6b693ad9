using Barometre.Data.Campaigns;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>The operators' API keys of <see cref="ApiKeys"/>: shown once, stored as hashes, their use recorded, revocable.</summary>
public abstract class ApiKeysTests<TStore>(TStore fixture) : StoreTest<TStore>(fixture)
    where TStore : StoreFixture
{
    [Fact]
    public async Task Add_GivesTheSecretOnceAndStoresOnlyItsHash()
    {
        var (key, secret) = await WithAsync<ApiKeys, (ApiKey, string)>(keys => keys.AddAsync("  rédaction data ", Ct));

        Assert.Matches("^brm_[A-Za-z0-9_-]{43}$", secret);
        var stored = await WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id, Ct));
        Assert.Equal(("rédaction data", InvitationTokens.Hash(secret), Clock.GetUtcNow().UtcDateTime, (DateTime?)null, (DateTime?)null),
            (stored.Name, stored.KeyHash, stored.CreatedAt, stored.RevokedAt, stored.LastUsedAt));
        Assert.DoesNotContain(secret[4..], stored.KeyHash, StringComparison.Ordinal);
        var other = await WithAsync<ApiKeys, (ApiKey Key, string Secret)>(keys => keys.AddAsync("tableau de bord interne", Ct));
        Assert.NotEqual(secret, other.Secret);
        Assert.Equal([other.Key.Id, key.Id], (await WithAsync<ApiKeys, IReadOnlyList<ApiKey>>(keys => keys.ListAsync(Ct))).Take(2).Select(k => k.Id));
    }

    [Theory]
    [InlineData(" ", "Donnez un nom à la clé (à quoi elle sert, « rédaction data »).")]
    [InlineData("clé\tdata", "Le nom de la clé contient un caractère de contrôle (U+0009, position 4) : il tient sur une ligne, sans caractère de contrôle.")]
    public async Task Add_UnusableName_ThrowsTheFrenchReason(string name, string reason)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => WithAsync<ApiKeys, (ApiKey, string)>(keys => keys.AddAsync(name, Ct)));

        Assert.StartsWith(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal(reason, ApiKeys.NameProblem(name));
    }

    [Fact]
    public async Task Verify_RecordsTheUseOfAnActiveKey_AnUnknownMalformedOrRevokedOneIsNobody()
    {
        var (key, secret) = await WithAsync<ApiKeys, (ApiKey, string)>(keys => keys.AddAsync("rédaction data", Ct));
        Clock.Advance(TimeSpan.FromHours(2));

        var verified = await VerifyAsync(secret);
        var unknown = await VerifyAsync(ApiKeys.Prefix + InvitationTokens.Create().Token);
        var withoutPrefix = await VerifyAsync(secret[ApiKeys.Prefix.Length..]);
        var malformed = await VerifyAsync(secret + "=");
        var revoked = await WithAsync<ApiKeys, bool>(keys => keys.RevokeAsync(key.Id, Ct));
        var revokedAgain = await WithAsync<ApiKeys, bool>(keys => keys.RevokeAsync(key.Id, Ct));
        var afterRevocation = await VerifyAsync(secret);

        Assert.Equal((key.Id, (DateTime?)Clock.GetUtcNow().UtcDateTime), (verified?.Id, verified?.LastUsedAt));
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, (await WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id, Ct))).LastUsedAt);
        Assert.Equal((null, null, null), (unknown, withoutPrefix, malformed));
        Assert.Equal((true, false), (revoked, revokedAgain));
        Assert.Null(afterRevocation);
    }

    private Task<ApiKey?> VerifyAsync(string secret) => WithAsync<ApiKeys, ApiKey?>(keys => keys.VerifyAsync(secret, Ct));
}

public sealed class ApiKeysTests_Sqlite(SqliteStore store) : ApiKeysTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class ApiKeysTests_Postgres(PostgresStore store) : ApiKeysTests<PostgresStore>(store), IClassFixture<PostgresStore>;
