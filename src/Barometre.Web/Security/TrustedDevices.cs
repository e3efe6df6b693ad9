using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Barometre.Web.Security;

/// <summary>
/// Browsers an operator signed in from: after a successful sign-in the browser keeps a cookie naming the address
/// and a random device id, signed and encrypted with the app's data-protection keys (shared by every instance),
/// sent back only to the sign-in page. An attempt from such a browser for that address is not held by the account's
/// lock nor by the per-address limit, which strangers can exhaust; it has its own failure budget instead
/// (<see cref="SignInLimits"/>). Strangers can thus delay sign-ins from new browsers, never the operator's own.
/// A device cookie opens no session: the password is still checked.
/// </summary>
public sealed class TrustedDevices(IDataProtectionProvider dataProtection, TimeProvider clock)
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "barometre.appareil";

    /// <summary>How long a browser stays recognised after its last successful sign-in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private const string SignInPath = "/admin/connexion";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Barometre.Web.TrustedDevices.v1");

    /// <summary>The device id of the request's browser when it signed in to <paramref name="address"/> before; else null.</summary>
    public string? Recognise(HttpContext context, string address)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            return null;
        }
        // « device id \n address \n expiry (Unix seconds) »: the address holds no line break (NormaliseEmail).
        var parts = payload.Split('\n');
        return parts.Length == 3
            && string.Equals(parts[1], address, StringComparison.Ordinal)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && clock.GetUtcNow().ToUnixTimeSeconds() < expires
            ? parts[0]
            : null;
    }

    /// <summary>Recognises the browser for <paramref name="address"/> from now on (keeping its id when it had one).</summary>
    public void Trust(HttpContext context, string address, string? device)
    {
        device ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = clock.GetUtcNow() + Lifetime;
        context.Response.Cookies.Append(CookieName, _protector.Protect($"{device}\n{address}\n{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}"), new CookieOptions
        {
            Path = SignInPath,
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Expires = expires,
            IsEssential = true,
        });
    }
}
