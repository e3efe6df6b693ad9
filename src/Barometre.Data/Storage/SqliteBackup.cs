using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Storage;

/// <summary>
/// Copies of the SQLite database: made while the app keeps writing, and checked before one replaces a database.
/// </summary>
public static class SqliteBackup
{
    /// <summary>
    /// Copies the database at <paramref name="sourcePath"/> into <paramref name="destinationPath"/> (an empty file) with
    /// SQLite's online backup: one read transaction, so the copy is the database as it stood at one instant, every
    /// committed write before it and none after, while the app goes on writing (write-ahead log). The copy is a single
    /// self-contained file.
    /// </summary>
    public static void Copy(string sourcePath, string destinationPath)
    {
        using var source = Open(sourcePath, SqliteOpenMode.ReadWrite);
        // The copy waits for a checkpoint or a log recovery in progress rather than failing at once.
        Execute(source, "PRAGMA busy_timeout=30000;");
        using var destination = Open(destinationPath, SqliteOpenMode.ReadWrite);
        source.BackupDatabase(destination);
    }

    /// <summary>
    /// Why the file at <paramref name="path"/> cannot replace the data folder's database, in French; null when it can:
    /// a readable SQLite file with Baromètre's tables, whose migrations are those of this version or fewer (an older
    /// database is migrated when it is next opened). A newer one is refused: this version does not know its schema.
    /// </summary>
    /// <remarks>Opens the file for writing (SQLite may recover a journal): check a copy, not the user's file.</remarks>
    /// <param name="path">The file to check.</param>
    /// <param name="shownAs">The file the messages name (the one the copy was made from).</param>
    public static string? Problem(string path, string shownAs)
    {
        var quoted = $"« {TextRules.Quote(shownAs)} »";
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadWrite);
            var check = Strings(connection, "PRAGMA quick_check;");
            if (check is not ["ok"])
            {
                return $"{quoted} est une base SQLite endommagée ({TextRules.Quote(string.Join(" ; ", check.Take(3)))}).";
            }
            var tables = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table';");
            if (!tables.Contains(HistoryTable) || !tables.Contains("Campaigns") || !tables.Contains("Answers"))
            {
                return $"{quoted} n'est pas une base Baromètre : il y manque les campagnes, les réponses ou l'historique des migrations.";
            }
            var applied = Strings(connection, $"SELECT \"MigrationId\" FROM \"{HistoryTable}\" ORDER BY \"MigrationId\";");
            var known = Migrations;
            if (applied.FirstOrDefault(id => !known.Contains(id)) is { } unknown)
            {
                return $"{quoted} vient d'une version plus récente de Baromètre (migration « {TextRules.Quote(unknown)} » inconnue de celle-ci) : "
                    + "restaurez-la avec cette version-là, ou mettez barometre à jour.";
            }
            if (applied.Count == 0 || !applied.SequenceEqual(known.Take(applied.Count)))
            {
                return $"{quoted} a un historique des migrations incomplet ({applied.Count} sur {known.Count}) : ce n'est pas une base faite par Baromètre.";
            }
            return null;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            return $"{quoted} n'est pas une base SQLite, ou elle est endommagée.";
        }
    }

    /// <summary>The SQLite migrations this version knows, oldest first.</summary>
    public static IReadOnlyList<string> Migrations { get; } = KnownMigrations();

    private const string HistoryTable = "__EFMigrationsHistory";

    private static List<string> KnownMigrations()
    {
        // Listing migrations reads the assembly, never the database.
        using var context = new SqliteBarometreContext(new DbContextOptionsBuilder<SqliteBarometreContext>().UseSqlite("Data Source=:memory:").Options);
        return [.. context.Database.GetMigrations()];
    }

    /// <summary>A connection of its own (not pooled: closing it closes the file).</summary>
    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
