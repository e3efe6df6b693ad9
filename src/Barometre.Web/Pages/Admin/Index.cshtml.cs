using Barometre.Data.Campaigns;
using Barometre.Data.Storage;

namespace Barometre.Web.Pages.Admin;

/// <summary>The operator's home: every campaign, most recent first.</summary>
public sealed class IndexModel(CampaignAdmin admin, BarometreDbContext db) : AdminPage
{
    public IReadOnlyList<Campaign> Campaigns { get; private set; } = [];

    public IReadOnlyDictionary<int, CampaignCounts> Counts { get; private set; } = new Dictionary<int, CampaignCounts>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Campaigns = await admin.ListAsync(cancellationToken);
        Counts = await new AdminQueries(db).CountsAsync(cancellationToken);
    }
}
