using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Barometre.Web.Pages;

/// <summary>
/// A request no handler of its page takes (PUT on a questionnaire page, POST on a page that only shows) gets 405 with
/// the methods the page takes, or 404 for an unknown handler name. Left alone, Razor Pages renders such a page
/// without running any handler, and a page whose model its handler loads fails with a 500.
/// </summary>
internal sealed class UnhandledMethodFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        // The error pages render for whatever request failed, with its method.
        if (context.HandlerMethod is not null
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || http.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return next();
        }
        var method = http.Request.Method;
        // A page without handlers only shows; Razor Pages answers HEAD with the GET handler.
        var taken = context.ActionDescriptor.HandlerMethods.Count == 0
            ? [HttpMethods.Get]
            : context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (taken.Contains(HttpMethods.Get))
        {
            taken.Add(HttpMethods.Head);
        }
        if (taken.Contains(method.ToUpperInvariant()))
        {
            if (context.ActionDescriptor.HandlerMethods.Count == 0)
            {
                return next();
            }
            // The method is right but the ?handler= name is none of the page's.
            context.Result = new NotFoundResult();
            return Task.CompletedTask;
        }
        http.Response.Headers.Allow = string.Join(", ", taken.Order(StringComparer.Ordinal));
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        return Task.CompletedTask;
    }
}
