using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Barometre.Data.Campaigns;

/// <summary>
/// Invitation tokens kept encrypted and authenticated with ASP.NET Core data protection (purpose
/// <c>Barometre.InvitationLink.v1</c>; the keys are the app's, kept in the database), so that every message to a
/// collectivité — the invitation and each reminder — carries the link it already has, and no link is stored in clear.
/// </summary>
public sealed class InvitationLinkVault(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Barometre.InvitationLink.v1");

    /// <summary>The token as stored.</summary>
    public string Protect(string token) => _protector.Protect(token);

    /// <summary>The token again, or null when it cannot be read back (keys lost, value altered).</summary>
    public string? Unprotect(string? protectedToken)
    {
        if (string.IsNullOrEmpty(protectedToken))
        {
            return null;
        }
        try
        {
            var token = _protector.Unprotect(protectedToken);
            return InvitationTokens.IsWellFormed(token) ? token : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
