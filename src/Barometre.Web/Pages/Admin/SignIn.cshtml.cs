using System.Security.Claims;
using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Admin;

/// <summary>The operators' sign-in; repeated failures lock the account for a while.</summary>
public sealed class SignInModel(OperatorAccounts accounts) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [FromQuery(Name = "ReturnUrl")]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        switch (await accounts.SignInAsync(Email, Password, cancellationToken))
        {
            case SignInOutcome.Success success:
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, success.Account.Email), new Claim(ClaimTypes.NameIdentifier, success.Account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                    WebSetup.OperatorScheme);
                await HttpContext.SignInAsync(WebSetup.OperatorScheme, new ClaimsPrincipal(identity));
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
            case SignInOutcome.LockedOut locked:
                Error = $"Trop d'essais infructueux : ce compte est bloqué jusqu'à {locked.Until.ToLocalTime():HH:mm}. Réessayez plus tard.";
                break;
            default:
                Error = "Adresse ou mot de passe incorrect.";
                break;
        }
        Password = "";
        return Page();
    }
}
