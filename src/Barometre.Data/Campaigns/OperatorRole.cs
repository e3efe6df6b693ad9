namespace Barometre.Data.Campaigns;

/// <summary>
/// What an operator account or an API key may do. Administrators see every campaign; campaign managers and
/// analysts only the campaigns they are given (<see cref="CampaignAssignment"/>).
/// </summary>
public enum OperatorRole
{
    /// <summary>Accounts, API keys and every campaign. Accounts and keys from before roles existed are administrators.</summary>
    Administrator = 1,

    /// <summary>Runs the campaigns it is given: panel, links, follow-up, answers, closing, publication.</summary>
    CampaignManager = 2,

    /// <summary>The aggregated results and exports of the campaigns it is given; never an individual answer, comment or evidence.</summary>
    Analyst = 3,
}

/// <summary>A campaign given to an operator account or to an API key (exactly one of the two).</summary>
public sealed class CampaignAssignment
{
    public int Id { get; set; }

    public int CampaignId { get; set; }

    public Campaign? Campaign { get; set; }

    /// <summary>The account given the campaign, or null for a key's assignment.</summary>
    public int? OperatorAccountId { get; set; }

    /// <summary>The API key given the campaign, or null for an account's assignment.</summary>
    public int? ApiKeyId { get; set; }

    public DateTime CreatedAt { get; set; }
}
