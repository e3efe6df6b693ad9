namespace Barometre.Cli;

/// <summary>Writes files so that a reader never sees a half-written one and a failure leaves the old file intact.</summary>
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
        if (WriteToStreamingTarget(full, write))
        {
            return;
        }
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Writes straight to an existing target that is not a regular file — /dev/null, /dev/stdout, a pipe
    /// (<c>--out &gt;(gzip &gt; r.gz)</c>) — which a rename would replace by a regular file. Such targets cannot
    /// seek; false for anything else.
    /// </summary>
    private static bool WriteToStreamingTarget(string path, Action<Stream> write)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using var target = TryOpenForWriting(path);
        if (target is not { CanSeek: false })
        {
            return false;
        }
        write(target);
        return true;
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
