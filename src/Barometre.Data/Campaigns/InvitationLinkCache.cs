using System.Collections.Concurrent;

namespace Barometre.Data.Campaigns;

/// <summary>
/// What the invitation links used so far point to, and the contributors named so far: facts that never change
/// (an invitation's collectivité, its code and campaign; a contributor's collectivité and name), kept so that
/// saving an answer needs no query before its transaction. Whether a link still opens the questionnaire (not
/// revoked, not expired) does change, and is not cached: every save checks it again in its transaction.
/// Keyed by the token's hash, like the database. One cache serves one database; bounded.
/// </summary>
public sealed class InvitationLinkCache
{
    /// <summary>Entries kept at most; past that the cache starts again empty (a panel of all French communes fits).</summary>
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, AnswerLink> _links = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<int, CachedContributor> _contributors = new();

    /// <summary>The link of a token hash, if it was resolved before.</summary>
    public bool TryGetLink(string tokenHash, out AnswerLink link) => _links.TryGetValue(tokenHash, out link!);

    /// <summary>Remembers what a token hash points to.</summary>
    public void AddLink(string tokenHash, AnswerLink link) => Add(_links, tokenHash, link);

    /// <summary>A contributor's collectivité and name, if seen before.</summary>
    public bool TryGetContributor(int contributorId, out CachedContributor contributor) => _contributors.TryGetValue(contributorId, out contributor);

    /// <summary>Remembers a contributor's collectivité and name.</summary>
    public void AddContributor(int contributorId, CachedContributor contributor) => Add(_contributors, contributorId, contributor);

    private static void Add<TKey, TValue>(ConcurrentDictionary<TKey, TValue> entries, TKey key, TValue value)
        where TKey : notnull
    {
        if (entries.Count >= Capacity)
        {
            entries.Clear();
        }
        entries[key] = value;
    }
}

/// <summary>A contributor as the cache keeps it.</summary>
public readonly record struct CachedContributor(int ParticipantId, string Name);
