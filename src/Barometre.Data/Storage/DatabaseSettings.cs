using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using System.Data.Common;
using System.Globalization;

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

    /// <summary>The mode of every data file (the SQLite database, CLI outputs, backups): read and written by their owner only.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The mode of a data folder the app creates.</summary>
    public const UnixFileMode PrivateFolder = PrivateFile | UnixFileMode.UserExecute;

    /// <summary>Whether PostgreSQL is used.</summary>
    public bool IsPostgres => PostgresConnection is not null;

    /// <summary>The SQLite database file.</summary>
    public string SqlitePath => Path.Combine(DataDirectory, SqliteFileName);

    /// <summary>The settings from a data folder and an optional connection string, falling back to <see cref="ConnectionVariable"/>.</summary>
    public static DatabaseSettings From(string? dataDirectory, string? connection) =>
        new(
            Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? "barometre-data" : dataDirectory),
            string.IsNullOrWhiteSpace(connection) ? NullIfEmpty(Environment.GetEnvironmentVariable(ConnectionVariable)) : connection);

    /// <summary>The SQLite connection string of the data folder's file.</summary>
    public string SqliteConnection => new SqliteConnectionStringBuilder
    {
        DataSource = SqlitePath,
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

    /// <summary>A description for logs and messages, without password: « PostgreSQL host:port/database », « SQLite path ».</summary>
    public string Describe()
    {
        if (!IsPostgres)
        {
            return $"SQLite {SqlitePath}";
        }
        var postgres = new NpgsqlConnectionStringBuilder(PostgresConnection);
        return string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {postgres.Host}:{postgres.Port}/{postgres.Database}");
    }

    /// <summary>
    /// When <paramref name="exception"/> is the environment's doing (<see cref="EnvironmentFailure"/>), the whole French
    /// message for it: which database, why, and what to check; null for a bug.
    /// </summary>
    public string? ExplainFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is EnvironmentException)
        {
            return exception.Message;
        }
        return EnvironmentFailure.Explain(exception) is { } reason
            ? $"base de données {Describe()} : {reason}. " + (IsPostgres
                ? $"Vérifiez la chaîne de connexion (--database ou {ConnectionVariable}) et que le serveur PostgreSQL accepte les connexions et les écritures."
                : "Vérifiez le dossier des données (--data) : droits, espace disque, et qu'aucune restauration n'y est en cours.")
            : null;
    }

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
            SecureSqliteFiles();
            options.UseSqlite(SqliteConnection).AddInterceptors(SqlitePragmas.Instance)
                // SQLite rebuilds a table to change it, which switches foreign keys off outside the transaction: EF warns on
                // every such migration, on every new database — the operator can do nothing about it, so it is a debug line.
                .ConfigureWarnings(warnings => warnings.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug)));
        }
    }

    /// <summary>
    /// Makes the SQLite files readable by their owner only: creates the data folder (0700) and the database file
    /// (0600) before SQLite would — SQLite gives its -wal and -shm files the database file's mode — and tightens to
    /// 0600 the files of a database created before this rule. Returns a French notice for each file tightened;
    /// throws an <see cref="EnvironmentException"/> when the folder cannot be created or written.
    /// </summary>
    /// <remarks>An existing data folder keeps its mode: it may be a folder the operator chose for other uses too.</remarks>
    public IReadOnlyList<string> SecureSqliteFiles()
    {
        if (IsPostgres)
        {
            return [];
        }
        try
        {
            if (OperatingSystem.IsWindows())
            {
                // Windows: the folder's inherited ACL decides; there is no mode to set.
                Directory.CreateDirectory(DataDirectory);
                return [];
            }
            if (File.Exists(DataDirectory))
            {
                throw new EnvironmentException(
                    $"« {TextRules.Quote(DataDirectory)} » est un fichier : --data désigne le dossier des données (la base SQLite y est créée).");
            }
            if (!Directory.Exists(DataDirectory))
            {
                Directory.CreateDirectory(DataDirectory, PrivateFolder);
            }
            if (!File.Exists(SqlitePath))
            {
                CreatePrivateDatabase(SqlitePath);
            }
            var notices = new List<string>();
            foreach (var path in (string[])[SqlitePath, SqlitePath + "-wal", SqlitePath + "-shm"])
            {
                if (File.Exists(path) && (File.GetUnixFileMode(path) & ~PrivateFile) != 0)
                {
                    File.SetUnixFileMode(path, PrivateFile);
                    notices.Add($"« {TextRules.Quote(path)} » était lisible par d'autres comptes : ses droits sont réduits à 0600 (propriétaire seul).");
                }
            }
            return notices;
        }
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException or SqliteException) && EnvironmentFailure.Explain(e) is not null)
        {
            throw new EnvironmentException(
                $"le dossier des données « {TextRules.Quote(DataDirectory)} » ne peut pas être créé ou écrit : {EnvironmentFailure.Explain(e, namePath: false)}. "
                + "Indiquez un dossier où Baromètre peut écrire (--data) et vérifiez l'espace disque.", e);
        }
    }

    /// <summary>
    /// Creates the database file that only its owner may read, in write-ahead-log mode: SQLite writes its header
    /// (EF Core's existence check opens it read-only, where the log mode could not be set any more).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreatePrivateDatabase(string path)
    {
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
        }
        catch (IOException e) when (e.HResult == 17)
        {
            // EEXIST: another process created it meanwhile, with this same mode.
            return;
        }
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }
        catch
        {
            // A full disk: no empty file left behind for the next attempt to take for a database.
            File.Delete(path);
            throw;
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
        services.AddSingleton<SqliteDataFolder>();
        services.AddSingleton<Campaigns.CampaignModels>();
        services.AddSingleton<Campaigns.InvitationLinkCache>();
        services.AddSingleton<Campaigns.BenchmarkReleases>();
        services.AddSingleton<Campaigns.InvitationLinkVault>();
        services.AddScoped<Campaigns.Questionnaire>();
        services.AddScoped<Campaigns.CampaignQueries>();
        services.AddScoped<Campaigns.CampaignLifecycle>();
        services.AddScoped<Campaigns.CampaignInvitations>();
        services.AddScoped<Campaigns.OperatorAnswers>();
        services.AddScoped<Campaigns.OperatorAccounts>();
        services.AddScoped<Campaigns.ApiKeys>();
        services.AddScoped<Mail.CampaignMail>();
        services.AddScoped<Mail.MailOutbox>();
        services.AddScoped<Mail.MailSender>();
        services.AddScoped<Privacy.PersonalDataPurge>();
        services.AddScoped<Privacy.ContributorErasure>();
        services.AddScoped<Privacy.PrivacyRegister>();
        if (settings.IsPostgres)
        {
            services.AddDbContextPool<PostgresBarometreContext>(settings.Configure);
            services.AddScoped<BarometreDbContext>(provider => provider.GetRequiredService<PostgresBarometreContext>());
        }
        else
        {
            services.AddDbContextPool<SqliteBarometreContext>((provider, options) =>
            {
                provider.GetRequiredService<SqliteDataFolder>();
                settings.Configure(options);
            });
            services.AddScoped<BarometreDbContext>(provider => provider.GetRequiredService<SqliteBarometreContext>());
        }
        return services;
    }
}
