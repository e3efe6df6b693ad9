using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Admin;

/// <summary>Signs the operator out (POST only, with antiforgery).</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/admin");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(WebSetup.OperatorScheme);
        return Redirect("/");
    }
}
