using Barometre.Data.Campaigns;

namespace Barometre.Web.Security;

/// <summary>
/// Sign-in through ProConnect, or another OpenID Connect provider, beside local passwords: bound from
/// « Barometre:Oidc »; nothing is registered while <see cref="Authority"/> is empty (README, « ProConnect »).
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The provider's issuer, its discovery document under it (« https://fca.integ01.dev-agentconnect.fr/api/v2 »); empty: no provider.</summary>
    public string? Authority { get; set; }

    /// <summary>The client id the provider gave.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret the provider gave (keep it in the environment or a secret store).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for, separated by spaces; ProConnect's claims are scopes of their own.</summary>
    public string Scope { get; set; } = "openid email given_name usual_name";

    /// <summary>
    /// The e-mail domains whose people may sign in through the provider (« exemple.fr »: exactly that domain); « * »
    /// for every domain. Required: a public body says whom it lets in (an empty list stops the start).
    /// </summary>
    public string[] AllowedDomains { get; set; } = [];

    /// <summary>Whether a person of an allowed domain without an account gets one at their first sign-in.</summary>
    public bool CreateAccounts { get; set; }

    /// <summary>The role of the accounts created at first sign-in (the least by default).</summary>
    public OperatorRole NewAccountRole { get; set; } = OperatorRole.Analyst;

    /// <summary>
    /// Authentication levels, separated by spaces (« eidas2 eidas3 »): sent as <c>acr_values</c>, and the ID token's
    /// <c>acr</c> must be one of them. Empty: no level asked for.
    /// </summary>
    public string? AcrValues { get; set; }

    /// <summary>The provider's name, in the sign-in page's texts and messages.</summary>
    public string Name { get; set; } = "ProConnect";

    /// <summary>The button's label.</summary>
    public string ButtonLabel { get; set; } = "Se connecter avec ProConnect";

    /// <summary>A page that presents the provider (« Qu'est-ce que ProConnect ? » under the button); empty: no link.</summary>
    public string? InformationUrl { get; set; } = "https://www.proconnect.gouv.fr/";

    /// <summary>Whether the discovery document must come over HTTPS (only tests on loopback turn it off).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether a provider is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>The levels of <see cref="AcrValues"/>.</summary>
    internal string[] AcrLevels => (AcrValues ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>What the account rules make of these settings.</summary>
    internal ExternalSignInPolicy Policy => new(AllowedDomains, CreateAccounts, NewAccountRole);

    /// <summary>Every misconfigured setting, in French.</summary>
    internal IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && (RequireHttpsMetadata || authority.Scheme != Uri.UriSchemeHttp)))
        {
            yield return $"Barometre:Oidc:Authority doit être l'adresse https du fournisseur d'identité (« {Authority} »).";
        }
        if (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return "Barometre:Oidc:ClientId et Barometre:Oidc:ClientSecret sont requis (fournis par le fournisseur d'identité).";
        }
        if (!Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid", StringComparer.Ordinal))
        {
            yield return $"Barometre:Oidc:Scope doit contenir « openid » (« {Scope} »).";
        }
        if (!Enum.IsDefined(NewAccountRole))
        {
            yield return "Barometre:Oidc:NewAccountRole doit valoir Administrator, CampaignManager ou Analyst.";
        }
        if (AllowedDomains.Length == 0)
        {
            yield return "Barometre:Oidc:AllowedDomains est vide : personne ne pourrait se connecter. Indiquez les domaines des adresses admises (« exemple.fr »), ou « * » pour tous.";
        }
        foreach (var domain in AllowedDomains.Where(d => d.Trim() != "*" && (d.Trim().Length == 0 || d.Contains('@', StringComparison.Ordinal) || d.Trim().Any(char.IsWhiteSpace))))
        {
            yield return $"Barometre:Oidc:AllowedDomains : « {domain} » n'est pas un domaine (« exemple.fr », ou « * » pour tous).";
        }
        if (string.IsNullOrWhiteSpace(ButtonLabel) || string.IsNullOrWhiteSpace(Name))
        {
            yield return "Barometre:Oidc:Name et Barometre:Oidc:ButtonLabel ne peuvent pas être vides.";
        }
    }
}
