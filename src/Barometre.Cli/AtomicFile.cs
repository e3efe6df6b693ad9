using Barometre.Data;
using Barometre.Data.Storage;

namespace Barometre.Cli;

/// <summary>
/// Writes files so that a reader never sees a half-written one and a failure leaves the old file intact. Every file is
/// created readable by its owner only (0600): what the command line writes — links with their tokens, each
/// collectivité's scores and answers, confidential reports, backups — is confidential; share it with chmod.
/// A file that cannot be written throws an <see cref="EnvironmentException"/> naming it.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, byte[] content, bool durable = true) => Write(path, stream => stream.Write(content), durable);

    public static void Write(string path, string content, bool durable = true) => Write(path, System.Text.Encoding.UTF8.GetBytes(content), durable);

    /// <param name="path">The file to write.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="durable">Flush to the disk before the rename (a crash cannot leave an empty file); bulk
    /// outputs that can be regenerated skip it, as it costs a disk round trip per file.</param>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        var full = Path.GetFullPath(path);
        try
        {
            if (WriteToStreamingTarget(full, write))
            {
                return;
            }
            Replace(full, temporary =>
            {
                using var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write, FileShare.None, 1 << 16);
                write(stream);
                stream.Flush(flushToDisk: durable);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(full, e);
        }
    }

    /// <summary>
    /// Writes <paramref name="path"/> through a temporary file that <paramref name="write"/> fills by its path (SQLite's
    /// backup opens the file itself), flushed to the disk before the rename.
    /// </summary>
    public static void WriteByPath(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        try
        {
            Replace(full, temporary =>
            {
                write(temporary);
                using var written = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
                written.Flush(flushToDisk: true);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(full, e);
        }
    }

    /// <summary>
    /// Writes a folder of files all or nothing: into a temporary folder beside <paramref name="path"/>, renamed to it once
    /// complete. A folder already there is replaced only when it is empty or holds what <paramref name="isReplaceable"/>
    /// accepts (an earlier output of the same command), through one more rename; anything else is refused and left as it is.
    /// </summary>
    /// <param name="path">The folder to write.</param>
    /// <param name="files">Each file's name (no folder) and content.</param>
    /// <param name="isReplaceable">Whether an existing, non-empty folder may be replaced.</param>
    public static void WriteDirectory(string path, IReadOnlyList<(string Name, byte[] Content)> files, Func<string, bool> isReplaceable)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(isReplaceable);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (File.Exists(full))
        {
            throw new EnvironmentException($"impossible d'écrire le dossier « {TextRules.Quote(full)} » : c'est un fichier ; indiquez un dossier.");
        }
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !isReplaceable(full))
        {
            throw new EnvironmentException($"le dossier « {TextRules.Quote(full)} » existe déjà et contient autre chose : indiquez un dossier vide ou nouveau.");
        }
        var parent = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var previous = temporary + ".ancien";
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(temporary);
            foreach (var (name, content) in files)
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = DatabaseSettings.PrivateFile;
                }
                using var stream = new FileStream(Path.Combine(temporary, name), options);
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            var replacing = Directory.Exists(full);
            if (replacing)
            {
                Directory.Move(full, previous);
            }
            try
            {
                Directory.Move(temporary, full);
            }
            catch (Exception e) when (replacing && e is IOException or UnauthorizedAccessException)
            {
                // The earlier output goes back in place: nothing half-done remains.
                Directory.Move(previous, full);
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(full, e);
        }
        finally
        {
            foreach (var leftover in (string[])[temporary, previous])
            {
                try
                {
                    if (Directory.Exists(leftover))
                    {
                        Directory.Delete(leftover, recursive: true);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A folder that refuses to list its entries never let the temporary one be created.
                }
            }
        }
    }

    /// <summary>Creates an empty private temporary file beside <paramref name="full"/>, lets <paramref name="fill"/> write it, then renames it over.</summary>
    private static void Replace(string full, Action<string> fill)
    {
        if (Directory.Exists(full))
        {
            throw new EnvironmentException($"impossible d'écrire « {TextRules.Quote(full)} » : c'est un dossier ; indiquez le chemin d'un fichier.");
        }
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = DatabaseSettings.PrivateFile;
            }
            new FileStream(temporary, options).Dispose();
            fill(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A read-only folder refuses even to look for it: the temporary file was never created.
            }
        }
    }

    private static EnvironmentException Unwritable(string full, Exception e) => new(
        $"impossible d'écrire « {TextRules.Quote(full)} » : {EnvironmentFailure.Explain(e, namePath: false)}. "
            + "Vérifiez que le dossier existe et est accessible en écriture, et qu'il reste de la place sur le disque.",
        e);

    /// <summary>
    /// Writes straight to an existing target that is not a regular file — /dev/null, /dev/stdout, a pipe
    /// (<c>--out &gt;(gzip &gt; r.gz)</c>) — which a rename would replace by a regular file; false for anything else.
    /// </summary>
    private static bool WriteToStreamingTarget(string path, Action<Stream> write)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using var target = TryOpenForWriting(path);
        if (target is null || IsRegularFile(target))
        {
            return false;
        }
        write(target);
        target.Flush();
        return true;
    }

    /// <summary>
    /// Whether an open file is a regular one. Character devices seek (so CanSeek alone does not tell them apart), but
    /// truncating to the current length, which changes nothing in a regular file, fails on devices and pipes.
    /// </summary>
    private static bool IsRegularFile(FileStream target)
    {
        if (!target.CanSeek)
        {
            return false;
        }
        try
        {
            target.SetLength(target.Length);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static FileStream? TryOpenForWriting(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // A read-only or locked regular file in a writable folder: the rename can still replace it.
            return null;
        }
    }
}
