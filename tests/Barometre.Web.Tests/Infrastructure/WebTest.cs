namespace Barometre.Web.Tests.Infrastructure;

/// <summary>
/// Base of the integration test classes, written once and instantiated for each database:
/// <c>public abstract class FooTests&lt;TDatabase&gt;(TDatabase database) : WebTest&lt;TDatabase&gt;(database), IClassFixture&lt;TDatabase&gt; where TDatabase : TestDatabase</c>,
/// then <c>public sealed class FooTests_Sqlite(SqliteDatabase d) : FooTests&lt;SqliteDatabase&gt;(d);</c> and <c>…_Postgres</c>.
/// </summary>
public abstract class WebTest<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    /// <summary>The class's database.</summary>
    protected TDatabase Database { get; } = database;

    /// <summary>The test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The app the class shares (started on first use; skips the test when the database is unavailable).</summary>
    private protected BarometreApp App => Database.App;

    /// <summary>A new browser on the shared app: no automatic redirects, its own cookies.</summary>
    private protected HttpClient Client() => App.Client();
}
