using System.Text.Json;

namespace Barometre.Testing.Oidc;

/// <summary>
/// A real OpenID Connect provider on loopback for one test (npm's oidc-provider, run by node:
/// Oidc/oidc-provider.mjs), set up as ProConnect is: code flow with PKCE required, RS256, userinfo as a signed JWT,
/// the scopes openid, email, given_name and usual_name. Its login page is a form the test fills in with the person
/// to sign in. Skipped loudly (failed in CI) when node or oidc-provider is missing.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    /// <summary>The client the app signs in as.</summary>
    public const string ClientId = "barometre-tests";

    /// <summary>The client's secret.</summary>
    public const string ClientSecret = "secret-du-client-de-test-barometre-0123456789";

    private readonly NodeScript _script;

    private OidcProvider(NodeScript script)
    {
        _script = script;
        Issuer = script.Ready.GetProperty("issuer").GetString()!;
    }

    /// <summary>The provider's issuer, « http://127.0.0.1:PORT » (its discovery document is under it).</summary>
    public string Issuer { get; }

    /// <summary>What the provider wrote on stderr so far (its warnings and failures).</summary>
    public string Errors => _script.Errors;

    /// <summary>Starts a provider whose client returns to the app at <paramref name="appBase"/> (« http://localhost »).</summary>
    public static async Task<OidcProvider> StartAsync(string appBase = "http://localhost")
    {
        var (node, nodeModules) = ExternalTools.OidcProvider();
        var settings = JsonSerializer.Serialize(new
        {
            clientId = ClientId,
            clientSecret = ClientSecret,
            redirectUris = new[] { appBase + "/signin-oidc" },
            postLogoutRedirectUris = new[] { appBase + "/signout-callback-oidc" },
        });
        // Node 20 runs oidc-provider 9, which asks for Node 22: it warns « Unsupported runtime » on stderr, and works.
        return new OidcProvider(await NodeScript.StartAsync(node, Path.Combine("Oidc", "oidc-provider.mjs"), [nodeModules, settings]));
    }

    /// <summary>
    /// The app's settings (<c>Barometre:Oidc:…</c>) for this provider over plain HTTP, allowing
    /// <paramref name="allowedDomains"/>, creating accounts with <paramref name="newAccountRole"/> when it is given.
    /// </summary>
    public Dictionary<string, string?> Settings(string[] allowedDomains, string? newAccountRole = null, string? acrValues = null)
    {
        ArgumentNullException.ThrowIfNull(allowedDomains);
        var settings = new Dictionary<string, string?>
        {
            ["Barometre:Oidc:Authority"] = Issuer,
            ["Barometre:Oidc:ClientId"] = ClientId,
            ["Barometre:Oidc:ClientSecret"] = ClientSecret,
            ["Barometre:Oidc:RequireHttpsMetadata"] = "false",
            ["Barometre:Oidc:CreateAccounts"] = newAccountRole is null ? "false" : "true",
        };
        if (newAccountRole is not null)
        {
            settings["Barometre:Oidc:NewAccountRole"] = newAccountRole;
        }
        if (acrValues is not null)
        {
            settings["Barometre:Oidc:AcrValues"] = acrValues;
        }
        for (var i = 0; i < allowedDomains.Length; i++)
        {
            settings[$"Barometre:Oidc:AllowedDomains:{i}"] = allowedDomains[i];
        }
        return settings;
    }

    public ValueTask DisposeAsync() => _script.DisposeAsync();
}
