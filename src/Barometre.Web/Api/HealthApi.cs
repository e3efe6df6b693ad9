using Barometre.Data.Storage;

namespace Barometre.Web.Api;

/// <summary>
/// <c>GET /health</c>, readiness for load balancers and monitoring: 200 « ok » when the database takes a write, 503
/// and the reason in French otherwise. <c>GET /health/live</c>, liveness for orchestrators: 200 while the process
/// answers, without touching the database — restarting an app whose database is down would not bring it back.
/// </summary>
internal static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", CheckAsync)
            .WithName("Health").WithTags("État du service")
            .WithSummary("Disponibilité : 200 si la base de données accepte une écriture (vérifiée au plus toutes les 5 s), 503 et la raison sinon.")
            .AllowAnonymous();
        endpoints.MapGet("/health/live", () => TypedResults.Text("ok", "text/plain"))
            .WithName("Liveness").WithTags("État du service")
            .WithSummary("Vivacité : 200 tant que le processus répond, sans interroger la base de données.")
            .AllowAnonymous();
    }

    private static async Task<IResult> CheckAsync(ReadinessProbe probe, CancellationToken cancellationToken) =>
        await probe.CheckAsync(cancellationToken) is { } problem
            ? TypedResults.Text($"indisponible : {problem}", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Text("ok", "text/plain");
}

/// <summary>
/// Whether the database takes a write: this instance's <see cref="HealthProbes"/> row upserted within
/// <see cref="Timeout"/>. Cheap under a load balancer's polling: one write at most every <see cref="Interval"/> (of
/// the app's clock), requests in between answered from the last outcome; requests during a write share it, and a
/// write still stalled past the interval is not doubled.
/// </summary>
internal sealed partial class ReadinessProbe(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ReadinessProbe> logger)
{
    /// <summary>How long a write's outcome answers for.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>How long a write may take (a lock held longer stalls every save as long).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Task<string?>? _write;
    private DateTimeOffset _writtenAt;

    /// <summary>Null when ready; why not, in French, otherwise.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        Task<string?> write;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_write is null || (_write.IsCompleted && now - _writtenAt >= Interval))
            {
                _writtenAt = now;
                // On a thread of its own: SQLite's calls block, and the timeout below must run meanwhile.
                _write = Task.Run(() => WriteAsync(now.UtcDateTime));
            }
            write = _write;
        }
        try
        {
            // Real time, not the app's clock: how long the database takes. A second more than the write's own timeout,
            // for a connection that does not even open.
            return await write.WaitAsync(Timeout + TimeSpan.FromSeconds(1), cancellationToken);
        }
        catch (TimeoutException)
        {
            return $"délai dépassé : la base de données n'a pas pris d'écriture en {Timeout.TotalSeconds:0} s";
        }
    }

    private async Task<string?> WriteAsync(DateTime at)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await HealthProbes.WriteAsync(scope.ServiceProvider.GetRequiredService<BarometreDbContext>(), at, Timeout, CancellationToken.None);
            return null;
        }
        catch (Exception e)
        {
            // Whatever keeps the write from committing makes the instance unready; the log keeps the detail.
            var reason = EnvironmentFailure.Explain(e, namePath: false) ?? "erreur inattendue lors de l'écriture (voir le journal du serveur)";
            Failed(logger, reason, e);
            return reason;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness check failed: {Reason}")]
    private static partial void Failed(ILogger logger, string reason, Exception exception);
}
