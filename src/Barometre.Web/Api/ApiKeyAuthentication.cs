using System.Security.Claims;
using System.Text.Encodings.Web;
using Barometre.Data.Campaigns;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Barometre.Web.Api;

/// <summary>
/// Authenticates the operators' API with a key from <c>barometre apikey add</c>, sent as
/// <c>Authorization: Bearer brm_…</c> or <c>X-Api-Key: brm_…</c>.
/// </summary>
internal sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : Request.Headers["X-Api-Key"].ToString().Trim();
        if (secret.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (await keys.VerifyAsync(secret, Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("Clé d'API inconnue ou révoquée.");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"clé d'API {key.Name}"), new Claim(CurrentOperator.ApiKeyClaim, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Clé d'API requise",
            detail: "Ces données sont réservées aux opérateurs : envoyez une clé créée par « barometre apikey add » (Authorization: Bearer <clé>).").ExecuteAsync(Context);
    }

    /// <summary>A key whose role or campaigns do not open the call: 403 and the access rule's reason, in French.</summary>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Accès refusé",
            detail: OperatorAuthorization.Refusal(Context) ?? "Cette ressource de l'API ne vous est pas accessible.").ExecuteAsync(Context);
    }
}
