namespace Barometre.Data.Campaigns;

/// <summary>
/// A panel of submitted questionnaires frozen while a campaign collects answers, against which the
/// collectivités' benchmarks are computed until the next release: live figures move only from one
/// release to the next, never with a single submission (<see cref="BenchmarkReleases"/>; docs/security.md, « Statistical secrecy over time »).
/// </summary>
public sealed class BenchmarkRelease
{
    public int Id { get; set; }

    public int CampaignId { get; set; }

    /// <summary>1 for the campaign's first release, then 2, 3…</summary>
    public int Number { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>How many questionnaires the release holds.</summary>
    public int Respondents { get; set; }

    /// <summary>The members' answers as they were at release time, as the wide CSV (like <see cref="ResultsSnapshot.ResponsesCsv"/>).</summary>
    public required string ResponsesCsv { get; set; }
}
