namespace Barometre.Data.Campaigns;

/// <summary>One write to a campaign: who, when, what, old → new. Entries are only ever added.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public int CampaignId { get; set; }

    public int? ParticipantId { get; set; }

    /// <summary>« opérateur alice@exemple.fr », « lien de 200046977 (Marie Dupont) », « système ».</summary>
    public required string Actor { get; set; }

    /// <summary>What was done: answer, submit, reopen, invitation.issue, campaign.close…</summary>
    public required string Action { get; set; }

    /// <summary>What it concerns (a question id, a contributor, a link…), or null.</summary>
    public string? Subject { get; set; }

    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    /// <summary>A new entry, not yet added anywhere: the services add theirs to the context, the bulk writes insert theirs past the change tracker.</summary>
    internal static AuditEntry Of(
        DateTime at, int campaignId, int? participantId, Actor actor, string action, string? subject, string? oldValue, string? newValue) => new()
    {
        At = at, CampaignId = campaignId, ParticipantId = participantId, Actor = actor.Name, Action = action, Subject = subject, OldValue = oldValue, NewValue = newValue,
    };
}
