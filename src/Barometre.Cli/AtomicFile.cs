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
}
