namespace Barometre.Data.Campaigns;

/// <summary>
/// One change to the operators' accounts or API keys (invitation, role, campaigns, disabling, removal, key created or
/// revoked): who, when, what, old → new. Entries are only ever added; they concern no campaign, so they live apart
/// from the campaigns' <see cref="AuditEntry"/>.
/// </summary>
public sealed class OperatorAuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary>Who made the change (« opérateur alice@exemple.fr », « commande barometre »).</summary>
    public required string Actor { get; set; }

    /// <summary>What was done: account.invite, account.role, account.campaigns, account.disable, apikey.add…</summary>
    public required string Action { get; set; }

    /// <summary>The account's address or the key's number and name.</summary>
    public required string Subject { get; set; }

    public string? OldValue { get; set; }

    public string? NewValue { get; set; }
}
