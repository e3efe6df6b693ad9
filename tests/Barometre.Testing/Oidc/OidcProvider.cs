using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Barometre.Testing.Oidc;

/// <summary>
/// A real OpenID Connect provider on loopback for one test class (npm's oidc-provider, run by node:
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

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private OidcProvider(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    /// <summary>The provider's issuer, « http://127.0.0.1:PORT » (its discovery document is under it).</summary>
    public string Issuer { get; }

    /// <summary>What the provider wrote on stderr so far (its warnings and failures).</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts a provider whose client returns to the app at <paramref name="appBase"/> (« http://localhost »).</summary>
    public static async Task<OidcProvider> StartAsync(string appBase = "http://localhost")
    {
        var (node, nodeModules) = ExternalTools.OidcProvider();
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Oidc", "oidc-provider.mjs"));
        start.ArgumentList.Add(nodeModules);
        start.ArgumentList.Add(JsonSerializer.Serialize(new
        {
            clientId = ClientId,
            clientSecret = ClientSecret,
            redirectUris = new[] { appBase + "/signin-oidc" },
            postLogoutRedirectUris = new[] { appBase + "/signout-callback-oidc" },
        }));
        var process = Process.Start(start)!;
        // Node 20 runs oidc-provider 9 (it prints « Unsupported runtime », asking for Node 22): the warnings go to stderr.
        var errors = process.StandardError.ReadToEndAsync();
        string? issuer = null;
        while (issuer is null)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException("oidc-provider.mjs stopped: " + await errors);
            // oidc-provider's notices also go to stdout.
            if (line.StartsWith('{'))
            {
                issuer = JsonDocument.Parse(line).RootElement.GetProperty("issuer").GetString();
            }
        }
        var provider = new OidcProvider(process, issuer!);
        _ = errors.ContinueWith(text => provider.Append(text.Result), TaskScheduler.Default);
        _ = process.StandardOutput.ReadToEndAsync();
        return provider;
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

    private void Append(string text)
    {
        lock (_errors)
        {
            _errors.Append(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
