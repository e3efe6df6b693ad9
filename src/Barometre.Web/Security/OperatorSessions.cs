using System.Globalization;
using System.Security.Claims;
using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Barometre.Web.Security;

/// <summary>
/// Operators' sessions, held on the server: the cookie carries the account's security stamp, and every request
/// checks it against the database (one query by primary key; operators are few). Sign-out, a new password,
/// disabling and removing the account change or delete the stamp, which ends every session at once, on every
/// instance.
/// </summary>
internal static class OperatorSessions
{
    /// <summary>The claim holding the stamp the session was opened with.</summary>
    public const string StampClaim = "barometre:stamp";

    /// <summary>The cookie's events: every request's session is checked.</summary>
    public static CookieAuthenticationEvents Events => new() { OnValidatePrincipal = ValidateAsync };

    /// <summary>The principal of a session opened now for <paramref name="account"/>.</summary>
    public static ClaimsPrincipal Principal(OperatorAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.Email),
                new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(StampClaim, account.SecurityStamp),
            ],
            WebSetup.OperatorScheme));
    }

    /// <summary>The signed-in operator's account id, or null.</summary>
    public static int? AccountId(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id : null;

    /// <summary>Refuses a cookie whose account is gone or disabled, or whose stamp is no longer the account's.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        if (AccountId(context.Principal) is { } id && !string.IsNullOrEmpty(stamp)
            && await context.HttpContext.RequestServices.GetRequiredService<OperatorAccounts>().IsSessionCurrentAsync(id, stamp, context.HttpContext.RequestAborted))
        {
            return;
        }
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(WebSetup.OperatorScheme);
    }
}
