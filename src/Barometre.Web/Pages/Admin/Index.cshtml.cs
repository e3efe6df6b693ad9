using Barometre.Data.Campaigns;

namespace Barometre.Web.Pages.Admin;

/// <summary>The operator's home: the campaigns they see, most recent first.</summary>
[Security.OperatorAccess(OperatorRight.ReadResults)]
public sealed class IndexModel(CampaignQueries queries) : AdminPage
{
    /// <summary>The campaigns the operator sees (all of them for an administrator).</summary>
    public IReadOnlyList<Campaign> Campaigns { get; private set; } = [];

    /// <summary>The signed-in operator's rights, for the links the page offers.</summary>
    public OperatorPrincipal Principal { get; private set; } = null!;

    public IReadOnlyDictionary<int, CampaignCounts> Counts { get; private set; } = new Dictionary<int, CampaignCounts>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var principal = await PrincipalAsync(cancellationToken);
        Campaigns = [.. (await queries.ListAsync(cancellationToken)).Where(c => principal.Sees(c.Id))];
        Principal = principal;
        Counts = await queries.CountsAsync(cancellationToken);
    }
}
