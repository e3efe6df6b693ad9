using System.CommandLine;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Cli.Commands;

/// <summary>The options that choose the database (--data, --database) and opening it, migrated.</summary>
internal sealed class DataOptions
{
    public Option<string> Data { get; } = new("--data", "-d")
    {
        Description = "Dossier des données (la base SQLite y est créée)",
        DefaultValueFactory = _ => "barometre-data",
    };

    public Option<string?> Database { get; } = new("--database")
    {
        Description = $"Chaîne de connexion PostgreSQL (sinon la variable {DatabaseSettings.ConnectionVariable}, sinon SQLite dans --data)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Database);
    }

    public DatabaseSettings Settings(ParseResult parse) => DatabaseSettings.From(parse.GetValue(Data), parse.GetValue(Database));

    /// <summary>A context on the database, brought up to date with the migrations.</summary>
    public static async Task<BarometreDbContext> OpenAsync(DatabaseSettings settings, CancellationToken cancellationToken)
    {
        var db = settings.CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
        return db;
    }
}
