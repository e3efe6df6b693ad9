using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Barometre.Web.Tests.Infrastructure;
using static Barometre.Web.Tests.Publishing.PublicationPanels;

namespace Barometre.Web.Tests.Pages;

/// <summary>
/// What every reader's browser and search engine meet: compressed public pages (and only those — never a page that
/// holds a secret, BREACH), public pages indexable with a description while questionnaires and operators' pages are
/// not, robots.txt, and the API's reference page.
/// </summary>
public sealed class WebBasicsTests(SqliteDatabase database) : WebTest<SqliteDatabase>(database), IClassFixture<SqliteDatabase>
{
    private static HttpRequestMessage Get(string path, string? acceptEncoding = "br, gzip")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }
        return request;
    }

    [Fact]
    public async Task Compression_PublicPagesApiAndStaticFiles_AreCompressed()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        foreach (var path in new[] { "/", "/resultats", $"/resultats/{campaign.Id}", $"/api/campaigns/{campaign.Id}/results", "/documentation-api", "/css/site.css" })
        {
            using var brotli = await client.SendAsync(Get(path), Ct);
            using var plain = await client.SendAsync(Get(path, acceptEncoding: null), Ct);
            using var gzip = await client.SendAsync(Get(path, "gzip"), Ct);

            Assert.Equal(HttpStatusCode.OK, brotli.StatusCode);
            Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
            Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", brotli.Headers.Vary);
            var compressed = (await brotli.Content.ReadAsByteArrayAsync(Ct)).Length;
            var whole = (await plain.Content.ReadAsByteArrayAsync(Ct)).Length;
            // The dashboard, what readers load most and the heaviest page, shrinks most.
            Assert.True(compressed * (path.StartsWith("/resultats/", StringComparison.Ordinal) ? 3 : 1) < whole, $"{path}: {compressed} bytes compressed for {whole}");
        }
    }

    [Fact]
    public async Task Compression_PagesWithSecretsAndCredentials_AreNeverCompressed()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var anonymous = Client();
        using var signedIn = await App.SignedInClientAsync(cancellationToken: Ct);

        // The sign-in form (antiforgery token), a questionnaire link, the operators' pages, and a public page asked for with
        // an operator's cookie (its sign-out form holds an antiforgery token).
        foreach (var (client, path) in new[]
        {
            (anonymous, "/admin/connexion"),
            (anonymous, "/q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            (signedIn, "/admin"),
            (signedIn, $"/resultats/{campaign.Id}"),
            (signedIn, "/css/site.css"),
        })
        {
            using var response = await client.SendAsync(Get(path), Ct);
            Assert.True(response.Content.Headers.ContentEncoding.Count == 0, $"{path} compressed ({response.StatusCode})");
        }
        using var withKey = Get($"/api/campaigns/{campaign.Id}/results");
        withKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "une-cle");
        using var keyed = await anonymous.SendAsync(withKey, Ct);
        Assert.Empty(keyed.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Indexing_PublicPagesHaveADescription_QuestionnairesAndOperatorsPagesAreNoindex()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var parser = new HtmlParser();

        foreach (var path in new[] { "/", "/resultats", $"/resultats/{campaign.Id}", "/documentation-api" })
        {
            using var page = parser.ParseDocument(await client.GetStringAsync(new Uri(path, UriKind.Relative), Ct));
            Assert.Null(page.QuerySelector("meta[name=robots]"));
            var description = page.QuerySelector("meta[name=description]")?.GetAttribute("content");
            Assert.False(string.IsNullOrWhiteSpace(description), $"{path}: no description");
            Assert.InRange(description!.Length, 50, 320);
        }
        var dashboard = parser.ParseDocument(await client.GetStringAsync(new Uri($"/resultats/{campaign.Id}", UriKind.Relative), Ct));
        Assert.Contains($"la maturité numérique de {campaign.Members.Count} collectivités", dashboard.QuerySelector("meta[name=description]")!.GetAttribute("content"), StringComparison.Ordinal);

        foreach (var path in new[] { "/admin/connexion", "/q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/erreur/404" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            using var page = parser.ParseDocument(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("noindex", page.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
            Assert.Null(page.QuerySelector("meta[name=description]"));
        }

        var robots = await client.GetStringAsync(new Uri("/robots.txt", UriKind.Relative), Ct);
        Assert.Equal(["User-agent: *", "Disallow: /q/", "Disallow: /admin"], robots.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ApiReference_ListsEveryOperationOfTheOpenApiDocument_InFrench()
    {
        using var client = Client();
        using var openApi = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct));

        using var response = await client.GetAsync(new Uri("/documentation-api", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Documentation de l'API", page.QuerySelector("h1")?.TextContent);
        var headings = page.QuerySelectorAll("h3 code").Select(h => h.TextContent).ToList();
        var operations = openApi.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch")
                .Select(o => (Heading: $"{o.Name.ToUpperInvariant()} {path.Name}", Summary: o.Value.GetProperty("summary").GetString()!)))
            .ToList();
        Assert.Equal(operations.Select(o => o.Heading).Order(StringComparer.Ordinal), headings.Order(StringComparer.Ordinal));
        foreach (var operation in operations)
        {
            Assert.Contains(operation.Summary, page.Body!.TextContent, StringComparison.Ordinal);
        }
        Assert.Equal(["Accès et erreurs", "Résultats publiés", "Questionnaire", "Opérateurs", "État du service"], page.QuerySelectorAll("h2").Select(h => h.TextContent));
        Assert.NotNull(page.QuerySelector("a[href='/openapi/v1.json']"));
        Assert.Contains("requête", page.QuerySelectorAll("td").Select(td => td.TextContent));
    }
}
