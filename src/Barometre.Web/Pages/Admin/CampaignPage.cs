using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Admin;

/// <summary>What the operator's pages share: the signed-in operator and the flash message after a redirect.</summary>
public abstract class AdminPage : PageModel
{
    /// <summary>The key of the message shown once on the next page.</summary>
    public const string FlashKey = "admin.flash";

    /// <summary>The key of its kind (« success », « warning », « error »).</summary>
    public const string FlashKindKey = "admin.flash.kind";

    /// <summary>The operator, as the audit trail names them.</summary>
    protected Actor Operator => Actor.Operator(User.Identity!.Name!);

    /// <summary>The signed-in operator's role and campaigns (what <see cref="OperatorPrincipal.May"/> decides on).</summary>
    protected async Task<OperatorPrincipal> PrincipalAsync(CancellationToken cancellationToken) =>
        await HttpContext.RequestServices.GetRequiredService<Security.CurrentOperator>().GetAsync(User, cancellationToken)
            ?? throw new InvalidOperationException("An operator's page ran without a signed-in operator.");

    /// <summary>The site's root address as the request saw it (forwarded headers applied): invitation links start with it.</summary>
    protected Uri SiteRoot => new($"{Request.Scheme}://{Request.Host.ToUriComponent()}{Request.PathBase.ToUriComponent()}");

    /// <summary>Shows a message once, on the page the browser is redirected to.</summary>
    protected void Flash(string message, string kind = "success")
    {
        TempData[FlashKey] = message;
        TempData[FlashKindKey] = kind;
    }
}

/// <summary>A page of one campaign (<c>/admin/campagnes/{id}/…</c>): an unknown campaign is a 404.</summary>
public abstract class CampaignPage(CampaignQueries queries) : AdminPage
{
    protected CampaignQueries Queries { get; } = queries;

    [FromRoute(Name = "id")]
    public int CampaignId { get; set; }

    public Campaign Campaign { get; private set; } = null!;

    /// <summary>The campaign's base address.</summary>
    public string CampaignPath => $"/admin/campagnes/{CampaignId}";

    /// <summary>Loads the campaign of the route; false when there is none.</summary>
    protected async Task<bool> LoadCampaignAsync(CancellationToken cancellationToken)
    {
        if (await Queries.FindAsync(CampaignId, cancellationToken) is not { } campaign)
        {
            return false;
        }
        Campaign = campaign;
        ViewData["Context"] = campaign.Name;
        return true;
    }

    /// <summary>The first problems of an input, as the page lists them, with the total count.</summary>
    protected static ProblemList Problems(IReadOnlyList<Data.Import.InputProblem> problems, int? total = null) =>
        new(problems, total ?? problems.Count);
}

/// <summary>The problems of an uploaded file, as the pages list them: the first ones and the total.</summary>
/// <param name="Items">The problems kept (at most a few thousand).</param>
/// <param name="Total">How many were found in all.</param>
public sealed record ProblemList(IReadOnlyList<Data.Import.InputProblem> Items, int Total);
