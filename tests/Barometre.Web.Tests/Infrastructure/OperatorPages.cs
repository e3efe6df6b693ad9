using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CsvHelper;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>A file a form uploads.</summary>
/// <summary>A file of a multipart form: its text, or its <paramref name="Bytes"/> when it is not text (a workbook).</summary>
internal sealed record UploadedFile(string Field, string FileName, string Content, string ContentType = "text/csv", byte[]? Bytes = null);

/// <summary>One line of the invitation links CSV (code, nom, email, link).</summary>
internal sealed record LinkRow(string Code, string Name, string Email, string Link)
{
    /// <summary>The token at the end of the link (<c>…/q/{token}</c>).</summary>
    public string Token => Link[(Link.LastIndexOf("/q/", StringComparison.Ordinal) + 3)..];
}

/// <summary>
/// The operator's pages driven as a browser without JavaScript does: GET the page, post one of its forms
/// back (antiforgery field included), upload files as multipart, read the CSV downloads.
/// </summary>
internal static class OperatorPages
{
    private static int s_codes = 500;

    /// <summary>Collectivité codes unique in the test run (« 3000501 »…), so that panels never collide.</summary>
    public static string[] NewCodes(int count)
    {
        var first = Interlocked.Add(ref s_codes, count) - count + 1;
        return [.. Enumerable.Range(first, count).Select(n => $"3{n:D6}")];
    }

    /// <summary>A panel CSV (code, nom, type, population, region, email) for these codes.</summary>
    public static string PanelCsv(IEnumerable<string> codes)
    {
        var text = new StringBuilder("code;nom;type;population;region;email\n");
        foreach (var code in codes)
        {
            text.Append(CultureInfo.InvariantCulture, $"{code};Commune {code};commune;{1000 + int.Parse(code, CultureInfo.InvariantCulture) % 1000};Occitanie;mairie{code}@exemple.fr\n");
        }
        return text.ToString();
    }

    /// <summary>A page's URL with its path and query (an absolute Location header made relative).</summary>
    public static string PathOf(Uri? location) =>
        location is null ? throw new InvalidOperationException("No Location header.")
        : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    /// <summary>
    /// GETs <paramref name="pageUrl"/>, takes the form <paramref name="formSelector"/> with what it would
    /// post, lets <paramref name="edit"/> change the fields, and posts them to the form's action
    /// (the page itself when it has none).
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, string pageUrl, string formSelector, Action<List<KeyValuePair<string, string>>>? edit = null, CancellationToken cancellationToken = default)
    {
        var page = await Html.GetAsync(client, pageUrl, cancellationToken);
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No {formSelector} on {pageUrl}.");
        var fields = Html.Fields(form);
        edit?.Invoke(fields);
        var action = form.GetAttribute("action");
        return await Html.PostFormAsync(client, string.IsNullOrEmpty(action) ? pageUrl : action, fields, cancellationToken);
    }

    /// <summary>Posts fields and files as multipart/form-data.</summary>
    public static async Task<HttpResponseMessage> PostMultipartAsync(
        HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<UploadedFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }
        foreach (var file in files)
        {
            var part = new ByteArrayContent(file.Bytes ?? Encoding.UTF8.GetBytes(file.Content));
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
            content.Add(part, file.Field, file.FileName);
        }
        return await client.PostAsync(new Uri(url, UriKind.Relative), content, cancellationToken);
    }

    /// <summary>
    /// Posts the page's upload form (<paramref name="formSelector"/>): its own fields, the antiforgery
    /// token included, changed by <paramref name="fields"/>, and the files.
    /// </summary>
    public static async Task<HttpResponseMessage> UploadAsync(
        HttpClient client, string pageUrl, string formSelector, IReadOnlyDictionary<string, string> fields, IEnumerable<UploadedFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var page = await Html.GetAsync(client, pageUrl, cancellationToken);
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No {formSelector} on {pageUrl}.");
        var posted = Html.Fields(form);
        foreach (var (name, value) in fields)
        {
            Html.Set(posted, name, value);
        }
        var action = form.GetAttribute("action");
        return await PostMultipartAsync(client, string.IsNullOrEmpty(action) ? pageUrl : action, posted, files, cancellationToken);
    }

    /// <summary>
    /// Creates a campaign through /admin/campagnes/nouvelle: with the shipped <paramref name="shippedModel"/>,
    /// or with <paramref name="modelYaml"/> uploaded. Returns the new campaign's id (from the redirection).
    /// </summary>
    public static async Task<int> CreateCampaignAsync(
        HttpClient client, string name, string panelCsv, string? modelYaml = null, string shippedModel = "maturite-numerique-2019", CancellationToken cancellationToken = default)
    {
        using var response = await PostNewCampaignAsync(client, name, panelCsv, modelYaml, shippedModel, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Creating the campaign answered {(int)response.StatusCode}: {Html.Text(await Html.ParseAsync(response, cancellationToken))}");
        }
        var path = PathOf(response.Headers.Location);
        return int.Parse(path["/admin/campagnes/".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>Posts the new campaign form; the response is the redirection or the page with its problems.</summary>
    public static Task<HttpResponseMessage> PostNewCampaignAsync(
        HttpClient client, string name, string panelCsv, string? modelYaml = null, string shippedModel = "maturite-numerique-2019", CancellationToken cancellationToken = default)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = name,
            ["ModelSource"] = modelYaml is null ? "shipped" : "file",
            ["ShippedModel"] = shippedModel,
        };
        var files = new List<UploadedFile> { new("PanelUpload", "panel.csv", panelCsv) };
        if (modelYaml is not null)
        {
            files.Add(new UploadedFile("ModelUpload", "referentiel.yaml", modelYaml, "application/yaml"));
        }
        return UploadAsync(client, "/admin/campagnes/nouvelle", "main form", fields, files, cancellationToken);
    }

    /// <summary>Reads the invitation links CSV.</summary>
    public static IReadOnlyList<LinkRow> ReadLinks(string csvText)
    {
        ArgumentNullException.ThrowIfNull(csvText);
        using var reader = new StringReader(csvText.TrimStart('\uFEFF'));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        if (!header.SequenceEqual(["code", "nom", "email", "link"]))
        {
            throw new InvalidOperationException($"Unexpected columns: {string.Join(",", header)}");
        }
        var rows = new List<LinkRow>();
        while (csv.Read())
        {
            rows.Add(new LinkRow(csv.GetField(0)!, csv.GetField(1)!, csv.GetField(2)!, csv.GetField(3)!));
        }
        return rows;
    }

    /// <summary>Issues the missing links from /admin/campagnes/{id}/invitations; the CSV's rows (none when the page answered instead).</summary>
    public static async Task<IReadOnlyList<LinkRow>> IssueMissingLinksAsync(HttpClient client, int campaignId, CancellationToken cancellationToken = default)
    {
        using var response = await SubmitAsync(client, $"/admin/campagnes/{campaignId}/invitations", "form[action$='handler=Missing']", cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Issuing links answered {(int)response.StatusCode}.");
        }
        return response.Content.Headers.ContentType?.MediaType == "text/csv"
            ? ReadLinks(await response.Content.ReadAsStringAsync(cancellationToken))
            : [];
    }
}
