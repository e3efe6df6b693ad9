using System.Security.Cryptography;
using System.Text;

namespace Barometre.Data.Campaigns;

/// <summary>
/// Invitation tokens: 256 random bits from the system's cryptographic generator, written in base64url
/// (43 characters). Only their SHA-256 hash is stored.
/// </summary>
public static class InvitationTokens
{
    /// <summary>The length of a token.</summary>
    public const int Length = 43;

    /// <summary>A new token and its hash.</summary>
    public static (string Token, string Hash) Create()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, Hash(token));
    }

    /// <summary>The stored hash of a token: SHA-256 of its UTF-8 bytes, lower-case hex.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a string can be a token (checked before any database access).</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
