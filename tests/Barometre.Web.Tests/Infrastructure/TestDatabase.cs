using Barometre.Data.Storage;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>
/// A database for one test class (an xunit class fixture): a fresh <see cref="TestStore"/> created before its first
/// test, dropped after its last. It also holds the app instances started on it — the <see cref="App"/> the class's
/// tests share, and more with <see cref="Instance"/> — all stopped before the database goes.
/// </summary>
/// <remarks>
/// Each test class gets its own database and app, so classes run in parallel; tests of one class run one
/// after the other and share the app's fake clock (a test that moves it moves it for the next ones:
/// create what you need after moving it, or only move it forward past what you created yourself).
/// </remarks>
public abstract class TestDatabase(TestStore store) : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private readonly List<BarometreApp> _instances = [];

    /// <summary>The store under the apps: its folder, database and contexts.</summary>
    public TestStore Store { get; } = store;

    /// <summary>« SQLite » or « PostgreSQL ».</summary>
    public string Provider => Store.Provider;

    /// <summary>The data folder (the SQLite file lives there); a fresh temporary folder, deleted at the end.</summary>
    public string DataDirectory => Store.DataDirectory;

    /// <summary>The PostgreSQL connection string of the fresh database; null on SQLite.</summary>
    public string? ConnectionString => Store.ConnectionString;

    /// <summary>Whether the database is PostgreSQL (once created).</summary>
    public bool IsPostgres => Store.IsPostgres;

    /// <summary>Whether the provider is PostgreSQL, known even when the server is unreachable.</summary>
    public bool IsPostgresProvider => Store.IsPostgresProvider;

    /// <summary>The settings the app and the CLI derive from <c>Barometre:DataDirectory</c> / <c>Barometre:Database</c>.</summary>
    public DatabaseSettings Settings => Store.Settings;

    /// <summary>Why the database cannot be used (PostgreSQL unreachable outside CI); null when it can.</summary>
    public string? Unavailable => Store.Unavailable;

    /// <summary>Skips the current test, loudly, when the database is unavailable.</summary>
    public void RequireAvailable() => Store.RequireAvailable();

    /// <summary>A new context on the database, outside any app (the provider's own context type).</summary>
    public BarometreDbContext CreateContext() => Store.CreateContext();

    /// <summary>A context of this provider that never connects (<see cref="TestStore.CreateOfflineContext"/>).</summary>
    public BarometreDbContext CreateOfflineContext() => Store.CreateOfflineContext();

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

    public ValueTask InitializeAsync() => Store.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _instances)
        {
            await app.DisposeAsync();
        }
        _instances.Clear();
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public override string ToString() => Provider;
}

/// <summary>SQLite: a file in a fresh temporary data folder, created by the app's migrations.</summary>
public sealed class SqliteDatabase() : TestDatabase(TestStore.Of(postgres: false, "barometre-web-tests"));

/// <summary>
/// PostgreSQL: a fresh database <c>barometre_web_tests_&lt;guid&gt;</c> (<see cref="PostgresTestStore"/>), dropped at the end.
/// </summary>
public sealed class PostgresDatabase() : TestDatabase(TestStore.Of(postgres: true, "barometre-web-tests"));
