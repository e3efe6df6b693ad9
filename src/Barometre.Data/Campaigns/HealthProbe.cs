namespace Barometre.Data.Campaigns;

/// <summary>
/// The last write of an instance's readiness check (<c>/health</c>): a database that answers reads but
/// cannot write (full disk, read-only file or role) is not ready to take answers.
/// </summary>
public sealed class HealthProbe
{
    /// <summary>The instance that wrote (host name and process).</summary>
    public required string Instance { get; set; }

    public DateTime At { get; set; }
}
