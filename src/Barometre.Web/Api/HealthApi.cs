using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Api;

/// <summary><c>GET /health</c>: 200 when the database answers, 503 otherwise — for load balancers and monitoring.</summary>
internal static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/health", CheckAsync)
            .WithName("Health")
            .WithSummary("État du service : 200 si la base de données répond, 503 sinon.")
            .AllowAnonymous();

    private static async Task<IResult> CheckAsync(BarometreDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? TypedResults.Text("ok", "text/plain")
                : TypedResults.Text("base de données injoignable", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            return TypedResults.Text($"base de données injoignable : {e.Message}", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
