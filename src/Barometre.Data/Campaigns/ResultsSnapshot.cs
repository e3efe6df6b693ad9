namespace Barometre.Data.Campaigns;

/// <summary>The results of a closed campaign, computed once and never changed.</summary>
public sealed class ResultsSnapshot
{
    public int CampaignId { get; set; }

    public DateTime ComputedAt { get; set; }

    /// <summary>The results JSON (schema of docs/results-schema.md).</summary>
    public required string ResultsJson { get; set; }

    /// <summary>The answers they were computed from, as the wide CSV: the snapshot can be recomputed and audited.</summary>
    public required string ResponsesCsv { get; set; }
}
