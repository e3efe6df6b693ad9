using Barometre.Data.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>
/// A database for one test class (an xunit class fixture): created empty before its first test, dropped
/// after its last. It also holds the app instances started on it — the <see cref="App"/> the class's tests
/// share, and more with <see cref="Instance"/> — all stopped before the database goes.
/// </summary>
/// <remarks>
/// Each test class gets its own database and app, so classes run in parallel; tests of one class run one
/// after the other and share the app's fake clock (a test that moves it moves it for the next ones:
/// create what you need after moving it, or only move it forward past what you created yourself).
/// </remarks>
public abstract class TestDatabase : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private readonly List<BarometreApp> _instances = [];

    protected TestDatabase()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "barometre-web-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
    }

    /// <summary>« SQLite » or « PostgreSQL ».</summary>
    public abstract string Provider { get; }

    /// <summary>The data folder (the SQLite file lives there); a fresh temporary folder, deleted at the end.</summary>
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
    public string? Unavailable { get; protected set; }

    /// <summary>Skips the current test, loudly, when the database is unavailable.</summary>
    public void RequireAvailable()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    /// <summary>A new context on the database, outside any app (the provider's own context type).</summary>
    public BarometreDbContext CreateContext()
    {
        RequireAvailable();
        return Settings.CreateContext();
    }

    /// <summary>
    /// A context of this provider for model checks (migrations up to date) that never connects, so it
    /// works even where PostgreSQL is unreachable.
    /// </summary>
    public abstract BarometreDbContext CreateOfflineContext();

    /// <summary>The app the test class shares, started (database migrated) on first use.</summary>
    internal BarometreApp App => Instance(0);

    /// <summary>
    /// The fixture's <paramref name="index"/>-th app instance on this database (0 is <see cref="App"/>),
    /// started on first use, each with its own fake clock: several instances behind one load balancer.
    /// </summary>
    internal BarometreApp Instance(int index)
    {
        RequireAvailable();
        lock (_gate)
        {
            while (_instances.Count <= index)
            {
                var app = new BarometreApp(this);
                _instances.Add(app);
                app.Start();
            }
            return _instances[index];
        }
    }

    public async ValueTask InitializeAsync() => await CreateAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _instances)
        {
            await app.DisposeAsync();
        }
        _instances.Clear();
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

    /// <summary>Creates the empty database (or records why it cannot).</summary>
    protected abstract ValueTask CreateAsync();

    /// <summary>Drops the database.</summary>
    protected abstract ValueTask DropAsync();

    public override string ToString() => Provider;
}

/// <summary>SQLite: a file in a fresh temporary data folder, created by the app's migrations.</summary>
public sealed class SqliteDatabase : TestDatabase
{
    public override string Provider => "SQLite";

    public override string? ConnectionString => null;

    public override bool IsPostgresProvider => false;

    public override BarometreDbContext CreateOfflineContext() =>
        new SqliteBarometreContext(new DbContextOptionsBuilder<SqliteBarometreContext>().UseSqlite("Data Source=:memory:").Options);

    protected override ValueTask CreateAsync()
    {
        // The app falls back to BAROMETRE_DATABASE when no connection string is configured: the
        // « SQLite » tests would silently run on that PostgreSQL database instead.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DatabaseSettings.ConnectionVariable)))
        {
            throw new InvalidOperationException(
                $"*** {DatabaseSettings.ConnectionVariable} is set: the app would use it instead of SQLite. Unset it to run the web tests (use BAROMETRE_TEST_POSTGRES for PostgreSQL). ***");
        }
        return ValueTask.CompletedTask;
    }

    protected override ValueTask DropAsync()
    {
        // Pooled connections keep the file (and its -wal/-shm companions) open.
        using var connection = new SqliteConnection(Settings.SqliteConnection);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL: a fresh database <c>barometre_test_&lt;guid&gt;</c> created through the server named by
/// <c>BAROMETRE_TEST_POSTGRES</c> (default: the local <c>barometre</c> role), dropped at the end. When
/// the server cannot be reached the tests are skipped with a loud message, or fail when CI is « true ».
/// </summary>
public sealed class PostgresDatabase : TestDatabase
{
    /// <summary>The environment variable with the admin connection string (a role with CREATEDB).</summary>
    public const string Variable = "BAROMETRE_TEST_POSTGRES";

    /// <summary>The connection string used when <see cref="Variable"/> is unset.</summary>
    public const string DefaultConnection = "Host=127.0.0.1;Username=barometre;Password=barometre;Database=barometre";

    private readonly string _name = "barometre_test_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    public override string Provider => "PostgreSQL";

    public override bool IsPostgresProvider => true;

    public override string? ConnectionString => _connectionString ?? throw new InvalidOperationException("The PostgreSQL test database is not created yet.");

    public override BarometreDbContext CreateOfflineContext() =>
        new PostgresBarometreContext(new DbContextOptionsBuilder<PostgresBarometreContext>().UseNpgsql("Host=offline.invalid;Database=barometre_offline").Options);

    /// <summary>The admin connection string: <see cref="Variable"/>, or <see cref="DefaultConnection"/>.</summary>
    public static string AdminConnection =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : DefaultConnection;

    /// <summary>Whether a failure to reach PostgreSQL must fail the tests rather than skip them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    protected override async ValueTask CreateAsync()
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
            if (IsCi)
            {
                throw new InvalidOperationException(message.Replace("are SKIPPED", "FAIL (CI=true)", StringComparison.Ordinal), e);
            }
            Console.Error.WriteLine(message);
            Unavailable = message;
            return;
        }
        var builder = new NpgsqlConnectionStringBuilder(AdminConnection) { Database = _name };
        // Several test classes run at once, each with its own database and pool: keep clear of max_connections.
        builder.MaxPoolSize = Math.Min(builder.MaxPoolSize, 20);
        _connectionString = builder.ConnectionString;
    }

    protected override async ValueTask DropAsync()
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
