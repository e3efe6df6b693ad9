using System.Globalization;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Invitations;

/// <summary>
/// Issues invitation links and hands them over at once as a CSV download: the tokens exist only in
/// that file (the database keeps their hash).
/// </summary>
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class InvitationsModel(CampaignQueries queries, CampaignInvitations invitations) : CampaignPage(queries)
{
    /// <summary>Ticked to re-issue every link.</summary>
    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>The file's format (<see cref="TableFormats.Names"/>), CSV when none is chosen.</summary>
    [BindProperty]
    public string? Format { get; set; }

    public int Total { get; private set; }

    public int WithLink { get; private set; }

    public int WithoutEmail { get; private set; }

    public string? Error { get; private set; }

    public string? Info { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    /// <summary>Links for the collectivités without an active one.</summary>
    public async Task<IActionResult> OnPostMissingAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (TableDownloads.Parse(Format) is not { } format)
        {
            Error = TableDownloads.UnknownFormat(Format);
            return Page();
        }
        var issued = await invitations.IssueAsync(CampaignId, reissueAll: false, Operator, cancellationToken: cancellationToken);
        if (issued.Count == 0)
        {
            Info = Total == 0
                ? "Le panel est vide : importez d'abord des collectivités."
                : "Aucun lien à émettre : toutes les collectivités ont déjà un lien actif. Pour en changer, réémettez tous les liens ci-dessous ou celui d'une collectivité depuis sa page.";
            return Page();
        }
        return Links(issued, format);
    }

    /// <summary>New links for every collectivité; the previous ones stop working.</summary>
    public async Task<IActionResult> OnPostAllAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (!Confirm)
        {
            Error = "Cochez la case de confirmation : réémettre tous les liens désactive ceux déjà envoyés.";
            return Page();
        }
        // Checked before any link is issued: a link exists only in the file.
        if (TableDownloads.Parse(Format) is not { } format)
        {
            Error = TableDownloads.UnknownFormat(Format);
            return Page();
        }
        var issued = await invitations.IssueAsync(CampaignId, reissueAll: true, Operator, cancellationToken: cancellationToken);
        if (issued.Count == 0)
        {
            Info = "Le panel est vide : importez d'abord des collectivités.";
            return Page();
        }
        return Links(issued, format);
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "invitations";
        var progress = await Queries.FollowUpAsync(CampaignId, cancellationToken);
        Total = progress.Count;
        WithLink = progress.Count(p => p.ActiveInvitation is not null);
        WithoutEmail = progress.Count(p => string.IsNullOrWhiteSpace(p.Participant.Email));
        return true;
    }

    /// <summary>The links as the mail-merge file (<see cref="InvitationLinksCsv"/>) in the chosen format.</summary>
    private FileContentResult Links(IReadOnlyList<IssuedInvitation> issued, TableFormat format)
    {
        // The file holds live links: no cache anywhere.
        Response.Headers.CacheControl = "no-store";
        return TableDownloads.File(format, $"liens-campagne-{CampaignId.ToString(CultureInfo.InvariantCulture)}", buffer => InvitationLinksCsv.Write(buffer, issued, SiteRoot, format));
    }
}
