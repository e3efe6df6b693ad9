using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Barometre.Reports.Pdf;

/// <summary>
/// One headless chromium, started with our flags on a fresh profile, listening for DevTools on a random
/// loopback port; it keeps the last lines chromium wrote on stderr for error messages and is killed if
/// the application ends without disposing it.
/// </summary>
/// <remarks>
/// PuppeteerSharp connects to it (<see cref="ChromiumPdfPrinter"/>) but does not launch it: its launcher
/// builds the failure message when chromium's process exits, before chromium's last stderr lines are
/// read, so a chromium that stops at once (a wrong <c>BAROMETRE_CHROMIUM</c>, a missing library) often
/// failed with no reason given (hardkoded/puppeteer-sharp#3040). Here the wait ends only at the end of
/// stderr, which comes after every line.
/// </remarks>
internal sealed class ChromiumProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly StderrTail stderr;
    private readonly EventHandler killOnExit;

    private ChromiumProcess(Process process, StderrTail stderr, EventHandler killOnExit, Uri endpoint)
    {
        this.process = process;
        this.stderr = stderr;
        this.killOnExit = killOnExit;
        Endpoint = endpoint;
    }

    /// <summary>The browser's DevTools WebSocket address (ws://127.0.0.1:port/devtools/browser/…).</summary>
    public Uri Endpoint { get; }

    /// <summary>The process id (tests, diagnostics).</summary>
    public int Id => process.Id;

    /// <summary>Whether chromium has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>" Chromium s'est arrêté (code N)." and its last stderr lines once it has exited, else "".</summary>
    public string DescribeExit() => process.HasExited ? $" Chromium s'est arrêté (code {process.ExitCode}).{stderr.Describe()}" : "";

    /// <summary>Its last stderr lines (<see cref="StderrTail.Describe"/>).</summary>
    public string DescribeStderr() => stderr.Describe();

    /// <summary>Starts chromium and waits until it listens for DevTools.</summary>
    /// <exception cref="ChromiumPdfException">It did not start; the message ends with what it wrote on stderr.</exception>
    public static async Task<ChromiumProcess> StartAsync(string executable, string profileDirectory, CancellationToken cancellationToken)
    {
        var stderr = new StderrTail();
        var process = new Process { StartInfo = StartInfo(executable, profileDirectory), EnableRaisingEvents = true };
        EventHandler? killOnExit = null;
        try
        {
            process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
            process.OutputDataReceived += (_, _) => { }; // drained, so a chatty chromium never blocks on a full pipe
            try
            {
                process.Start();
            }
            catch (Win32Exception exception)
            {
                throw new ChromiumPdfException($"Impossible de lancer Chromium (« {executable} ») : {exception.Message}", exception);
            }
            killOnExit = (_, _) => KillQuietly(process); // if the application ends without disposing us, chromium must not outlive it
            AppDomain.CurrentDomain.ProcessExit += killOnExit;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            try
            {
                var endpoint = await stderr.Endpoint.WaitAsync(timeout.Token).ConfigureAwait(false);
                return new ChromiumProcess(process, stderr, killOnExit, endpoint);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ChromiumPdfException(
                    $"Chromium (« {executable} ») n'a pas ouvert son port DevTools en {StartTimeout.TotalSeconds:0} s.{stderr.Describe()}");
            }
            catch (EndOfStreamException)
            {
                await WaitForExitQuietlyAsync(process, ExitTimeout).ConfigureAwait(false);
                var code = process.HasExited ? $" (code de sortie {process.ExitCode})" : "";
                throw new ChromiumPdfException($"Chromium (« {executable} ») s'est arrêté au démarrage{code}.{stderr.Describe()}");
            }
        }
        catch
        {
            if (killOnExit is not null)
            {
                AppDomain.CurrentDomain.ProcessExit -= killOnExit;
            }
            await StopAsync(process).ConfigureAwait(false);
            throw;
        }
    }

    private static ProcessStartInfo StartInfo(string executable, string profileDirectory)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = false,
            StandardErrorEncoding = Encoding.UTF8,
            StandardOutputEncoding = Encoding.UTF8,
        };
        string[] arguments =
        [
            "--headless",
            "--no-sandbox", // mandatory as root; documents are our own, rendered offline
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-breakpad",
            "--disable-client-side-phishing-detection",
            "--disable-domain-reliability",
            "--disable-field-trial-config",
            "--metrics-recording-only",
            "--no-pings",
            "--password-store=basic",
            "--use-mock-keychain",
            // Several tabs print at once: none of them may be throttled as a background tab.
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--disable-renderer-backgrounding",
            "--disable-hang-monitor",
            "--disable-back-forward-cache", // a reused tab must not keep its previous documents alive
            // Containers often have a tiny /dev/shm; Debian's launcher script means to add this but its test is fragile.
            "--disable-dev-shm-usage",
            "--force-color-profile=srgb",
            "--hide-scrollbars",
            "--mute-audio",
            // Self-contained documents: no host name resolves, so nothing is fetched from the network.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            $"--user-data-dir={profileDirectory}",
            "about:blank",
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        return startInfo;
    }

    /// <summary>Waits for chromium to exit (after Browser.close), kills it if it doesn't within 5 s. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= killOnExit;
        await WaitForExitQuietlyAsync(process, ExitTimeout).ConfigureAwait(false);
        await StopAsync(process).ConfigureAwait(false);
    }

    private static async Task StopAsync(Process process)
    {
        KillQuietly(process);
        await WaitForExitQuietlyAsync(process, ExitTimeout).ConfigureAwait(false);
        process.Dispose();
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited meanwhile, never started, or disposed already.
        }
    }

    private static async Task WaitForExitQuietlyAsync(Process process, TimeSpan timeout)
    {
        try
        {
            using var cancellation = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException)
        {
            // Still running (the caller kills it), never started, or disposed already.
        }
    }

    /// <summary>Chromium's stderr: the DevTools endpoint line, and the last lines for error messages.</summary>
    private sealed class StderrTail
    {
        private const int MaxLines = 40;
        private const string ListeningPrefix = "DevTools listening on ";
        private readonly Queue<string> lines = new();
        private readonly Lock gate = new();
        private readonly TaskCompletionSource<Uri> endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The browser's WebSocket URL; fails with <see cref="EndOfStreamException"/> if stderr closes first.</summary>
        public Task<Uri> Endpoint => endpoint.Task;

        public void Add(string? line)
        {
            if (line is null)
            {
                endpoint.TrySetException(new EndOfStreamException());
                return;
            }
            if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal)
                && Uri.TryCreate(line[ListeningPrefix.Length..].Trim(), UriKind.Absolute, out var uri))
            {
                endpoint.TrySetResult(uri);
            }
            if (line.Length == 0)
            {
                return;
            }
            lock (gate)
            {
                lines.Enqueue(line);
                while (lines.Count > MaxLines)
                {
                    lines.Dequeue();
                }
            }
        }

        /// <summary>"\nDernières lignes de la sortie d'erreur de Chromium :\n…" with the last lines, or "" when there are none.</summary>
        public string Describe()
        {
            lock (gate)
            {
                return lines.Count == 0
                    ? ""
                    : "\nDernières lignes de la sortie d'erreur de Chromium :\n" + string.Join('\n', lines);
            }
        }
    }
}
