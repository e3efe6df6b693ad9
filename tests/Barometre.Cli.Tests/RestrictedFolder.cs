using System.Diagnostics;

namespace Barometre.Cli.Tests;

/// <summary>
/// A folder whose writes fail for real. The tests run as root, whom file modes do not stop: there a small tmpfs is
/// mounted over the folder — read-only, or full once <see cref="Full"/> has filled it. Elsewhere a read-only folder
/// is made with chmod, and a full one cannot be made (the test is skipped, loudly).
/// </summary>
internal sealed class RestrictedFolder : IDisposable
{
    private readonly bool _mounted;

    private RestrictedFolder(string path, bool mounted)
    {
        Path = path;
        _mounted = mounted;
    }

    public string Path { get; }

    /// <summary>A file path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>An empty folder in which nothing can be created or written.</summary>
    public static RestrictedFolder ReadOnly(string path)
    {
        Directory.CreateDirectory(path);
        if (OperatingSystem.IsWindows())
        {
            Skip("read-only folders are made on Unix");
        }
        else if (!Environment.IsPrivilegedProcess)
        {
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return new RestrictedFolder(path, mounted: false);
        }
        Mount(path, "ro,size=64k");
        return new RestrictedFolder(path, mounted: true);
    }

    /// <summary>
    /// A folder on a disk with no space left: a file can be created there (inodes remain), not filled; a few
    /// kilobytes are kept free when <paramref name="keepFree"/> is set, for a file the test creates first.
    /// </summary>
    public static RestrictedFolder Full(string path, int keepFree = 0)
    {
        Directory.CreateDirectory(path);
        if (!Environment.IsPrivilegedProcess)
        {
            Skip("a full disk needs a tmpfs, which only root can mount");
        }
        Mount(path, "size=256k");
        var folder = new RestrictedFolder(path, mounted: true);
        using (var filler = new FileStream(System.IO.Path.Combine(path, ".remplissage"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            var block = new byte[4096];
            try
            {
                for (var written = 0L; ; written += block.Length)
                {
                    filler.Write(block);
                    filler.Flush();
                }
            }
            catch (IOException e) when (e.HResult == 28)
            {
                // ENOSPC: the disk is full.
            }
            filler.SetLength(Math.Max(0, filler.Length - keepFree));
        }
        return folder;
    }

    public void Dispose()
    {
        if (_mounted)
        {
            // Lazily: a pooled SQLite connection of the test process may still hold a file there.
            Run("umount", "-l", Path);
        }
        else if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void Mount(string path, string options)
    {
        if (Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path) is { } error)
        {
            Skip($"mounting a tmpfs failed ({error})");
        }
    }

    private static void Skip(string why)
    {
        var message = $"*** {why}: this test of a full or read-only disk is SKIPPED. ***";
        Console.Error.WriteLine(message);
        Assert.Skip(message);
    }

    /// <summary>Runs a command; null when it succeeds, else what it printed.</summary>
    private static string? Run(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : error.Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
