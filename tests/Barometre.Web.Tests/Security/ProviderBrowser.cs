using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Barometre.Testing.Oidc;
using Barometre.Web.Tests.Infrastructure;

namespace Barometre.Web.Tests.Security;

/// <summary>Whom the provider's login form signs in.</summary>
internal sealed record ProviderPerson(string Sub, string Email, string GivenName = "Camille", string UsualName = "Dupont", string? EmailVerified = null, string? Acr = null);

/// <summary>
/// A browser between the app (in memory, at http://localhost) and the OpenID Connect provider (node, on loopback):
/// each site keeps its own cookies, redirections are followed as a browser follows them, and every address visited is
/// kept so that a test can read what was sent (the authorisation request, the end-session request).
/// </summary>
internal sealed class ProviderBrowser(HttpClient app, OidcProvider provider) : IDisposable
{
    private static readonly Uri AppBase = new("http://localhost");

    private readonly HttpClient _provider = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    /// <summary>The client that reaches the app (without cookies of its own: they are in <see cref="AppCookies"/>).</summary>
    public HttpClient AppClient => app;

    /// <summary>The app's cookies.</summary>
    public CookieJar AppCookies { get; } = new();

    /// <summary>The provider's cookies (its session).</summary>
    public CookieJar ProviderCookies { get; } = new();

    /// <summary>Every address requested, in order.</summary>
    public List<Uri> Visited { get; } = [];

    /// <summary>The first address visited on the provider whose path ends with <paramref name="pathEnd"/>.</summary>
    public Uri ProviderRequest(string pathEnd) =>
        Visited.FirstOrDefault(u => u.Authority != AppBase.Authority && u.AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"No request to …{pathEnd} at the provider; visited: {string.Join(" ", Visited)}");

    /// <summary>
    /// Presses the sign-in page's provider button, then follows the redirections; when the provider shows its login form,
    /// signs <paramref name="person"/> in and follows on. Stops before requesting an address <paramref name="stopBefore"/>
    /// accepts (its response is then null).
    /// </summary>
    public async Task<(HttpResponseMessage? Response, Uri Address)> SignInAsync(ProviderPerson person, Func<Uri, bool>? stopBefore = null, CancellationToken cancellationToken = default)
    {
        var page = await AppCookies.PageAsync(app, "/admin/connexion", cancellationToken);
        var button = page.QuerySelector<IHtmlFormElement>("form[action='/admin/connexion/externe']")
            ?? throw new InvalidOperationException("The sign-in page has no provider button.");
        var (response, address) = await FollowAsync(HttpMethod.Post, new Uri(AppBase, "/admin/connexion/externe"), Html.Fields(button), stopBefore, cancellationToken);
        if (response?.StatusCode != HttpStatusCode.OK || address.Authority == AppBase.Authority)
        {
            return (response, address);
        }
        // The provider's login form (no session there yet).
        var loginPage = await Html.ParseAsync(response, cancellationToken);
        response.Dispose();
        var login = loginPage.QuerySelector<IHtmlFormElement>("form#login")
            ?? throw new InvalidOperationException($"The provider answered {address} without its login form: {loginPage.Body?.TextContent} {provider.Errors}");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("sub", person.Sub), new("email", person.Email), new("given_name", person.GivenName), new("usual_name", person.UsualName),
            new("email_verified", person.EmailVerified ?? ""), new("acr", person.Acr ?? ""),
        };
        return await FollowAsync(HttpMethod.Post, new Uri(address, login.GetAttribute("action")), fields, stopBefore, cancellationToken);
    }

    /// <summary>
    /// Sends a request (a form when <paramref name="form"/> is given) and follows the redirections, as a browser does; the last
    /// response and its address, or no response and the address <paramref name="stopBefore"/> accepted.
    /// </summary>
    public async Task<(HttpResponseMessage? Response, Uri Address)> FollowAsync(
        HttpMethod method, Uri address, IEnumerable<KeyValuePair<string, string>>? form = null, Func<Uri, bool>? stopBefore = null, CancellationToken cancellationToken = default)
    {
        for (var hops = 0; hops < 20; hops++)
        {
            if (stopBefore?.Invoke(address) == true)
            {
                return (null, address);
            }
            Visited.Add(address);
            var atApp = address.Authority == AppBase.Authority;
            using var request = new HttpRequestMessage(method, atApp ? new Uri(address.PathAndQuery, UriKind.Relative) : address);
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
            }
            var response = await (atApp ? AppCookies : ProviderCookies).SendAsync(atApp ? app : _provider, request, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect))
            {
                return (response, address);
            }
            address = new Uri(address, response.Headers.Location!);
            response.Dispose();
            (method, form) = (HttpMethod.Get, null);
        }
        throw new InvalidOperationException("More than 20 redirections: " + string.Join(" ", Visited));
    }

    public void Dispose()
    {
        _provider.Dispose();
        app.Dispose();
    }
}
