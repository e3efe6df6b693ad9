using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Barometre.Durability;

/// <summary>The campaign or the server could not be set up: not a durability result.</summary>
internal sealed class SetupException(string message) : Exception(message);

/// <summary>Runs the published <c>barometre</c> command: one-off commands, and the server it kills and restarts.</summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly DurabilityOptions options;
    private readonly string logPath;
    private readonly StreamWriter log;
    private readonly HttpClient health;
    private Process? server;

    public ServerProcess(DurabilityOptions options)
    {
        this.options = options;
        Root = new Uri($"http://127.0.0.1:{FreePort()}");
        logPath = Path.Combine(options.Work, "serve.log");
        log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        health = new HttpClient { BaseAddress = Root, Timeout = TimeSpan.FromSeconds(2) };
    }

    /// <summary>The server's address, the same across restarts (loopback only).</summary>
    public Uri Root { get; }

    /// <summary>Runs <c>barometre ARGS --data DIR [--database CONNECTION]</c> to its end and returns its standard output.</summary>
    public async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(arguments)) ?? throw new SetupException($"could not start {options.Barometre}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new SetupException($"barometre {string.Join(' ', arguments)} did not end within {CommandTimeout.TotalSeconds} s");
        }
        if (process.ExitCode != 0)
        {
            throw new SetupException($"barometre {string.Join(' ', arguments)} ended with exit code {process.ExitCode}: {(await error).Trim()}");
        }
        return await output;
    }

    /// <summary>Starts <c>barometre serve</c> and waits until <c>/health</c> answers 200.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var process = Process.Start(StartInfo(["serve", "--urls", Root.ToString().TrimEnd('/')])) ?? throw new SetupException($"could not start {options.Barometre} serve");
        process.OutputDataReceived += (_, line) => Log(line.Data);
        process.ErrorDataReceived += (_, line) => Log(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        server = process;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new SetupException($"barometre serve ended with exit code {process.ExitCode} at start-up:\n{LogTail()}");
            }
            try
            {
                using var response = await health.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but still migrating: the health check timed out.
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new SetupException($"barometre serve did not answer /health within {StartTimeout.TotalSeconds} s:\n{LogTail()}");
    }

    /// <summary>Kills the server with SIGKILL (what <see cref="Process.Kill()"/> sends on Unix): no shutdown, no flush.</summary>
    public void Kill()
    {
        if (server is { } process)
        {
            server = null;
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.WaitForExit();
            process.Dispose();
        }
    }

    public void Dispose()
    {
        Kill();
        health.Dispose();
        log.Dispose();
    }

    private ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(options.Barometre)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(Path.Combine(options.Work, "data"));
        if (options.Database is { } database)
        {
            start.ArgumentList.Add("--database");
            start.ArgumentList.Add(database);
        }
        // The run's database is the one on the command line, never one left in the environment.
        start.Environment.Remove("BAROMETRE_DATABASE");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private string LogTail()
    {
        lock (log)
        {
            log.Flush();
        }
        using var reader = new StreamReader(new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(30));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
