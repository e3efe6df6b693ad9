using Barometre.Data.Storage;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Barometre.Data.Tests.Storage;

/// <summary>
/// The migrations of each provider are complete (CI's check that every model change comes with a
/// migration for both SQLite and PostgreSQL) and build a schema the model can use.
/// </summary>
public abstract class MigrationsTests<TStore>(TStore fixture) : StoreTest<TStore>(fixture)
    where TStore : StoreFixture
{
    [Fact]
    public void Model_HasNoChangeWithoutAMigration()
    {
        using var db = Store.CreateOfflineContext();

        Assert.IsType(Store.IsPostgresProvider ? typeof(PostgresBarometreContext) : typeof(SqliteBarometreContext), db);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes without a {Store.Provider} migration: run `dotnet ef migrations add <Name> --project src/Barometre.Data --context {db.GetType().Name} --output-dir Migrations/{(Store.IsPostgresProvider ? "Postgres" : "Sqlite")}`.");
    }

    [Fact]
    public void Migrations_AreTheProvidersOwn()
    {
        using var db = Store.CreateOfflineContext();

        var migrations = db.GetService<IMigrationsAssembly>().Migrations;

        Assert.NotEmpty(migrations);
        var folder = Store.IsPostgresProvider ? ".Migrations.Postgres" : ".Migrations.Sqlite";
        Assert.All(migrations.Values, type => Assert.Contains(folder, type.Namespace, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_OnAFreshDatabase_AppliesEveryMigration()
    {
        await using var db = Store.CreateContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
    }

    [Fact]
    public async Task MigratedSchema_AnswersEveryQueryOfTheModel()
    {
        await using var db = Store.CreateContext();

        // Every entity type read with every column: a column missing from the migrations fails here.
        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.ClrType != typeof(Dictionary<string, object>)))
        {
            var set = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(entity.ClrType).Invoke(db, null)!;
            var query = (IQueryable<object>)set;
            await query.AsNoTracking().ToListAsync(Ct);
        }
    }
}

public sealed class MigrationsTests_Sqlite(SqliteStore store) : MigrationsTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class MigrationsTests_Postgres(PostgresStore store) : MigrationsTests<PostgresStore>(store), IClassFixture<PostgresStore>;
