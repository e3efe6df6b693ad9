using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin;

/// <summary>
/// Where an invited operator chooses their password with the one-time link of <see cref="OperatorAccounts.InviteAsync"/>
/// (open without signing in): an unknown, used or expired link is a 404 that says so.
/// </summary>
public sealed class InvitationModel(OperatorAccounts accounts) : AdminPage
{
    [FromRoute]
    public string Token { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty]
    public string Confirmation { get; set; } = "";

    /// <summary>The invited account, or null when the link opens nothing.</summary>
    public OperatorAccount? Account { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Whether the password was just chosen.</summary>
    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Account = await accounts.FindInvitationAsync(Token, cancellationToken);
        return Account is null ? Unknown() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Account = await accounts.FindInvitationAsync(Token, cancellationToken);
        if (Account is null)
        {
            return Unknown();
        }
        if (!string.Equals(Password, Confirmation, StringComparison.Ordinal))
        {
            Error = "Les deux saisies du mot de passe diffèrent.";
        }
        else if (await accounts.AcceptInvitationAsync(Token, Password, cancellationToken) is InvitationAcceptance.Refused refused)
        {
            Error = refused.Reason;
        }
        else
        {
            Done = true;
            return Page();
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Unknown()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
