using System.Globalization;
using Barometre.Data.Storage;
using Barometre.Web;
using Microsoft.AspNetCore.Builder;
using Npgsql;

namespace Barometre.Cli.Tests;

/// <summary>A test class whose every test gets a fresh <see cref="CliStore"/> (SQLite or PostgreSQL).</summary>
public abstract class CliStoreTest : IAsyncLifetime
{
    private CliStore? _store;

    protected abstract bool Postgres { get; }

    private protected CliStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await CliStore.CreateAsync(Postgres);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A fresh store for one test: a temporary data folder and, on PostgreSQL, a fresh database
/// <c>barometre_cli_&lt;guid&gt;</c> created through <c>BAROMETRE_TEST_POSTGRES</c> (default: the local
/// <c>barometre</c> role) and dropped at the end. PostgreSQL unreachable: skipped loudly, or failed with CI=true.
/// </summary>
internal sealed class CliStore : IAsyncDisposable
{
    public const string PostgresVariable = "BAROMETRE_TEST_POSTGRES";
    public const string DefaultPostgres = "Host=127.0.0.1;Username=barometre;Password=barometre;Database=barometre";

    private readonly TempDirectory _folder = new();
    private string? _database;

    private CliStore()
    {
    }

    public string DataDirectory => _folder.Path;

    /// <summary>The fresh PostgreSQL database's connection string; null on SQLite.</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>The options naming this store: <c>--data DIR</c> (and <c>--database …</c> on PostgreSQL).</summary>
    public string[] Options => ConnectionString is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", ConnectionString];

    public string File(string name, string? content = null) => _folder.File(name, content);

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static async Task<CliStore> CreateAsync(bool postgres)
    {
        // The CLI falls back to BAROMETRE_DATABASE without --database: the « SQLite » tests would run on it.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DatabaseSettings.ConnectionVariable)))
        {
            throw new InvalidOperationException($"*** {DatabaseSettings.ConnectionVariable} is set: unset it to run the CLI tests (use {PostgresVariable} for PostgreSQL). ***");
        }
        var store = new CliStore();
        if (!postgres)
        {
            return store;
        }
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : DefaultPostgres) { Timeout = 5 };
        var name = "barometre_cli_" + Guid.NewGuid().ToString("N");
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await store.DisposeAsync();
            var message = $"*** PostgreSQL unreachable ({admin.Host}:{admin.Port}, role {admin.Username}, from {PostgresVariable}): {e.Message} — the PostgreSQL CLI tests are SKIPPED. ***";
            if (InCi)
            {
                Assert.Fail(message.Replace("are SKIPPED", "FAIL (CI=true)", StringComparison.Ordinal));
            }
            Console.Error.WriteLine(message);
            Assert.Skip(message);
        }
        store._database = name;
        store.ConnectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, MaxPoolSize = 10 }.ConnectionString;
        return store;
    }

    /// <summary>The web app on this store, on a free loopback port (start it with StartAsync).</summary>
    public Task<WebApplication> ServerAsync() =>
        BarometreServer.BuildAsync(new ServerSettings(DataDirectory, ConnectionString, "http://127.0.0.1:0"),
            ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=None"]);

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null && ConnectionString is not null)
        {
            await using (var pooled = new NpgsqlConnection(ConnectionString))
            {
                NpgsqlConnection.ClearPool(pooled);
            }
            var admin = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : DefaultPostgres;
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        _folder.Dispose();
    }
}

/// <summary>Runs the command in process with a stdin and a clock, off the test's thread.</summary>
internal static class Cli
{
    public static Task<CliRun> RunAsync(string[] args, string? stdin = null, TimeProvider? clock = null) => Task.Run(() =>
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using var input = new StringReader(stdin ?? "");
        var exitCode = BarometreCli.Run(args, stdout, stderr, clock, input);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    });
}
