using Barometre.Data.Storage;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Barometre.Web.Tests.Storage;

/// <summary>
/// The migrations of each provider are complete (CI's check that every model change comes with a
/// migration for both SQLite and PostgreSQL) and build a schema the app's model can use.
/// </summary>
public abstract class MigrationsTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public void Model_HasNoChangeWithoutAMigration()
    {
        using var db = Database.CreateOfflineContext();

        Assert.IsType(Database.IsPostgresProvider ? typeof(PostgresBarometreContext) : typeof(SqliteBarometreContext), db);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes without a {Database.Provider} migration: run `dotnet ef migrations add <Name> --project src/Barometre.Data --context {db.GetType().Name} --output-dir Migrations/{(Database.IsPostgresProvider ? "Postgres" : "Sqlite")}`.");
    }

    [Fact]
    public void Migrations_AreTheProvidersOwn()
    {
        using var db = Database.CreateOfflineContext();

        var migrations = db.GetService<IMigrationsAssembly>().Migrations;

        Assert.NotEmpty(migrations);
        var folder = Database.IsPostgresProvider ? ".Migrations.Postgres" : ".Migrations.Sqlite";
        Assert.All(migrations.Values, type => Assert.Contains(folder, type.Namespace, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppStart_OnAFreshDatabase_AppliesEveryMigration()
    {
        _ = App;
        await using var db = Database.CreateContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
    }

    [Fact]
    public async Task MigratedSchema_AnswersEveryQueryOfTheModel()
    {
        _ = App;
        await using var db = Database.CreateContext();

        // Every entity read with every column: a column missing from the migrations fails here.
        await db.Campaigns.AsNoTracking().ToListAsync(Ct);
        await db.Participants.AsNoTracking().ToListAsync(Ct);
        await db.Invitations.AsNoTracking().ToListAsync(Ct);
        await db.Answers.AsNoTracking().ToListAsync(Ct);
        await db.Contributors.AsNoTracking().ToListAsync(Ct);
        await db.AuditEntries.AsNoTracking().ToListAsync(Ct);
        await db.ResultsSnapshots.AsNoTracking().ToListAsync(Ct);
        await db.Operators.AsNoTracking().ToListAsync(Ct);
        // The app created its data-protection key there at start-up.
        Assert.NotEmpty(await db.DataProtectionKeys.AsNoTracking().ToListAsync(Ct));
    }
}

public sealed class MigrationsTests_Sqlite(SqliteDatabase database) : MigrationsTests<SqliteDatabase>(database);

public sealed class MigrationsTests_Postgres(PostgresDatabase database) : MigrationsTests<PostgresDatabase>(database);
