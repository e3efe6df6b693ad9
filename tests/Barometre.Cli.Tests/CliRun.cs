namespace Barometre.Cli.Tests;

/// <summary>Runs the <c>barometre</c> command in process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = BarometreCli.Run(args, stdout, stderr);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "barometre-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string? content = null)
    {
        var path = System.IO.Path.Combine(Path, name);
        if (content is not null)
        {
            System.IO.File.WriteAllText(path, content);
        }
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
