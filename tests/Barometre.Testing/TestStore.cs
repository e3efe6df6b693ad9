using Barometre.Data.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Barometre.Testing;

/// <summary>
/// A fresh, empty store for tests: a temporary data folder (the SQLite file lives there) and, on PostgreSQL, a fresh
/// database created through the server named by <see cref="PostgresTestStore.Variable"/>. Both are removed on disposal.
/// Nothing is migrated: the app, the CLI or <see cref="MigrateAsync"/> does it.
/// </summary>
public abstract class TestStore : IAsyncDisposable
{
    private protected TestStore(string prefix)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
    }

    /// <summary>« SQLite » or « PostgreSQL ».</summary>
    public abstract string Provider { get; }

    /// <summary>The fresh temporary data folder, deleted on disposal.</summary>
    public string DataDirectory { get; }

    /// <summary>The PostgreSQL connection string of the fresh database; null on SQLite.</summary>
    public abstract string? ConnectionString { get; }

    /// <summary>Whether the database is PostgreSQL (once created).</summary>
    public bool IsPostgres => ConnectionString is not null;

    /// <summary>Whether the provider is PostgreSQL, known even when the server is unreachable.</summary>
    public abstract bool IsPostgresProvider { get; }

    /// <summary>The settings the app and the CLI derive from <c>Barometre:DataDirectory</c> / <c>Barometre:Database</c>.</summary>
    public DatabaseSettings Settings => new(DataDirectory, ConnectionString);

    /// <summary>Why the database cannot be used (PostgreSQL unreachable outside CI); null when it can.</summary>
    public string? Unavailable { get; private protected set; }

    /// <summary>A store of the provider: <paramref name="prefix"/> names its folder and database (<c>prefix_&lt;guid&gt;</c>).</summary>
    public static TestStore Of(bool postgres, string prefix, int maxPoolSize = 20) =>
        postgres ? new PostgresTestStore(prefix, maxPoolSize) : new SqliteTestStore(prefix);

    /// <summary>Skips the current test, loudly, when the database is unavailable.</summary>
    public void RequireAvailable()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    /// <summary>A new context on the database (the provider's own context type).</summary>
    public BarometreDbContext CreateContext()
    {
        RequireAvailable();
        return Settings.CreateContext();
    }

    /// <summary>Creates the database with the provider's migrations, as the app does on start.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// A context of this provider for model checks (migrations up to date) that never connects, so it
    /// works even where PostgreSQL is unreachable.
    /// </summary>
    public abstract BarometreDbContext CreateOfflineContext();

    /// <summary>Creates the empty database, or records why it cannot (<see cref="Unavailable"/>; in CI it throws).</summary>
    public abstract ValueTask CreateAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DropAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open (Windows): the temporary folder is left behind, not the test failed.
            }
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Drops the database.</summary>
    private protected abstract ValueTask DropAsync();

    public override string ToString() => Provider;
}

/// <summary>SQLite: a file in the fresh data folder.</summary>
public sealed class SqliteTestStore : TestStore
{
    internal SqliteTestStore(string prefix)
        : base(prefix)
    {
    }

    public override string Provider => "SQLite";

    public override string? ConnectionString => null;

    public override bool IsPostgresProvider => false;

    public override BarometreDbContext CreateOfflineContext() =>
        new SqliteBarometreContext(new DbContextOptionsBuilder<SqliteBarometreContext>().UseSqlite("Data Source=:memory:").Options);

    public override ValueTask CreateAsync()
    {
        // The app and the CLI fall back to BAROMETRE_DATABASE when no connection string is given: the
        // « SQLite » tests would silently run on that PostgreSQL database instead.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DatabaseSettings.ConnectionVariable)))
        {
            throw new InvalidOperationException(
                $"*** {DatabaseSettings.ConnectionVariable} is set: the app would use it instead of SQLite. Unset it to run the tests (use {PostgresTestStore.Variable} for PostgreSQL). ***");
        }
        return ValueTask.CompletedTask;
    }

    private protected override ValueTask DropAsync()
    {
        // Pooled connections keep the file (and its -wal/-shm companions) open.
        using var connection = new SqliteConnection(Settings.SqliteConnection);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL: a fresh database <c>prefix_&lt;guid&gt;</c> created through the server named by <see cref="Variable"/>
/// (default: the local <c>barometre</c> role), dropped at the end. Unreachable: the tests are skipped with a loud
/// message, or fail when CI is « true ».
/// </summary>
public sealed class PostgresTestStore : TestStore
{
    /// <summary>The environment variable with the admin connection string (a role with CREATEDB).</summary>
    public const string Variable = "BAROMETRE_TEST_POSTGRES";

    /// <summary>The connection string used when <see cref="Variable"/> is unset.</summary>
    public const string DefaultConnection = "Host=127.0.0.1;Username=barometre;Password=barometre;Database=barometre";

    private readonly string _name;
    private readonly int _maxPoolSize;
    private string? _connectionString;

    internal PostgresTestStore(string prefix, int maxPoolSize)
        : base(prefix)
    {
        _name = prefix.Replace('-', '_') + "_" + Guid.NewGuid().ToString("N");
        _maxPoolSize = maxPoolSize;
    }

    public override string Provider => "PostgreSQL";

    public override bool IsPostgresProvider => true;

    public override string? ConnectionString => _connectionString ?? throw new InvalidOperationException("The PostgreSQL test database is not created yet.");

    /// <summary>The admin connection string: <see cref="Variable"/>, or <see cref="DefaultConnection"/>.</summary>
    public static string AdminConnection =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : DefaultConnection;

    public override BarometreDbContext CreateOfflineContext() =>
        new PostgresBarometreContext(new DbContextOptionsBuilder<PostgresBarometreContext>().UseNpgsql("Host=offline.invalid;Database=barometre_offline").Options);

    public override async ValueTask CreateAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(AdminConnection) { Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var message = $"*** PostgreSQL unreachable ({admin.Host}:{admin.Port}, role {admin.Username}, from {Variable}): {e.Message} — the PostgreSQL tests are SKIPPED. ***";
            if (TestEnvironment.IsCi)
            {
                throw new InvalidOperationException(message.Replace("are SKIPPED", "FAIL (CI=true)", StringComparison.Ordinal), e);
            }
            Console.Error.WriteLine(message);
            Unavailable = message;
            return;
        }
        // Several test classes run at once, each with its own database and pool: keep clear of max_connections.
        var builder = new NpgsqlConnectionStringBuilder(AdminConnection) { Database = _name };
        builder.MaxPoolSize = Math.Min(builder.MaxPoolSize, _maxPoolSize);
        _connectionString = builder.ConnectionString;
    }

    private protected override async ValueTask DropAsync()
    {
        if (_connectionString is null)
        {
            return;
        }
        await using (var pooled = new NpgsqlConnection(_connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                // An autovacuum worker (after a bulk import) is on the database: ending it takes pg_signal_backend,
                // which a role of a developer's machine may not have. It soon finishes on a test database.
                await Task.Delay(200);
            }
        }
    }
}
