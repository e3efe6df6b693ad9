using Barometre.Web.Publication;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Results;

/// <summary>The published campaigns.</summary>
public sealed class IndexModel(PublishedResults published) : PageModel
{
    public IReadOnlyList<PublishedCampaign> Campaigns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Campaigns = await published.ListAsync(cancellationToken);
}
