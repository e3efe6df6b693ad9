using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Barometre.Data.Campaigns;

/// <summary>
/// What proves who a contributor is: their collectivité's and their own ids, encrypted and signed with ASP.NET Core data
/// protection under a purpose of its own. Nobody can make one, alter one, or use one with another collectivité's link;
/// every instance reads them alike (the keys are shared through the database). Chosen over a random secret stored
/// hashed: no column, no query to check one, and the keys' rotation is the framework's; the price is that one value
/// cannot be revoked alone (the operator can hand the submission over to someone else instead).
/// </summary>
internal sealed class ContributorCredentials(IDataProtectionProvider dataProtection)
{
    /// <summary>Longer values are not even decoded: a credential is about 150 characters.</summary>
    private const int MaxLength = 1000;

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Barometre.Contributor.v1");

    /// <summary>The credential of a contributor (URL-safe text).</summary>
    public string Issue(Contributor contributor) =>
        _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{contributor.ParticipantId}:{contributor.Id}"));

    /// <summary>The contributor a credential names, if it is genuine and of this collectivité; null otherwise.</summary>
    public int? ContributorOf(int participantId, string? credential)
    {
        if (string.IsNullOrEmpty(credential) || credential.Length > MaxLength)
        {
            return null;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(credential);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
        var parts = payload.Split(':');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var participant) && participant == participantId
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var contributor)
            ? contributor : null;
    }
}
