using System.Security.Claims;
using Barometre.Data;
using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Barometre.Web.Security;

/// <summary>
/// Operators' sign-in through ProConnect (or another OpenID Connect provider), on ASP.NET Core's OpenID Connect
/// handler: authorisation code with PKCE, state and nonce, the ID token's signature checked against the provider's
/// keys (RS256 or ES256), userinfo read (a signed JWT at ProConnect, whose signature <see cref="SignedUserInfoCheck"/>
/// checks too), and RP-initiated sign-out with <c>id_token_hint</c>. Once the provider has vouched for the person,
/// <see cref="OperatorAccounts.SignInExternalAsync"/> finds, links or creates their account, and the operator's
/// cookie is issued for it as after a password sign-in (<see cref="OperatorSessions"/>); only the ID token is kept
/// with it, for the sign-out. Every refusal lands on « /admin/connexion/externe » with its reason, and in the log.
/// </summary>
public static partial class ProviderSignIn
{
    /// <summary>The handler's scheme.</summary>
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>Where the provider sends the browser back after sign-in (register it at the provider).</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Where the provider sends the browser back after sign-out (register it at the provider).</summary>
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary>The page that starts the sign-in (POST) and explains a refusal (GET, <c>?motif=</c>).</summary>
    public const string PagePath = "/admin/connexion/externe";

    /// <summary>The reason of a failure that is no refusal of the person (state, provider error, exchange).</summary>
    public const string FailureReason = "echec";

    /// <summary>The reason when the authentication level (<c>acr</c>) is not one of those required.</summary>
    public const string LevelReason = "niveau";

    private const string IssuerItem = ".barometre.issuer";
    private static readonly object IdTokenHintKey = new();

