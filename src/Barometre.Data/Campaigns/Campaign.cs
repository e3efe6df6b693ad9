namespace Barometre.Data.Campaigns;

/// <summary>Where a campaign is in its life.</summary>
public enum CampaignStatus
{
    /// <summary>Collecting answers.</summary>
    Open = 0,

    /// <summary>Collection closed; collectivités may still see and correct their answers until the review ends.</summary>
    Review = 1,

    /// <summary>Answers frozen; the results snapshot is computed.</summary>
    Closed = 2,
}

/// <summary>A campaign (édition) of a barometer: a maturity model put to a panel of collectivités.</summary>
public sealed class Campaign
{
    public int Id { get; set; }

    /// <summary>The operator's name for it (« Baromètre 2026 »).</summary>
    public required string Name { get; set; }

    /// <summary>The maturity model's id.</summary>
    public required string ModelId { get; set; }

    /// <summary>
    /// The model file's text as it was at creation: the campaign keeps its questionnaire even if the
    /// model file changes later.
    /// </summary>
    public required string ModelSource { get; set; }

    public CampaignStatus Status { get; set; }

    /// <summary>Whom the collectivités ask about the campaign: a person or a service (<see cref="CampaignContact"/>), or null.</summary>
    public string? ContactName { get; set; }

    /// <summary>The address the collectivités write to about the campaign (<see cref="CampaignContact"/>), or null.</summary>
    public string? ContactEmail { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When collection closed (the review, if any, starts then).</summary>
    public DateTime? ClosedAt { get; set; }

    /// <summary>End of the review window, when answers may still be corrected; null without review.</summary>
    public DateTime? ReviewEndsAt { get; set; }

    /// <summary>When answers were frozen and the results computed.</summary>
    public DateTime? FrozenAt { get; set; }

    /// <summary>How long a new invitation link stays valid.</summary>
    public int InvitationDays { get; set; } = 120;

    /// <summary>
    /// Statistical secrecy: no figure is published for a group of fewer collectivités than this (5 by
    /// default), nor any group a filter would reveal by difference.
    /// </summary>
    public int SecrecyThreshold { get; set; } = 5;

    /// <summary>When the results were made public; null while they are not.</summary>
    public DateTime? PublishedAt { get; set; }

    /// <summary>Increases at every publication: cached public figures of an older publication are dropped.</summary>
    public int PublicationVersion { get; set; }

    /// <summary>
    /// The earlier edition this campaign follows (a closed campaign whose model the campaign's model follows), or null:
    /// collectivités are matched by code between the two, and the results show what changed.
    /// </summary>
    public int? PreviousCampaignId { get; set; }

    /// <summary>
    /// How many months after the campaign is closed (its results frozen) its personal data are kept: contributors' names
    /// and e-mails, the collectivités' addresses, the names in the audit trail (<see cref="Privacy.PersonalData"/>).
    /// </summary>
    public int RetentionMonths { get; set; } = Privacy.PersonalData.DefaultRetentionMonths;

    /// <summary>When the campaign's personal data were first erased (<see cref="Privacy.PersonalDataPurge"/>); null while they are kept.</summary>
    public DateTime? PersonalDataErasedAt { get; set; }

    public Campaign? PreviousCampaign { get; set; }

    public List<Participant> Participants { get; set; } = [];
}
