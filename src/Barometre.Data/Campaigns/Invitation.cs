namespace Barometre.Data.Campaigns;

/// <summary>
/// An invitation link of a collectivité. The link carries a random token (256 bits); only its SHA-256
/// hash is stored, so the database cannot give the links away.
/// </summary>
public sealed class Invitation
{
    public int Id { get; set; }

    public int ParticipantId { get; set; }

    public Participant? Participant { get; set; }

    /// <summary>SHA-256 of the token, lower-case hex.</summary>
    public required string TokenHash { get; set; }

    /// <summary>
    /// The token encrypted with the app's data-protection keys (<see cref="InvitationLinkVault"/>), so that a reminder can
    /// carry the same link; null for links issued before e-mail sending existed.
    /// </summary>
    public string? ProtectedToken { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>Whether the link opens the questionnaire at <paramref name="now"/>.</summary>
    public bool IsActive(DateTime now) => RevokedAt is null && ExpiresAt > now;
}
