using System.Text;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Barometre.Web.Security;

/// <summary>
/// The OpenID Connect handler's backchannel, checking what ASP.NET Core's handler does not: a userinfo response sent
/// as a JWT (<c>application/jwt</c>, as ProConnect sends it) is read by the handler without its signature being
/// verified. Here every such response must be signed by one of the provider's keys (its JWKS, from the discovery
/// document) with an asymmetric algorithm, and name the provider as issuer and this client as audience when it names
/// them; otherwise the exchange fails and the sign-in with it. JSON responses (a provider that does not sign) pass as
/// they are: they came over TLS from the provider's own endpoint.
/// </summary>
public sealed class SignedUserInfoCheck : DelegatingHandler
{
    /// <summary>The signatures accepted, on ID tokens and userinfo alike.</summary>
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    private readonly OpenIdConnectOptions _options;

    /// <summary>A check for the handler configured by <paramref name="options"/> (its configuration manager gives the keys).</summary>
    public SignedUserInfoCheck(OpenIdConnectOptions options, HttpMessageHandler? inner = null)
        : base(inner ?? new HttpClientHandler())
    {
        _options = options;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!string.Equals(response.Content.Headers.ContentType?.MediaType, "application/jwt", StringComparison.OrdinalIgnoreCase))
        {
            return response;
        }
        var jwt = await response.Content.ReadAsStringAsync(cancellationToken);
        var configuration = await (_options.ConfigurationManager ?? throw new InvalidOperationException("The OpenID Connect handler has no configuration manager."))
            .GetConfigurationAsync(cancellationToken);
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(jwt))
        {
            response.Dispose();
            throw new SecurityTokenValidationException("The userinfo response is not a JWT.");
        }
        var token = handler.ReadJsonWebToken(jwt);
        var result = await handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            // iss and aud are recommended, not required, in a signed userinfo response; checked when present.
            ValidateIssuer = token.TryGetPayloadValue<string>("iss", out _),
            ValidIssuer = configuration.Issuer,
            ValidateAudience = token.TryGetPayloadValue<object>("aud", out _),
            ValidAudience = _options.ClientId,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        if (!result.IsValid)
        {
            response.Dispose();
            throw new SecurityTokenValidationException("The userinfo response's signature or claims are invalid.", result.Exception);
        }
        // The content was read: the handler gets it again, as it came.
        var contentType = response.Content.Headers.ContentType;
        response.Content = new StringContent(jwt, Encoding.UTF8);
        response.Content.Headers.ContentType = contentType;
        return response;
    }
}
