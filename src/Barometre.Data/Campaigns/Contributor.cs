namespace Barometre.Data.Campaigns;

/// <summary>A named person answering for a collectivité through its link.</summary>
public sealed class Contributor
{
    public int Id { get; set; }

    public int ParticipantId { get; set; }

    public Participant? Participant { get; set; }

    public required string Name { get; set; }

    public string? Email { get; set; }

    public DateTime CreatedAt { get; set; }
}