    /// <summary>Registers the provider's handler; misconfigured settings stop the start with every problem in French.</summary>
    public static AuthenticationBuilder AddProviderSignIn(this AuthenticationBuilder authentication, OidcOptions settings)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problems().ToList() is { Count: > 0 } problems)
        {
            // The operator's configuration, not a bug: the command line exits with its environment code.
            throw new EnvironmentException("configuration invalide : " + string.Join(Environment.NewLine, problems));
        }
        return authentication.AddOpenIdConnect(Scheme, settings.Name, oidc =>
        {
            oidc.Authority = settings.Authority;
            oidc.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            oidc.ClientId = settings.ClientId;
            oidc.ClientSecret = settings.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            // ProConnect answers on the redirect URI's query, and refuses any parameter it does not know: no
            // form_post, no pushed authorisation, no library version (« x-client-SKU »).
            oidc.ResponseMode = OpenIdConnectResponseMode.Query;
            oidc.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Disable;
            oidc.DisableTelemetry = true;
            oidc.UsePkce = true;
            oidc.Scope.Clear();
            foreach (var scope in settings.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                oidc.Scope.Add(scope);
            }
            oidc.GetClaimsFromUserInfoEndpoint = true;
            oidc.MapInboundClaims = false;
            oidc.ClaimActions.MapUniqueJsonKey("usual_name", "usual_name");
            oidc.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
            // Asymmetric signatures only: the keys come from the provider's JWKS (HS256 would sign with the client secret).
            oidc.TokenValidationParameters.ValidAlgorithms = SignedUserInfoCheck.Algorithms;
            oidc.SaveTokens = true;
            oidc.SignInScheme = WebSetup.OperatorScheme;
            oidc.SignOutScheme = WebSetup.OperatorScheme;
            oidc.CallbackPath = CallbackPath;
            oidc.SignedOutCallbackPath = SignedOutCallbackPath;
            oidc.BackchannelHttpHandler = new SignedUserInfoCheck(oidc);
            oidc.Events = new OpenIdConnectEvents
            {
                OnRedirectToIdentityProvider = context =>
                {
                    if (settings.AcrLevels.Length > 0)
                    {
                        context.ProtocolMessage.AcrValues = string.Join(' ', settings.AcrLevels);
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = context => TokenValidated(context, settings),
                OnTicketReceived = context => TicketReceivedAsync(context, settings),
                OnRemoteFailure = RemoteFailure,
                OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.IdTokenHint ??= context.HttpContext.Items[IdTokenHintKey] as string;
                    return Task.CompletedTask;
                },
                OnSignedOutCallbackRedirect = context =>
                {
                    // A return without a valid state was not asked for by this browser: no « déconnecté » message.
                    if (context.Properties is null)
                    {
                        context.Response.Redirect("/admin/connexion");
                        context.HandleResponse();
                    }
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>
    /// Sends the browser to the provider to end its session there too (ProConnect requires <paramref name="idToken"/>
    /// as <c>id_token_hint</c>), then back to the sign-in page. Call it once the local sessions are ended.
    /// </summary>
    public static Task SignOutAtProviderAsync(HttpContext context, string idToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The local session is gone already: the handler could not read the token from it any more.
        context.Items[IdTokenHintKey] = idToken;
        return context.SignOutAsync(Scheme, new AuthenticationProperties { RedirectUri = "/admin/connexion?deconnexion=1" });
    }

    /// <summary>The ID token a session opened through the provider keeps, or null for a password session.</summary>
    public static Task<string?> IdTokenAsync(HttpContext context) => context.GetTokenAsync(WebSetup.OperatorScheme, OpenIdConnectParameterNames.IdToken);

    /// <summary>The refusal page's address for a reason.</summary>
    public static string RefusalPage(string reason) => $"{PagePath}?motif={reason}";

    /// <summary>The reason a refusal's page shows (<c>?motif=</c>).</summary>
    public static string Reason(ExternalSignInRefusal refusal) => refusal switch
    {
        ExternalSignInRefusal.NoEmail => "adresse",
        ExternalSignInRefusal.EmailNotVerified => "adresse-non-verifiee",
        ExternalSignInRefusal.DomainNotAllowed => "domaine",
        ExternalSignInRefusal.Disabled => "desactive",
        ExternalSignInRefusal.NoAccount => "compte",
        _ => FailureReason,
    };

    /// <summary>Keeps the ID token's issuer for the account, and refuses an authentication level not asked for.</summary>
    private static Task TokenValidated(TokenValidatedContext context, OidcOptions settings)
    {
        context.Properties!.Items[IssuerItem] = context.SecurityToken.Issuer;
        var acr = context.Principal?.FindFirstValue("acr");
        if (settings.AcrLevels.Length > 0 && !settings.AcrLevels.Contains(acr, StringComparer.Ordinal))
        {
            LogLevelRefused(Logger(context.HttpContext), TextRules.Quote(acr));
            context.Response.Redirect(RefusalPage(LevelReason));
            context.HandleResponse();
        }
        return Task.CompletedTask;
    }

    /// <summary>Replaces the provider's principal by the operator's session, or refuses.</summary>
    private static async Task TicketReceivedAsync(TicketReceivedContext context, OidcOptions settings)
    {
        var principal = context.Principal!;
        var properties = context.Properties!;
        var verified = principal.FindFirstValue("email_verified");
        var identity = new ExternalIdentity(
            properties.Items.TryGetValue(IssuerItem, out var issuer) && issuer is not null ? issuer : "",
            principal.FindFirstValue("sub") ?? "",
            principal.FindFirstValue("email"),
            verified is null ? null : !string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase),
            principal.FindFirstValue("given_name"),
            principal.FindFirstValue("usual_name") ?? principal.FindFirstValue("family_name"));
        var accounts = context.HttpContext.RequestServices.GetRequiredService<OperatorAccounts>();
        var outcome = await accounts.SignInExternalAsync(identity, settings.Policy, context.HttpContext.RequestAborted);
        var logger = Logger(context.HttpContext);
        if (outcome is ExternalSignInOutcome.Success { Account: var account, How: var how })
        {
            if (how != ExternalSignInKind.Linked)
            {
                LogLinked(logger, account.Id, how);
            }
            context.Principal = OperatorSessions.Principal(account);
            // Only the ID token stays with the session (for the sign-out's id_token_hint); the access token is not used.
            var idToken = properties.GetTokenValue(OpenIdConnectParameterNames.IdToken);
            properties.StoreTokens(idToken is null ? [] : [new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
            properties.Items.Remove(IssuerItem);
            return;
        }
        var refused = (ExternalSignInOutcome.Refused)outcome;
        // The domain (never the whole address) and the account's id: what an administrator needs to act.
        var email = OperatorAccounts.NormaliseEmail(identity.Email ?? "");
        LogRefused(logger, refused.Reason, email is null ? "" : TextRules.Quote(email[(email.LastIndexOf('@') + 1)..]), refused.AccountId);
        context.Response.Redirect(RefusalPage(Reason(refused.Reason)));
        context.HandleResponse();
    }

    /// <summary>A failed return from the provider (state missing or altered, error sent back, failed exchange).</summary>
    private static Task RemoteFailure(RemoteFailureContext context)
    {
        // The message may quote what the provider or the request sent: quoted, never raw.
        LogFailed(Logger(context.HttpContext), context.Failure?.GetType().Name ?? "", TextRules.Quote(context.Failure?.Message));
        context.Response.Redirect(RefusalPage(FailureReason));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderSignIn).FullName!);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connexion par le fournisseur d'identité : compte {AccountId} ({How}).")]
    private static partial void LogLinked(ILogger logger, int accountId, ExternalSignInKind how);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connexion par le fournisseur d'identité refusée ({Reason}) : domaine « {Domain} », compte {AccountId}.")]
    private static partial void LogRefused(ILogger logger, ExternalSignInRefusal reason, string domain, int? accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connexion par le fournisseur d'identité refusée : niveau d'authentification « {Acr} » non admis.")]
    private static partial void LogLevelRefused(ILogger logger, string acr);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retour du fournisseur d'identité rejeté ({Kind}) : {Message}")]
    private static partial void LogFailed(ILogger logger, string kind, string message);
}
