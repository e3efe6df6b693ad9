using System.CommandLine;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Cli.Commands;

/// <summary>The options that choose the database (--data, --database) and opening it, migrated.</summary>
internal sealed class DataOptions
{
    public const string DataName = "--data";

    public const string DatabaseName = "--database";

    public Option<string> Data { get; } = new(DataName, "-d")
    {
        Description = "Dossier des données (la base SQLite y est créée)",
        DefaultValueFactory = _ => "barometre-data",
    };

    public Option<string?> Database { get; } = new(DatabaseName)
    {
        Description = $"Chaîne de connexion PostgreSQL (sinon la variable {DatabaseSettings.ConnectionVariable}, sinon SQLite dans --data)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Database);
    }

    public DatabaseSettings Settings(ParseResult parse) => DatabaseSettings.From(parse.GetValue(Data), parse.GetValue(Database));

    /// <summary>
    /// A context on the database, brought up to date with the migrations. A database that cannot be reached, opened
    /// or written throws an <see cref="EnvironmentException"/> that names it.
    /// </summary>
    public static async Task<BarometreDbContext> OpenAsync(DatabaseSettings settings, CancellationToken cancellationToken)
    {
        BarometreDbContext? db = null;
        try
        {
            db = settings.CreateContext();
            await db.Database.MigrateAsync(cancellationToken);
            return db;
        }
        catch (Exception e)
        {
            if (db is not null)
            {
                await db.DisposeAsync();
            }
            if (e is not EnvironmentException && settings.ExplainFailure(e) is { } message)
            {
                throw new EnvironmentException(message, e);
            }
            throw;
        }
    }

    /// <summary>
    /// Before a command that names a data folder runs: the files of its existing SQLite database tightened to 0600
    /// (databases made before files were private), with a notice for each — whichever command meets them first.
    /// </summary>
    public static void SecureExisting(ParseResult parse, TextWriter notices)
    {
        if (parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == DataName) is not Option<string> data)
        {
            return;
        }
        var database = parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == DatabaseName) is Option<string?> connection ? parse.GetValue(connection) : null;
        var settings = DatabaseSettings.From(parse.GetValue(data), database);
        if (!settings.IsPostgres && File.Exists(settings.SqlitePath))
        {
            foreach (var notice in settings.SecureSqliteFiles())
            {
                notices.WriteLine($"barometre : {notice}");
            }
        }
    }
}
