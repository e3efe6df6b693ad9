namespace Barometre.Data.Campaigns;

/// <summary>An operator who signs in to run campaigns.</summary>
public sealed class OperatorAccount
{
    public int Id { get; set; }

    /// <summary>The e-mail address, lower-case: the sign-in name.</summary>
    public required string Email { get; set; }

    /// <summary>ASP.NET Core Identity's password hash (PBKDF2 with a per-password salt).</summary>
    public required string PasswordHash { get; set; }

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
