namespace Barometre.Data.Mail;

/// <summary>
/// Which instance of the app sends the scheduled mail now: a row taken and renewed by one atomic UPDATE, so that of
/// several instances on one database one sends at a time; a holder that stops lets it expire.
/// </summary>
public sealed class SenderLease
{
    /// <summary>The only lease's name.</summary>
    public const string Mail = "mail";

    public required string Name { get; set; }

    /// <summary>The instance holding it (host, process, a random part), or null.</summary>
    public string? Holder { get; set; }

    public DateTime ExpiresAt { get; set; }
}
