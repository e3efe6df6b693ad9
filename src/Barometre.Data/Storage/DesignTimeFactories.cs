using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Barometre.Data.Storage;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteBarometreContext</c> build the context.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBarometreContext>
{
    public SqliteBarometreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBarometreContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresBarometreContext</c> build the context (no connection is opened).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBarometreContext>
{
    public PostgresBarometreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBarometreContext>().UseNpgsql("Host=localhost;Database=barometre_design").Options);
}
