using Barometre.Data.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Barometre.Data.Tests.Infrastructure;

/// <summary>
/// A migrated store for one test class (an xunit class fixture), with Data's services registered as the app registers
/// them (<see cref="DataServiceCollectionExtensions.AddBarometreData"/>) on a fake clock. Tests of one class share it:
/// create what a test needs rather than count what is there.
/// </summary>
public abstract class StoreFixture(bool postgres) : IAsyncLifetime
{
    private ServiceProvider? _services;

    /// <summary>The store: its folder, database and contexts.</summary>
    public TestStore Store { get; } = TestStore.Of(postgres, "barometre-data-tests");

    /// <summary>The clock of the services, at the current time rounded to the second until a test moves it.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>Data's services on the store (skips the test, loudly, when the store is unavailable).</summary>
    public IServiceProvider Services
    {
        get
        {
            Store.RequireAvailable();
            return _services ?? throw new InvalidOperationException("The services are built in InitializeAsync.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        await Store.CreateAsync();
        if (Store.Unavailable is not null)
        {
            return;
        }
        await Store.MigrateAsync(TestContext.Current.CancellationToken);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddBarometreData(Store.Settings);
        // Contributors' credentials are protected (the app keeps its keys in the database; a test needs none kept).
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public override string ToString() => Store.Provider;
}

/// <summary>SQLite: a file in a fresh temporary data folder.</summary>
public sealed class SqliteStore() : StoreFixture(postgres: false);

/// <summary>PostgreSQL: a fresh database <c>barometre_data_tests_&lt;guid&gt;</c>, skipped loudly (failed with CI=true) when unreachable.</summary>
public sealed class PostgresStore() : StoreFixture(postgres: true);

/// <summary>
/// Base class of the Data tests that need a database. Write the tests once in an abstract generic class and derive
/// <c>FooTests_Sqlite(SqliteStore store) : FooTests&lt;SqliteStore&gt;(store)</c> and <c>FooTests_Postgres</c>.
/// </summary>
public abstract class StoreTest<TStore>(TStore fixture)
    where TStore : StoreFixture
{
    protected TStore Fixture { get; } = fixture;

    protected TestStore Store => Fixture.Store;

    protected FakeTimeProvider Clock => Fixture.Clock;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs <paramref name="action"/> with a service of a fresh scope (one context, as one request has).</summary>
    protected async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Fixture.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Runs <paramref name="action"/> on a fresh context outside the services.</summary>
    protected async Task<TResult> WithDbAsync<TResult>(Func<BarometreDbContext, Task<TResult>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var db = Store.CreateContext();
        return await action(db);
    }
}
