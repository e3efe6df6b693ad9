using Barometre.Data.Campaigns;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Admin;

/// <summary>
/// Signs the operator out everywhere (POST only, with antiforgery): the account gets a new security stamp, which
/// ends every session it has, on every browser and every instance.
/// </summary>
public sealed class SignOutModel(OperatorAccounts accounts) : PageModel
{
    public IActionResult OnGet() => OperatorSessions.AccountId(User) is null ? Redirect("/admin/connexion") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (OperatorSessions.AccountId(User) is { } id)
        {
            await accounts.EndSessionsAsync(id, cancellationToken);
        }
        await HttpContext.SignOutAsync(WebSetup.OperatorScheme);
        return Redirect("/admin/connexion?deconnexion=1");
    }
}
