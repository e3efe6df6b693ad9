using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using System.Data.Common;

namespace Barometre.Data.Storage;

/// <summary>Which database to use: a PostgreSQL connection string, or a SQLite file in the data folder.</summary>
/// <param name="DataDirectory">The data folder (SQLite file, and anything else stored on disk).</param>
/// <param name="PostgresConnection">A PostgreSQL connection string; null for SQLite.</param>
public sealed record DatabaseSettings(string DataDirectory, string? PostgresConnection = null)
{
    /// <summary>The environment variable that may hold the PostgreSQL connection string.</summary>
    public const string ConnectionVariable = "BAROMETRE_DATABASE";

    /// <summary>The SQLite file name in the data folder.</summary>
    public const string SqliteFileName = "barometre.db";

    /// <summary>Whether PostgreSQL is used.</summary>
    public bool IsPostgres => PostgresConnection is not null;

    /// <summary>The settings from a data folder and an optional connection string, falling back to <see cref="ConnectionVariable"/>.</summary>
    public static DatabaseSettings From(string? dataDirectory, string? connection) =>
        new(
            Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? "barometre-data" : dataDirectory),
            string.IsNullOrWhiteSpace(connection) ? NullIfEmpty(Environment.GetEnvironmentVariable(ConnectionVariable)) : connection);

    /// <summary>The SQLite connection string of the data folder's file.</summary>
    public string SqliteConnection => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(DataDirectory, SqliteFileName),
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// The PostgreSQL connection string as the app uses it: the operator's, with statements prepared automatically
    /// unless it says otherwise — PostgreSQL then plans each of the app's few statements once per connection instead
    /// of on every request, which halves its CPU per saved answer.
    /// </summary>
    public string? NpgsqlConnection
    {
        get
        {
            if (PostgresConnection is null)
            {
                return null;
            }
            // Npgsql's builder knows every keyword whether given or not: look at the keys actually given.
            var given = new DbConnectionStringBuilder { ConnectionString = PostgresConnection }.Keys.Cast<string>()
                .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), "MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
            return given ? PostgresConnection : new NpgsqlConnectionStringBuilder(PostgresConnection) { MaxAutoPrepare = 64 }.ConnectionString;
        }
    }

    /// <summary>A description for logs and messages, without password.</summary>
    public string Describe() => IsPostgres
        ? $"PostgreSQL {new NpgsqlConnectionStringBuilder(PostgresConnection) { Password = null }.Host}/{new NpgsqlConnectionStringBuilder(PostgresConnection).Database}"
        : $"SQLite {Path.Combine(DataDirectory, SqliteFileName)}";

    /// <summary>Configures a context's options for these settings.</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (IsPostgres)
        {
            options.UseNpgsql(NpgsqlConnection, npgsql => npgsql.MigrationsAssembly(typeof(BarometreDbContext).Assembly.FullName));
        }
        else
        {
            Directory.CreateDirectory(DataDirectory);
            options.UseSqlite(SqliteConnection).AddInterceptors(SqlitePragmas.Instance);
        }
    }

    /// <summary>A new context on this database (CLI commands, tests).</summary>
    public BarometreDbContext CreateContext()
    {
        if (IsPostgres)
        {
            var options = new DbContextOptionsBuilder<PostgresBarometreContext>();
            Configure(options);
            return new PostgresBarometreContext(options.Options);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteBarometreContext>();
        Configure(sqlite);
        return new SqliteBarometreContext(sqlite.Options);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// SQLite in write-ahead-log mode, fully synchronous (an acknowledged answer survives a power cut),
    /// waiting for locks rather than failing, with foreign keys enforced.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
            command.ExecuteNonQuery();
        }
    }
}

/// <summary>Registers the database in a service collection.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>Registers <see cref="BarometreDbContext"/> on the provider the settings choose.</summary>
    public static IServiceCollection AddBarometreData(this IServiceCollection services, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton<Campaigns.CampaignModels>();
        services.AddSingleton<Campaigns.InvitationLinkCache>();
        services.AddSingleton<Campaigns.BenchmarkReleases>();
        services.AddScoped<Campaigns.Questionnaire>();
        services.AddScoped<Campaigns.CampaignAdmin>();
        services.AddScoped<Campaigns.OperatorAccounts>();
        services.AddScoped<Campaigns.ApiKeys>();
        if (settings.IsPostgres)
        {
            services.AddDbContextPool<PostgresBarometreContext>(settings.Configure);
            services.AddScoped<BarometreDbContext>(provider => provider.GetRequiredService<PostgresBarometreContext>());
        }
        else
        {
            services.AddDbContextPool<SqliteBarometreContext>(settings.Configure);
            services.AddScoped<BarometreDbContext>(provider => provider.GetRequiredService<SqliteBarometreContext>());
        }
        return services;
    }
}
