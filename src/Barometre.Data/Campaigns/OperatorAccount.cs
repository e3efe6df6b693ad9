namespace Barometre.Data.Campaigns;

/// <summary>An operator who signs in to run campaigns.</summary>
public sealed class OperatorAccount
{
    public int Id { get; set; }

    /// <summary>The e-mail address, lower-case: the sign-in name.</summary>
    public required string Email { get; set; }

    /// <summary>
    /// ASP.NET Core Identity's password hash (PBKDF2 with a per-password salt); empty for an account that signs in
    /// only through its identity provider or has not yet chosen its password (no password then verifies).
    /// </summary>
    public required string PasswordHash { get; set; }

    /// <summary>What the account may do; the campaigns it is given are its <see cref="CampaignAssignment"/>s.</summary>
    public OperatorRole Role { get; set; } = OperatorRole.Analyst;

    /// <summary>The given name, from the identity provider or the invitation; null when unknown.</summary>
    public string? GivenName { get; set; }

    /// <summary>The family name (ProConnect's <c>usual_name</c>), from the identity provider or the invitation; null when unknown.</summary>
    public string? FamilyName { get; set; }

    /// <summary>The identity provider's issuer the account is linked to (with <see cref="ExternalSubject"/>); null for a local account.</summary>
    public string? ExternalIssuer { get; set; }

    /// <summary>The provider's stable identifier of the person (<c>sub</c>); null for a local account.</summary>
    public string? ExternalSubject { get; set; }

    /// <summary>SHA-256 of the one-time link an invited operator chooses a password with; null when none is pending.</summary>
    public string? InvitationHash { get; set; }

    /// <summary>When <see cref="InvitationHash"/>'s link stops working.</summary>
    public DateTime? InvitationExpiresAt { get; set; }

    /// <summary>The last successful sign-in, by password or through the identity provider.</summary>
    public DateTime? LastSignInAt { get; set; }

    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Changes whenever the account's sessions must end (sign-out, new password, disabling): every signed-in
    /// session carries the stamp it was opened with and is refused once it differs.
    /// </summary>
    public string SecurityStamp { get; set; } = "";

    /// <summary>When the account was disabled (no sign-in, sessions ended); null while active.</summary>
    public DateTime? DisabledAt { get; set; }
}
