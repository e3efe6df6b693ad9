using System.Globalization;
using System.Security.Claims;
using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Barometre.Web.Security;

/// <summary>
/// The right an operator's page or one of its handlers needs (<see cref="OperatorRight"/>). On a page model it covers
/// every handler; on a handler it overrides the page's. A page under <c>/Admin</c> that declares none needs
/// <see cref="OperatorRight.Administer"/>: a new page is closed until someone decides who may open it.
/// </summary>
/// <param name="right">The right needed.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
internal sealed class OperatorAccessAttribute(OperatorRight right) : Attribute
{
    public OperatorRight Right { get; } = right;
}

/// <summary>
/// The operators' authorization: one ASP.NET Core policy per <see cref="OperatorRight"/>, checked by a resource-based
/// handler that reads the campaign from the route (<c>{id}</c>) and asks <see cref="OperatorPrincipal.May"/>. A refusal
/// is a 403 whose French reason the error page (pages) or the API's problem (API keys) shows.
/// </summary>
internal static class OperatorAuthorization
{
    /// <summary>The route value naming the campaign in every campaign's page and API call.</summary>
    public const string CampaignRouteValue = "id";

    private static readonly object RefusalKey = new();

    /// <summary>The policy of a right.</summary>
    public static string Policy(OperatorRight right) => "operateur:" + right.ToString();

    /// <summary>Registers the policies, their handler and the page filter.</summary>
    public static IServiceCollection AddOperatorAuthorization(this IServiceCollection services)
    {
        services.AddScoped<CurrentOperator>();
        services.AddScoped<IAuthorizationHandler, OperatorRightHandler>();
        return services.AddAuthorization(options =>
        {
            foreach (var right in Enum.GetValues<OperatorRight>())
            {
                options.AddPolicy(Policy(right), policy => policy.AddRequirements(new OperatorRightRequirement(right)));
            }
        });
    }

    /// <summary>Why the request was refused, in French, or null when it was not.</summary>
    public static string? Refusal(HttpContext context) =>
        context?.Items.TryGetValue(RefusalKey, out var refusal) == true ? refusal as string : null;

    internal static void Refuse(HttpContext context, string reason) => context.Items[RefusalKey] = reason;

    /// <summary>The campaign of the route, or null when the route names none.</summary>
    internal static int? CampaignOf(HttpContext context) =>
        context.GetRouteValue(CampaignRouteValue) is { } value
        && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>What a policy of <see cref="OperatorAuthorization"/> requires.</summary>
internal sealed record OperatorRightRequirement(OperatorRight Right) : IAuthorizationRequirement;

/// <summary>Allows a request whose principal (account or key) has the right on the route's campaign.</summary>
internal sealed class OperatorRightHandler(CurrentOperator current) : AuthorizationHandler<OperatorRightRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRightRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        if (await current.GetAsync(context.User, http?.RequestAborted ?? default) is not { } principal)
        {
            // Not signed in, or an account or key that is gone: the authentication's own challenge answers.
            return;
        }
        var refusal = principal.Refusal(requirement.Right, http is null ? null : OperatorAuthorization.CampaignOf(http));
        if (refusal is null)
        {
            context.Succeed(requirement);
            return;
        }
        if (http is not null)
        {
            OperatorAuthorization.Refuse(http, refusal);
        }
        context.Fail(new AuthorizationFailureReason(this, refusal));
    }
}

/// <summary>The principal of the request's operator account or API key, read once per request.</summary>
public sealed class CurrentOperator(BarometreDbContext db)
{
    /// <summary>The claim naming an API key's id (set by <see cref="Api.ApiKeyAuthentication"/>).</summary>
    public const string ApiKeyClaim = "api-key";

    private OperatorPrincipal? _principal;
    private ClaimsPrincipal? _user;

    /// <summary>The principal of <paramref name="user"/>, or null when it is no operator or key (or one that is gone).</summary>
    public async Task<OperatorPrincipal?> GetAsync(ClaimsPrincipal? user, CancellationToken cancellationToken = default)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        if (!ReferenceEquals(user, _user))
        {
            _user = user;
            _principal = int.TryParse(user.FindFirstValue(ApiKeyClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var key)
                ? await OperatorPrincipal.ForApiKeyAsync(db, key, cancellationToken)
                : OperatorSessions.AccountId(user) is { } account ? await OperatorPrincipal.ForAccountAsync(db, account, cancellationToken) : null;
        }
        return _principal;
    }
}

/// <summary>
/// Checks the right of every operator's page handler (<see cref="OperatorAccessAttribute"/>, else
/// <see cref="OperatorRight.Administer"/>) through the policies; refuses with 403 and the French reason.
/// </summary>
internal sealed class OperatorAccessFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var descriptor = context.ActionDescriptor;
        // Sign-in, sign-out and an invitation's page are open; the error pages render for whatever request failed.
        if (!descriptor.ViewEnginePath.StartsWith("/Admin/", StringComparison.Ordinal)
            || descriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any()
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            await next();
            return;
        }
        var right = context.HandlerMethod?.MethodInfo.GetCustomAttributes(typeof(OperatorAccessAttribute), inherit: true).OfType<OperatorAccessAttribute>().FirstOrDefault()?.Right
            ?? descriptor.ModelTypeInfo?.GetCustomAttributes(typeof(OperatorAccessAttribute), inherit: true).OfType<OperatorAccessAttribute>().FirstOrDefault()?.Right
            ?? OperatorRight.Administer;
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        if (!(await authorization.AuthorizeAsync(http.User, http, OperatorAuthorization.Policy(right))).Succeeded)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }
        await next();
    }
}
