using System.Globalization;
using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Storage;

/// <summary>The readiness check's write: one row per app instance (<see cref="HealthProbe"/>), upserted.</summary>
public static class HealthProbes
{
    /// <summary>This process: its host name and process id.</summary>
    public static string Instance { get; } = Truncate($"{Environment.MachineName}/{Environment.ProcessId}");

    /// <summary>
    /// Writes this instance's row, committed, or throws — within about <paramref name="timeout"/> when a lock stalls the
    /// write, rather than the 30 s the app's saves wait for one.
    /// </summary>
    public static async Task WriteAsync(BarometreDbContext db, DateTime at, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var commandTimeout = db.Database.GetCommandTimeout();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Npgsql cancels the statement after it; Microsoft.Data.Sqlite retries a locked database until it.
            db.Database.SetCommandTimeout(timeout);
            if (db.Database.IsSqlite())
            {
                // SQLite's own wait for the lock, for this connection until it is next opened, when the app's
                // interceptor sets its timeout again.
                var pragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={(int)timeout.TotalMilliseconds};");
                await db.Database.ExecuteSqlRawAsync(pragma, cancellationToken);
            }
            // The same statement on both providers: one row per instance, whichever writes first.
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO \"HealthProbes\" (\"Instance\", \"At\") VALUES ({Instance}, {at}) ON CONFLICT (\"Instance\") DO UPDATE SET \"At\" = excluded.\"At\"",
                cancellationToken);
        }
        finally
        {
            db.Database.SetCommandTimeout(commandTimeout);
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Truncate(string instance) => instance.Length <= FieldLimits.Name ? instance : instance[..FieldLimits.Name];
}
