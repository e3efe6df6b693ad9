using Barometre.Data.Campaigns;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Admin;

/// <summary>
/// Signs the operator out everywhere (POST only, with antiforgery): the account gets a new security stamp, which
/// ends every session it has, on every browser and every instance. A session opened through the identity provider
/// then ends at the provider too: the browser goes there (RP-initiated logout) and comes back to the sign-in page.
/// </summary>
public sealed partial class SignOutModel(OperatorAccounts accounts, WebOptions options, ILogger<SignOutModel> logger) : PageModel
{
    /// <summary>Whether the session was opened through the identity provider (its sign-out follows).</summary>
    public bool ThroughProvider { get; private set; }

    /// <summary>The provider's name.</summary>
    public string ProviderName => options.Oidc.Name;

    public async Task<IActionResult> OnGetAsync()
    {
        if (OperatorSessions.AccountId(User) is null)
        {
            return Redirect("/admin/connexion");
        }
        ThroughProvider = options.Oidc.IsConfigured && await ProviderSignIn.IdTokenAsync(HttpContext) is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var idToken = options.Oidc.IsConfigured && OperatorSessions.AccountId(User) is not null ? await ProviderSignIn.IdTokenAsync(HttpContext) : null;
        if (OperatorSessions.AccountId(User) is { } id)
        {
            await accounts.EndSessionsAsync(id, cancellationToken);
        }
        await HttpContext.SignOutAsync(WebSetup.OperatorScheme);
        if (idToken is not null)
        {
            try
            {
                await ProviderSignIn.SignOutAtProviderAsync(HttpContext, idToken);
                return new EmptyResult();
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
            {
                // The provider's metadata could not be read: the sessions here are ended all the same.
                LogProviderUnreachable(logger, e.GetType().Name);
            }
        }
        return Redirect("/admin/connexion?deconnexion=1");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Déconnexion auprès du fournisseur d'identité impossible ({Kind}) : la session locale est fermée.")]
    private static partial void LogProviderUnreachable(ILogger logger, string kind);
}
