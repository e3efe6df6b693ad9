using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Storage;

/// <summary>
/// The app migrates a fresh database when it starts (the migrations themselves: Data.Tests' MigrationsTests).
/// </summary>
public abstract class MigrationsTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task AppStart_OnAFreshDatabase_AppliesEveryMigrationAndStoresItsKey()
    {
        _ = App;
        await using var db = Database.CreateContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
        // The app created its data-protection key there at start-up.
        Assert.NotEmpty(await db.DataProtectionKeys.AsNoTracking().ToListAsync(Ct));
    }
}

public sealed class MigrationsTests_Sqlite(SqliteDatabase database) : MigrationsTests<SqliteDatabase>(database);

public sealed class MigrationsTests_Postgres(PostgresDatabase database) : MigrationsTests<PostgresDatabase>(database);
