using System.Text.RegularExpressions;
using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Security;

/// <summary>Who may call an endpoint, and so how it must refuse everyone else.</summary>
internal enum EndpointAccess
{
    /// <summary>Anyone, without credentials: never a 401, 403 or sign-in redirection.</summary>
    Public,

    /// <summary>Whoever holds the invitation link in <c>{token}</c>: an unknown, malformed or revoked token gets the same 404.</summary>
    Link,

    /// <summary>A signed-in operator (cookie): anonymous requests go to the sign-in page (pages) or get a 401/403 problem (APIs).</summary>
    Operator,

    /// <summary>Ends the caller's operator session: open to anyone, an anonymous visitor is sent to the sign-in page (no ReturnUrl).</summary>
    SignOut,

    /// <summary>An operators' API key (<c>barometre apikey add</c>): without a valid key, 401 and a French problem.</summary>
    ApiKey,
}

/// <summary>An endpoint of the app: a route pattern, a method and, for a page, the handler (<c>?handler=Name</c>).</summary>
/// <param name="Key">« METHOD /pattern » or « METHOD /pattern?handler=Name », as in <see cref="EndpointAccessTable.Rules"/>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Pattern">The route pattern, « /api/… ».</param>
/// <param name="Handler">The page handler, or null.</param>
/// <param name="IsPage">A Razor page (HTML, sign-in redirection) rather than a minimal API (JSON problems).</param>
internal sealed record AppEndpoint(string Key, string Method, string Pattern, string? Handler, bool IsPage);

/// <summary>
/// The access rule of every endpoint of the app. A new endpoint is not in this table, so
/// <c>EndpointAccessTests.Table_ClassifiesEveryEndpointOfTheApp</c> fails naming it until someone decides who may
/// call it; the probe test then checks that everyone else is refused as its class requires.
/// </summary>
internal static partial class EndpointAccessTable
{
    /// <summary>The endpoints that need no operator: public, sign-in and sign-out, a collectivité's link.</summary>
    private static Dictionary<string, EndpointAccess> Open { get; } = new(StringComparer.Ordinal)
    {
        // The home page, the published results (under statistical secrecy) and their API, the service's state.
        ["GET /"] = EndpointAccess.Public,
        ["GET /Index"] = EndpointAccess.Public,
        ["GET /resultats"] = EndpointAccess.Public,
        ["GET /resultats/{id:int}"] = EndpointAccess.Public,
        ["GET /resultats/{id:int}?handler=Csv"] = EndpointAccess.Public,
        ["GET /resultats/{id:int}?handler=Json"] = EndpointAccess.Public,
        ["GET /resultats/{id:int}/donnees.zip"] = EndpointAccess.Public,
        ["GET /resultats/{id:int}/donnees/datapackage.json"] = EndpointAccess.Public,
        ["GET /resultats/{id:int}/donnees/{table}.csv"] = EndpointAccess.Public,
        ["GET /api/campaigns"] = EndpointAccess.Public,
        ["GET /api/campaigns/{id:int}/results"] = EndpointAccess.Public,
        ["GET /api/campaigns/{id:int}/evolution"] = EndpointAccess.Public,
        ["GET /health"] = EndpointAccess.Public,
        ["GET /health/live"] = EndpointAccess.Public,
        ["GET /openapi/{documentName}.json"] = EndpointAccess.Public,
        ["GET /documentation-api"] = EndpointAccess.Public,
        ["GET /accessibilite"] = EndpointAccess.Public,
        ["GET /donnees-personnelles"] = EndpointAccess.Public,
        ["GET /fonts/source-sans-3.woff2"] = EndpointAccess.Public,
        // Signing in and out, and the error pages, must open to everyone.
        ["GET /admin/connexion"] = EndpointAccess.Public,
        ["POST /admin/connexion"] = EndpointAccess.Public,
        ["GET /admin/connexion/externe"] = EndpointAccess.Public,
        ["POST /admin/connexion/externe"] = EndpointAccess.Public,
        ["GET /admin/deconnexion"] = EndpointAccess.SignOut,
        ["POST /admin/deconnexion"] = EndpointAccess.SignOut,
        // An invited operator's one-time link to choose a password (an unknown link is a 404).
        ["GET /admin/invitation/{token}"] = EndpointAccess.Public,
        ["POST /admin/invitation/{token}"] = EndpointAccess.Public,
        ["GET /erreur/{code:int?}"] = EndpointAccess.Public,
        ["POST /erreur/{code:int?}"] = EndpointAccess.Public,

        // One collectivité's questionnaire, benchmark and downloads, by its link.
        ["GET /q/{token}"] = EndpointAccess.Link,
        ["POST /q/{token}?handler=Identify"] = EndpointAccess.Link,
        ["POST /q/{token}?handler=Lead"] = EndpointAccess.Link,
        ["GET /q/{token}/theme/{number:int}"] = EndpointAccess.Link,
        ["POST /q/{token}/theme/{number:int}"] = EndpointAccess.Link,
        ["POST /q/{token}/theme/{number:int}?handler=Reply"] = EndpointAccess.Link,
        ["GET /q/{token}/transmettre"] = EndpointAccess.Link,
        ["POST /q/{token}/transmettre"] = EndpointAccess.Link,
        ["GET /q/{token}/resultats"] = EndpointAccess.Link,
        ["GET /q/{token}/resultats?handler=Report"] = EndpointAccess.Link,
        ["GET /q/{token}/resultats?handler=Answers"] = EndpointAccess.Link,
        ["GET /q/{token}/mes-donnees"] = EndpointAccess.Link,
        ["POST /q/{token}/mes-donnees?handler=Erase"] = EndpointAccess.Link,
        ["GET /api/questionnaire/{token}"] = EndpointAccess.Link,
        ["PUT /api/questionnaire/{token}/answers/{questionId}"] = EndpointAccess.Link,
        ["PUT /api/questionnaire/{token}/answers/{questionId}/reply"] = EndpointAccess.Link,
        ["POST /api/questionnaire/{token}/submit"] = EndpointAccess.Link,
        ["GET /api/questionnaire/{token}/benchmark"] = EndpointAccess.Link,
    };

