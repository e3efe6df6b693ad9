using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>Reads pages as a browser without JavaScript would: parse, find forms, post them back.</summary>
internal static class Html
{
    /// <summary>The antiforgery field's name.</summary>
    public const string AntiforgeryField = "__RequestVerificationToken";

    /// <summary>Parses a response's HTML.</summary>
    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return await new HtmlParser().ParseDocumentAsync(text, cancellationToken);
    }

    /// <summary>GETs a page, expecting 200, and parses it.</summary>
    public static async Task<IHtmlDocument> GetAsync(HttpClient client, string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}.");
        }
        return await ParseAsync(response, cancellationToken);
    }

    /// <summary>The antiforgery token of the page's first form (or of <paramref name="form"/>).</summary>
    public static string AntiforgeryToken(IParentNode page, string? form = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var scope = form is null ? page : page.QuerySelector(form) ?? throw new InvalidOperationException($"No {form} on the page.");
        return scope.QuerySelector<IHtmlInputElement>($"input[name={AntiforgeryField}]")?.Value
            ?? throw new InvalidOperationException("No antiforgery field on the page.");
    }

    /// <summary>
    /// What a form would post as it stands: hidden, text and other inputs, checked radios and boxes,
    /// text areas and selected options, in document order (disabled controls included).
    /// </summary>
    public static List<KeyValuePair<string, string>> Fields(IElement form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = element.GetAttribute("name")!;
            switch (element)
            {
                case IHtmlInputElement { Type: "radio" or "checkbox" } box:
                    if (box.IsChecked)
                    {
                        fields.Add(new(name, box.Value));
                    }
                    break;
                case IHtmlInputElement { Type: "submit" or "button" or "image" or "reset" }:
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
            }
        }
        return fields;
    }

    /// <summary>Adds a checkbox of <paramref name="form"/> to its <paramref name="fields"/> as a person ticking it would (its name and value).</summary>
    public static void Tick(List<KeyValuePair<string, string>> fields, IElement form, string selector)
    {
        ArgumentNullException.ThrowIfNull(form);
        var box = form.QuerySelector<IHtmlInputElement>(selector) ?? throw new InvalidOperationException($"No checkbox {selector} in the form.");
        Set(fields, box.Name!, box.Value);
    }

    /// <summary>Replaces (or adds) a field's value in a list of form fields.</summary>
    public static void Set(List<KeyValuePair<string, string>> fields, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var index = fields.FindIndex(f => f.Key == name);
        if (index < 0)
        {
            fields.Add(new(name, value));
        }
        else
        {
            fields[index] = new(name, value);
        }
    }

    /// <summary>POSTs fields as application/x-www-form-urlencoded.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(url, UriKind.Relative), content, cancellationToken);
    }

    /// <summary>The whitespace-normalised text of the page's main content (or of the whole body).</summary>
    public static string Text(IParentNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return TextOf(node.QuerySelector("main") ?? node.QuerySelector("body") ?? throw new InvalidOperationException("No body."));
    }

    /// <summary>The whitespace-normalised text of one element.</summary>
    public static string TextOf(IElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
