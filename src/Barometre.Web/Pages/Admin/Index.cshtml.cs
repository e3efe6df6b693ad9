using Barometre.Data.Campaigns;

namespace Barometre.Web.Pages.Admin;

/// <summary>The operator's home: every campaign, most recent first.</summary>
public sealed class IndexModel(CampaignQueries queries) : AdminPage
{
    public IReadOnlyList<Campaign> Campaigns { get; private set; } = [];

    public IReadOnlyDictionary<int, CampaignCounts> Counts { get; private set; } = new Dictionary<int, CampaignCounts>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Campaigns = await queries.ListAsync(cancellationToken);
        Counts = await queries.CountsAsync(cancellationToken);
    }
}
