using System.Globalization;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>
/// A browser's cookies kept by hand, so that one « browser » can talk to several servers (instances
/// behind a load balancer) and keep Secure cookies over plain HTTP behind a test « proxy ». Use it
/// with clients that do not handle cookies themselves (<see cref="BarometreApp.CookielessClient"/>).
/// </summary>
internal sealed class CookieJar
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    /// <summary>Headers added to every request (X-Forwarded-Proto…).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The cookies kept, by name.</summary>
    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    /// <summary>Sends a request with the jar's cookies and headers, and keeps the cookies the response sets.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await client.SendAsync(request, cancellationToken);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            Keep(header);
        }
        return response;
    }

    /// <summary>Puts a cookie in the jar, as a browser whose cookie was copied or forged would hold it.</summary>
    public void Set(string name, string value) => _cookies[name] = value;

    /// <summary>GET with the jar.</summary>
    public Task<HttpResponseMessage> GetAsync(HttpClient client, string url, CancellationToken cancellationToken = default) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative)), cancellationToken);

    /// <summary>GET a page, expecting 200, and parse it.</summary>
    public async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpClient client, string url, CancellationToken cancellationToken = default)
    {
        using var response = await GetAsync(client, url, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}.");
        }
        return await Html.ParseAsync(response, cancellationToken);
    }

    /// <summary>POST a form with the jar.</summary>
    public Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) }, cancellationToken);

    private void Keep(string setCookie)
    {
        var pair = setCookie.Split(';', 2)[0];
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return;
        }
        var name = pair[..equals].Trim();
        var value = pair[(equals + 1)..].Trim();
        var expires = setCookie.Split(';').Select(a => a.Trim()).FirstOrDefault(a => a.StartsWith("expires=", StringComparison.OrdinalIgnoreCase));
        var expired = expires is not null
            && DateTimeOffset.TryParse(expires["expires=".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            && at < DateTimeOffset.UtcNow;
        if (value.Length == 0 || expired)
        {
            _cookies.Remove(name);
        }
        else
        {
            _cookies[name] = value;
        }
    }
}