    /// <summary>
    /// The right each operator's page, form and API call needs (<c>[OperatorAccess]</c> on a page or handler,
    /// <c>RequireAuthorization</c> on an API call): a new operator endpoint is one line here. Those under <c>/api/</c>
    /// take an API key, the others a signed-in operator (their <see cref="Rules"/> class).
    /// </summary>
    public static IReadOnlyDictionary<string, OperatorRight> Rights { get; } = new Dictionary<string, OperatorRight>(StringComparer.Ordinal)
    {
        // The operators' pages and forms.
        ["GET /admin"] = OperatorRight.ReadResults,
        ["GET /admin/campagnes/nouvelle"] = OperatorRight.Administer,
        ["POST /admin/campagnes/nouvelle"] = OperatorRight.Administer,
        ["GET /admin/campagnes/{id:int}"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/invitations"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/invitations?handler=Missing"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/invitations?handler=All"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/courriels"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/courriels?handler=Settings"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/courriels?handler=Preview"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/courriels?handler=Invitations"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/courriels?handler=Reminders"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}?handler=Csv"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/collectivites/{participantId:int}?handler=Email"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/collectivites/{participantId:int}"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/collectivites/{participantId:int}?handler=Reissue"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/collectivites/{participantId:int}?handler=Revoke"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/collectivites/{participantId:int}?handler=Reopen"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/collectivites/{participantId:int}?handler=Lead"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/collectivites/{participantId:int}?handler=Review"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/collectivites/{participantId:int}?handler=Answer"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/panel"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/panel"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/reponses"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/reponses?handler=Template"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/reponses"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/cloture"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/cloture?handler=Close"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/cloture?handler=Freeze"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/resultats"] = OperatorRight.ReadResults,
        ["GET /admin/campagnes/{id:int}/resultats?handler=Json"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/resultats?handler=Csv"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/resultats?handler=Study"] = OperatorRight.ReadResults,
        ["POST /admin/campagnes/{id:int}/resultats?handler=Publish"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/resultats?handler=Unpublish"] = OperatorRight.RunCampaign,
        ["GET /admin/campagnes/{id:int}/journal"] = OperatorRight.RunCampaign,
        ["GET /admin/comptes"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=Invite"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=Rights"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=Disable"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=Enable"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=Link"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=Remove"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=Key"] = OperatorRight.Administer,
        ["POST /admin/comptes?handler=RevokeKey"] = OperatorRight.Administer,
        ["GET /admin/campagnes/{id:int}/donnees-personnelles"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/donnees-personnelles?handler=Retention"] = OperatorRight.RunCampaign,
        ["POST /admin/campagnes/{id:int}/donnees-personnelles?handler=Purge"] = OperatorRight.RunCampaign,
        ["GET /admin/registre"] = OperatorRight.Administer,
        ["GET /admin/registre?handler=Csv"] = OperatorRight.Administer,

        // The operators' API, for their own tools.
        ["GET /api/admin/campaigns"] = OperatorRight.ReadResults,
        ["GET /api/admin/campaigns/{id:int}"] = OperatorRight.RunCampaign,
        ["GET /api/admin/campaigns/{id:int}/results"] = OperatorRight.RunCampaign,
        ["GET /api/admin/campaigns/{id:int}/responses.csv"] = OperatorRight.RunCampaign,
    };

    /// <summary>Every endpoint's class (declared after the tables it is made of: static members start in order).</summary>
    public static IReadOnlyDictionary<string, EndpointAccess> Rules { get; } = new Dictionary<string, EndpointAccess>(Open.Concat(
        Rights.Select(right => KeyValuePair.Create(right.Key, right.Key.Contains(" /api/", StringComparison.Ordinal) ? EndpointAccess.ApiKey : EndpointAccess.Operator))),
        StringComparer.Ordinal);


    /// <summary>Every key of <see cref="Rights"/>, in order, for a theory.</summary>
    public static TheoryData<string> RightKeys => [.. Rights.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every key of <see cref="Rules"/>, in order, for a theory.</summary>
    public static TheoryData<string> Keys => [.. Rules.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The endpoints of the app, from its endpoint data source: each minimal API with its methods, and each page
    /// with the methods and names of its handlers (a page without handlers answers GET).
    /// </summary>
    public static async Task<IReadOnlyList<AppEndpoint>> EndpointsAsync(IServiceProvider services)
    {
        var loader = services.GetRequiredService<PageLoader>();
        var endpoints = new List<AppEndpoint>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints)
        {
            if (endpoint is not RouteEndpoint route)
            {
                endpoints.Add(new AppEndpoint($"? {endpoint.DisplayName}", "?", "?", null, IsPage: false));
                continue;
            }
            var pattern = "/" + (route.RoutePattern.RawText ?? "").Trim('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var handlers = (await loader.LoadAsync(page, endpoint.Metadata)).HandlerMethods;
                foreach (var handler in handlers.Count > 0 ? handlers.Select(h => (Method: h.HttpMethod.ToUpperInvariant(), h.Name)) : [("GET", null)])
                {
                    var key = $"{handler.Method} {pattern}{(handler.Name is null ? "" : "?handler=" + handler.Name)}";
                    endpoints.Add(new AppEndpoint(key, handler.Method, pattern, handler.Name, IsPage: true));
                }
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                endpoints.Add(new AppEndpoint($"{method} {pattern}", method, pattern, null, IsPage: false));
            }
        }
        return endpoints;
    }

    /// <summary>
    /// The address of an endpoint, its route parameters replaced by <paramref name="values"/> (by name, constraints
    /// and optional marks dropped; the values are used as they are: ids, tokens, question ids), and its handler in the query.
    /// </summary>
    public static string Url(AppEndpoint endpoint, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = RouteParameter().Replace(endpoint.Pattern, match => values.TryGetValue(match.Groups["name"].Value, out var value)
            ? value
            : throw new InvalidOperationException($"{endpoint.Key}: no sample value for the route parameter {{{match.Groups["name"].Value}}}; add one to the probe."));
        return endpoint.Handler is null ? path : $"{path}?handler={endpoint.Handler}";
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}?]*)?\??\}")]
    private static partial Regex RouteParameter();
}
