using System.CommandLine;
using System.Globalization;
using Barometre.Data;
using Barometre.Data.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre backup</c> and <c>barometre restore</c>: the SQLite database copied while the server runs, and put
/// back in a data folder, all or nothing. PostgreSQL has its own tools, which the commands name.
/// </summary>
internal static class BackupCommand
{
    public static Command CreateBackup(CliContext context)
    {
        var data = new DataOptions();
        var output = new Option<string>("--out", "-o") { Description = "Fichier de la sauvegarde : une base SQLite complète, lisible par son propriétaire seul", Required = true };
        var command = new Command("backup",
            "Sauvegarde la base SQLite du dossier des données ; cohérente même pendant que le serveur tourne et enregistre des réponses. "
            + "PostgreSQL : pg_dump (la commande l'indique).") { output };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            var settings = data.Settings(parse);
            if (settings.IsPostgres)
            {
                context.Error.WriteLine(PostgresTools(settings));
                return ExitCodes.UsageError;
            }
            if (!File.Exists(settings.SqlitePath))
            {
                context.Error.WriteLine($"barometre : aucune base dans « {TextRules.Quote(settings.DataDirectory)} » ({DatabaseSettings.SqliteFileName} absent) : indiquez le dossier des données avec --data.");
                return ExitCodes.InvalidInput;
            }
            var path = Path.GetFullPath(parse.GetValue(output)!);
            AtomicFile.WriteByPath(path, temporary => SqliteBackup.Copy(settings.SqlitePath, temporary));
            context.Out.WriteLine($"Sauvegarde de {settings.SqlitePath} écrite dans {path} ({Size(path)}) ; "
                + $"pour la restaurer : barometre restore --data DOSSIER --from {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateRestore(CliContext context)
    {
        var data = new DataOptions();
        var from = new Option<string>("--from") { Description = "Sauvegarde à restaurer (faite par barometre backup)", Required = true };
        var command = new Command("restore",
            "Remplace la base SQLite du dossier des données par une sauvegarde, tout ou rien ; l'ancienne base est gardée à côté "
            + "(barometre.db.avant-restauration-…). Arrêtez d'abord le serveur : la restauration refuse un dossier qu'il utilise. "
            + "Une sauvegarde d'une version antérieure est mise à jour au démarrage suivant ; d'une version plus récente, refusée. "
            + "PostgreSQL : pg_restore (la commande l'indique).") { from };
        data.AddTo(command);
        command.SetAction(parse =>
        {
            var settings = data.Settings(parse);
            if (settings.IsPostgres)
            {
                context.Error.WriteLine(PostgresTools(settings));
                return ExitCodes.UsageError;
            }
            return Restore(context, settings, Path.GetFullPath(parse.GetValue(from)!));
        });
        return command;
    }

    private static int Restore(CliContext context, DatabaseSettings settings, string source)
    {
        if (Problem(source) is { } problem)
        {
            context.Error.WriteLine($"barometre : {problem}");
            return ExitCodes.InvalidInput;
        }
        CreateDataFolder(settings);
        using var folderLock = DataFolderLock.TryExclusive(settings);
        if (folderLock is null)
        {
            throw new EnvironmentException(
                $"la base de « {TextRules.Quote(settings.DataDirectory)} » est en cours d'utilisation (barometre serve, ou une autre restauration) : "
                + "arrêtez le serveur, puis relancez la restauration ; rien n'a été modifié.");
        }
        var database = settings.SqlitePath;
        var staged = Path.Combine(settings.DataDirectory, $".{DatabaseSettings.SqliteFileName}.restauration-{Guid.NewGuid():N}");
        try
        {
            AtomicFile.Write(staged, stream =>
            {
                using var input = File.OpenRead(source);
                input.CopyTo(stream);
            });
            if (SqliteBackup.Problem(staged, shownAs: source) is { } invalid)
            {
                context.Error.WriteLine($"barometre : {invalid} Rien n'a été modifié.");
                return ExitCodes.InvalidInput;
            }
            // Pooled connections of this process would go on reading the file set aside.
            SqliteConnection.ClearPool(new SqliteConnection(settings.SqliteConnection));
            var aside = SetAside(context, database);
            try
            {
                File.Move(staged, database);
            }
            catch
            {
                if (aside is not null)
                {
                    Move(aside, database);
                }
                throw;
            }
            context.Out.WriteLine($"Base restaurée depuis {source} dans {database}."
                + (aside is null ? "" : $" L'ancienne base est conservée sous {aside}."));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException(
                $"la restauration dans « {TextRules.Quote(settings.DataDirectory)} » a échoué : {EnvironmentFailure.Explain(e)} ; la base en place n'a pas été modifiée.", e);
        }
        finally
        {
            foreach (var leftover in (string[])[staged, staged + "-wal", staged + "-shm", staged + "-journal"])
            {
                File.Delete(leftover);
            }
        }
    }

    /// <summary>Why <paramref name="source"/> is not a file to restore from; null when it may be one (its content is checked on a copy).</summary>
    private static string? Problem(string source)
    {
        var quoted = $"« {TextRules.Quote(source)} »";
        if (Directory.Exists(source))
        {
            return $"{quoted} est un dossier : --from désigne le fichier d'une sauvegarde (barometre backup --out).";
        }
        if (!File.Exists(source))
        {
            return $"{quoted} : fichier introuvable.";
        }
        if (new FileInfo(source + "-wal") is { Exists: true, Length: > 0 })
        {
            return $"{quoted} est accompagné d'un journal « -wal » : c'est la base d'un serveur en marche, pas une sauvegarde ; faites-en une avec barometre backup.";
        }
        return null;
    }

    private static void CreateDataFolder(DatabaseSettings settings)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(settings.DataDirectory);
            }
            else if (!Directory.Exists(settings.DataDirectory))
            {
                Directory.CreateDirectory(settings.DataDirectory, DatabaseSettings.PrivateFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException(
                $"le dossier des données « {TextRules.Quote(settings.DataDirectory)} » ne peut pas être créé : {EnvironmentFailure.Explain(e, namePath: false)}.", e);
        }
    }

    /// <summary>
    /// Renames the database in place, with its write-ahead log (which may hold committed writes of a server that was
    /// killed) and shared memory, to <c>barometre.db.avant-restauration-DATE</c>; null when there is none.
    /// </summary>
    private static string? SetAside(CliContext context, string database)
    {
        if (!File.Exists(database))
        {
            return null;
        }
        var stamp = context.Clock.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var aside = $"{database}.avant-restauration-{stamp}";
        for (var n = 2; File.Exists(aside); n++)
        {
            aside = string.Create(CultureInfo.InvariantCulture, $"{database}.avant-restauration-{stamp}-{n}");
        }
        Move(database, aside);
        return aside;
    }

    /// <summary>Moves a database file with its -wal and -shm companions, the main file last so that it never lacks its log.</summary>
    private static void Move(string from, string to)
    {
        foreach (var suffix in (string[])["-wal", "-shm"])
        {
            if (File.Exists(from + suffix))
            {
                File.Move(from + suffix, to + suffix);
            }
        }
        File.Move(from, to);
    }

    /// <summary>What to run on PostgreSQL instead: pg_dump while the app runs, pg_restore once it is stopped.</summary>
    private static string PostgresTools(DatabaseSettings settings)
    {
        var connection = new NpgsqlConnectionStringBuilder(settings.PostgresConnection);
        var target = string.Create(CultureInfo.InvariantCulture, $"--host={connection.Host} --port={connection.Port} --username={connection.Username}");
        return "barometre : backup et restore traitent la base SQLite d'un dossier de données. Sur PostgreSQL, utilisez ses outils "
            + "(mot de passe dans PGPASSWORD ou ~/.pgpass) :\n"
            + $"  sauvegarde, serveur en marche : pg_dump --format=custom --file=barometre.dump {target} {connection.Database}\n"
            + $"  restauration, serveur arrêté :  pg_restore --clean --if-exists --no-owner --single-transaction {target} --dbname={connection.Database} barometre.dump";
    }

    private static string Size(string path) => new FileInfo(path).Length switch
    {
        < 1 << 20 and var bytes => $"{Barometre.Core.FrenchFormat.Number(bytes / 1024.0, 0)} Ko",
        var bytes => $"{Barometre.Core.FrenchFormat.Number(bytes / (1024.0 * 1024.0), 1)} Mo",
    };
}
