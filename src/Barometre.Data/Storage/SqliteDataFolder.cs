using Microsoft.Extensions.Logging;

namespace Barometre.Data.Storage;

/// <summary>
/// A web app's hold on its SQLite data folder, taken before its first database connection and kept until it stops:
/// the files made private (each file tightened is logged) and the folder marked in use (<see cref="DataFolderLock"/>).
/// Nothing on PostgreSQL.
/// </summary>
public sealed partial class SqliteDataFolder : IDisposable
{
    private readonly DataFolderLock? _lock;

    public SqliteDataFolder(DatabaseSettings settings, ILogger<SqliteDataFolder> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.IsPostgres)
        {
            return;
        }
        foreach (var notice in settings.SecureSqliteFiles())
        {
            Tightened(logger, notice);
        }
        _lock = DataFolderLock.Shared(settings);
    }

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Notice}")]
    private static partial void Tightened(ILogger logger, string notice);
}
