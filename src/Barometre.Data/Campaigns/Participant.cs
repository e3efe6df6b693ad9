namespace Barometre.Data.Campaigns;

/// <summary>A collectivité of a campaign's panel.</summary>
public sealed class Participant
{
    public int Id { get; set; }

    public int CampaignId { get; set; }

    public Campaign? Campaign { get; set; }

    /// <summary>Its code (unique in the campaign).</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public string? Type { get; set; }

    public long? Population { get; set; }

    public string? Region { get; set; }

    /// <summary>Where its invitation is sent.</summary>
    public string? Email { get; set; }

    /// <summary>When a message to <see cref="Email"/> bounced; no message goes to it until the address is corrected.</summary>
    public DateTime? EmailBouncedAt { get; set; }

    /// <summary>When its answers were submitted; null while not submitted.</summary>
    public DateTime? SubmittedAt { get; set; }

    /// <summary>Who submitted (contributor name), for the follow-up.</summary>
    public string? SubmittedBy { get; set; }

    /// <summary>The contributor who submits for the collectivité; null until one is designated.</summary>
    public int? LeadContributorId { get; set; }

    public List<Answer> Answers { get; set; } = [];

    public List<Contributor> Contributors { get; set; } = [];

    public List<Invitation> Invitations { get; set; } = [];
}
