using Barometre.Data;
using Barometre.Data.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Barometre.Web.Api;

/// <summary>
/// Every error under <c>/api/</c> as a French <c>application/problem+json</c>, whatever the client accepts: a status
/// an endpoint, routing or the framework set without a body (404 of an unknown route, 405, 400 of binding, 413, 415,
/// 429…), and an exception — 503 when the environment is to blame (a database that cannot write, a full disk), 500
/// for a bug, never its message. Pages keep their HTML error pages (<c>/erreur/{code}</c>).
/// </summary>
internal static class ApiErrors
{
    /// <summary>Adds the API's error handling; place it after the pages' exception handler and status-code pages.</summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteExceptionAsync });
            api.UseStatusCodePages(context => WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode));
        });

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = exception is not null && EnvironmentFailure.Explain(exception) is not null
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status500InternalServerError;
        return WriteAsync(context, status);
    }

    private static Task WriteAsync(HttpContext context, int status)
    {
        var (title, detail) = Describe(status, context.Request.Method);
        context.Response.StatusCode = status;
        return TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }

    /// <summary>The French title and detail of a status that no endpoint explained.</summary>
    private static (string Title, string Detail) Describe(int status, string method) => status switch
    {
        StatusCodes.Status400BadRequest => ("Requête invalide",
            "Un paramètre, un en-tête ou le corps de la requête n'a pas pu être lu : voir /openapi/v1.json pour leur forme."),
        StatusCodes.Status401Unauthorized => ("Authentification requise", "Cette ressource de l'API demande une clé d'API ou un lien d'invitation valide."),
        StatusCodes.Status403Forbidden => ("Accès refusé", "Cette ressource de l'API ne vous est pas accessible."),
        StatusCodes.Status404NotFound => ("Ressource introuvable", "Aucune ressource de l'API ne correspond à cette adresse : voir /openapi/v1.json."),
        StatusCodes.Status405MethodNotAllowed => ("Méthode non autorisée",
            $"Cette adresse de l'API n'accepte pas la méthode {TextRules.Quote(method)} : voir /openapi/v1.json."),
        StatusCodes.Status413PayloadTooLarge => ("Requête trop volumineuse", "Le corps de la requête dépasse la taille que cette adresse de l'API accepte."),
        StatusCodes.Status415UnsupportedMediaType => ("Type de contenu non pris en charge", "Envoyez le corps en JSON (Content-Type: application/json)."),
        StatusCodes.Status429TooManyRequests => ("Trop de requêtes", "Trop de requêtes en peu de temps : réessayez dans un instant (voir l'en-tête Retry-After)."),
        StatusCodes.Status503ServiceUnavailable => ("Service momentanément indisponible",
            "Le serveur ne peut pas enregistrer pour le moment (base de données ou disque indisponible) : rien n'a été enregistré. Réessayez dans un instant."),
        >= 500 => ("Erreur interne",
            "Le serveur n'a pas pu traiter la demande ; les réponses déjà enregistrées ne sont pas perdues. Réessayez dans un instant."),
        _ => ("Erreur", "La requête n'a pas pu être traitée."),
    };
}
