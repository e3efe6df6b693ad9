namespace Barometre.Data.Storage;

/// <summary>
/// Marks a SQLite data folder in use, so that <c>barometre restore</c> never replaces the database of a running
/// server: every web app on the folder holds a shared lock on <see cref="FileName"/> for its lifetime; a restore
/// takes it exclusively, and fails while any app holds it (a server started during a restore fails likewise).
/// </summary>
/// <remarks>
/// The lock is the runtime's file-sharing lock (<c>flock</c> on Unix, share modes on Windows), held per open file
/// rather than per process, so two apps in one process see each other. The database file itself is never opened
/// for this: on Unix, closing any handle of a file drops every POSIX lock the process holds on it, SQLite's included.
/// </remarks>
public sealed class DataFolderLock : IDisposable
{
    /// <summary>The lock file in the data folder (empty).</summary>
    public const string FileName = "barometre.db.lock";

    private readonly FileStream _file;

    private DataFolderLock(FileStream file) => _file = file;

    /// <summary>
    /// A shared lock on the folder (a web app); throws an <see cref="EnvironmentException"/> while a restore holds it.
    /// </summary>
    public static DataFolderLock Shared(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return TryTake(settings, exclusive: false) ?? throw new EnvironmentException(
            $"une restauration est en cours dans le dossier des données « {TextRules.Quote(settings.DataDirectory)} » (barometre restore) : "
            + "relancez le serveur quand elle est terminée.");
    }

    /// <summary>The exclusive lock on the folder (a restore), or null while an app or another restore holds it.</summary>
    public static DataFolderLock? TryExclusive(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return TryTake(settings, exclusive: true);
    }

    public void Dispose() => _file.Dispose();

    private static DataFolderLock? TryTake(DatabaseSettings settings, bool exclusive)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = exclusive ? FileAccess.ReadWrite : FileAccess.Read,
            Share = exclusive ? FileShare.None : FileShare.ReadWrite,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = DatabaseSettings.PrivateFile;
        }
        try
        {
            return new DataFolderLock(new FileStream(Path.Combine(settings.DataDirectory, FileName), options));
        }
        catch (IOException e) when (e.HResult is 11 or unchecked((int)0x80070020))
        {
            // EWOULDBLOCK / ERROR_SHARING_VIOLATION: the other kind of lock is held.
            return null;
        }
    }
}
