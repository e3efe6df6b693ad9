namespace Barometre.Data.Campaigns;

/// <summary>
/// A key for the operators' API (campaign state, exports), created with <c>barometre apikey add</c>.
/// Like invitation tokens, only its SHA-256 hash is stored.
/// </summary>
public sealed class ApiKey
{
    public int Id { get; set; }

    /// <summary>What the key is for (« rédaction data », « tableau de bord interne »).</summary>
    public required string Name { get; set; }

    /// <summary>SHA-256 of the key, lower-case hex.</summary>
    public required string KeyHash { get; set; }

    /// <summary>What the key may read; the campaigns it is given are its <see cref="CampaignAssignment"/>s.</summary>
    public OperatorRole Role { get; set; } = OperatorRole.Analyst;

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}
