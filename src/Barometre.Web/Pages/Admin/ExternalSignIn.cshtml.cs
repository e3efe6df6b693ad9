using Barometre.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Admin;

/// <summary>
/// Sign-in through the identity provider (ProConnect): the button's form starts it (POST, with antiforgery), and a
/// sign-in the provider or the account rules refused comes back here to be explained (GET, <c>?motif=</c>): 403 for
/// a person refused (domain, disabled account, no account, authentication level, address), 400 for a return that
/// failed (expired, altered or interrupted).
/// </summary>
public sealed class ExternalSignInModel(WebOptions options) : PageModel
{
    /// <summary>Where to go once signed in (a local address only).</summary>
    [BindProperty(SupportsGet = true, Name = "ReturnUrl")]
    public string? ReturnUrl { get; set; }

    /// <summary>Why the sign-in was refused (<see cref="ProviderSignIn.Reason"/>).</summary>
    [FromQuery(Name = "motif")]
    public string? Motif { get; set; }

    /// <summary>The provider's name.</summary>
    public string ProviderName => options.Oidc.Name;

    /// <summary>The page's heading.</summary>
    public string Title { get; private set; } = "";

    /// <summary>What happened and what to do.</summary>
    public string Message { get; private set; } = "";

    public IActionResult OnGet()
    {
        var name = options.Oidc.Name;
        (Title, Message, var status) = Motif switch
        {
            "domaine" => ("Accès refusé", $"Votre adresse électronique n'appartient pas à un domaine admis à se connecter à l'espace opérateur avec {name}. Demandez à un administrateur du baromètre de vous ouvrir l'accès.", StatusCodes.Status403Forbidden),
            "desactive" => ("Accès refusé", "Votre compte opérateur est désactivé. Demandez à un administrateur du baromètre de le réactiver.", StatusCodes.Status403Forbidden),
            "compte" => ("Accès refusé", $"Aucun compte opérateur ne correspond à votre identité {name}, et les comptes ne sont pas créés à la première connexion. Demandez à un administrateur du baromètre de vous en créer un à votre adresse électronique.", StatusCodes.Status403Forbidden),
            "adresse" => ("Accès refusé", $"{name} n'a pas transmis d'adresse électronique utilisable : la connexion à l'espace opérateur est impossible.", StatusCodes.Status403Forbidden),
            "adresse-non-verifiee" => ("Accès refusé", $"{name} indique que votre adresse électronique n'est pas vérifiée : elle ne peut pas ouvrir l'espace opérateur. Vérifiez-la auprès de {name}, puis recommencez.", StatusCodes.Status403Forbidden),
            ProviderSignIn.LevelReason => ("Accès refusé", $"Votre authentification auprès de {name} n'atteint pas le niveau exigé par l'espace opérateur. Connectez-vous avec une méthode plus sûre (double authentification, par exemple), puis recommencez.", StatusCodes.Status403Forbidden),
            _ => ("Connexion interrompue", $"La connexion avec {name} n'a pas abouti : la demande a expiré, a été interrompue ou n'est pas valide. Recommencez depuis la page de connexion.", StatusCodes.Status400BadRequest),
        };
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Sends the browser to the provider (404 when none is configured).</summary>
    public IActionResult OnPost() => options.Oidc.IsConfigured
        ? Challenge(new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/admin" }, ProviderSignIn.Scheme)
        : NotFound();
}
