using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Barometre.Web.Pages.ApiReference;

/// <summary>
/// The API's reference for people: every endpoint of the OpenAPI document (/openapi/v1.json) grouped by what it serves,
/// with its parameters and answers, read from the same document the JSON gives — so the page never drifts from the API.
/// </summary>
public sealed class IndexModel([FromKeyedServices("v1")] IOpenApiDocumentProvider documents) : PageModel
{
    /// <summary>The order of the groups: what a reader needs first.</summary>
    private static readonly string[] GroupOrder = ["Résultats publiés", "Questionnaire", "Opérateurs", "État du service"];

    /// <summary>What the API is, from the document.</summary>
    public string? Description { get; private set; }

    /// <summary>The endpoints, grouped by their tag.</summary>
    public IReadOnlyList<EndpointGroup> Groups { get; private set; } = [];

    /// <summary>Reads the OpenAPI document.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var document = await documents.GetOpenApiDocumentAsync(cancellationToken);
        Description = document.Info?.Description;
        var endpoints = new List<(string Group, Endpoint Endpoint)>();
        foreach (var (path, item) in document.Paths ?? [])
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var group = operation.Tags?.FirstOrDefault()?.Name ?? "Autres";
                var parameters = (item.Parameters ?? []).Concat(operation.Parameters ?? [])
                    .Select(p => new Parameter(p.Name ?? "", Location(p.In), p.Required, TypeOf(p.Schema), p.Description))
                    .ToList();
                var responses = (operation.Responses ?? [])
                    .OrderBy(r => r.Key, StringComparer.Ordinal)
                    .Select(r => new Response(r.Key, r.Value.Description, [.. (r.Value.Content ?? new Dictionary<string, OpenApiMediaType>()).Keys]))
                    .ToList();
                endpoints.Add((group, new Endpoint(method.Method, path, operation.Summary, operation.Description,
                    operation.RequestBody is not null, parameters, responses)));
            }
        }
        Groups = [.. endpoints.GroupBy(e => e.Group)
            .OrderBy(g => Array.IndexOf(GroupOrder, g.Key) is var i and >= 0 ? i : GroupOrder.Length).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new EndpointGroup(g.Key, Anchor(g.Key), [.. g.Select(e => e.Endpoint)]))];
    }

    private static string Location(ParameterLocation? location) => location switch
    {
        ParameterLocation.Path => "chemin",
        ParameterLocation.Query => "requête",
        ParameterLocation.Header => "en-tête",
        ParameterLocation.Cookie => "cookie",
        _ => "",
    };

    private static string TypeOf(IOpenApiSchema? schema)
    {
        var type = schema?.Type;
        if (type is null)
        {
            return "";
        }
        var names = new List<string>();
        if (type.Value.HasFlag(JsonSchemaType.Integer)) { names.Add("entier"); }
        if (type.Value.HasFlag(JsonSchemaType.Number)) { names.Add("nombre"); }
        if (type.Value.HasFlag(JsonSchemaType.String)) { names.Add("texte"); }
        if (type.Value.HasFlag(JsonSchemaType.Boolean)) { names.Add("booléen"); }
        if (type.Value.HasFlag(JsonSchemaType.Array)) { names.Add("liste"); }
        if (type.Value.HasFlag(JsonSchemaType.Object)) { names.Add("objet"); }
        return string.Join(" ou ", names);
    }

    private static string Anchor(string group) =>
        new string([.. group.Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => char.IsAsciiLetterOrDigit(c) || c == ' ')
            .Select(c => c == ' ' ? '-' : char.ToLowerInvariant(c))]);
}

/// <summary>The endpoints that serve one purpose (one OpenAPI tag).</summary>
public sealed record EndpointGroup(string Title, string Anchor, IReadOnlyList<Endpoint> Endpoints);

/// <summary>One endpoint: method and path, what it does, its parameters and answers.</summary>
public sealed record Endpoint(string Method, string Path, string? Summary, string? Description, bool HasBody, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Response> Responses);

/// <summary>A parameter: its name, where it goes (« chemin », « requête »…), whether required, its type and description.</summary>
public sealed record Parameter(string Name, string Location, bool Required, string Type, string? Description);

/// <summary>An answer: its status code, description and media types.</summary>
public sealed record Response(string Status, string? Description, IReadOnlyList<string> MediaTypes);
