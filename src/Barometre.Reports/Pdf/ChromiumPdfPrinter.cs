using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Barometre.Reports.Pdf;

/// <summary>
/// Prints self-contained HTML documents to PDF with one headless chromium process, driven over the
/// Chrome DevTools Protocol (a WebSocket on 127.0.0.1, random port). Start it once, print thousands of
/// documents (several at a time if you like: it is thread-safe, each print gets its own tab), dispose it.
/// </summary>
/// <remarks>
/// Documents must be self-contained (styles inline, fonts and images as data: URIs, inline SVG): host
/// names don't resolve inside this browser, so a stray external reference fails fast instead of
/// waiting for the network or leaking a request.
/// </remarks>
public sealed class ChromiumPdfPrinter : IAsyncDisposable
{
    /// <summary>Environment variable naming the chromium executable to use.</summary>
    public const string ExecutableVariable = "BAROMETRE_CHROMIUM";

    private static readonly string[] KnownLocations =
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
    ];

    // A4 in inches (210 × 297 mm), for pages whose CSS doesn't say (preferCSSPageSize lets @page win).
    // Chromium quantizes page sizes in steps of 0.96 pt: 210 mm would come out 595.92 pt wide, 8.26 in
    // gives 594.96 pt, the same as CSS `size: A4` and closer to A4's 595.28 pt.
    private const double A4WidthInches = 8.26;
    private const double A4HeightInches = 297 / 25.4;
    // Default margins when the CSS has no @page margin; the footer lives in the bottom one.
    private const double SideMarginInches = 14 / 25.4;
    private const double TopMarginInches = 16 / 25.4;
    private const double BottomMarginInches = 18 / 25.4;

    // Tabs are reused (opening one costs about as much as printing a small page); a tab is retired
    // after this many documents, so that whatever a renderer accumulates doesn't grow forever.
    private const int MaxPrintsPerTab = 100;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(5);
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    private readonly Process process;
    private readonly CdpConnection cdp;
    private readonly StderrTail stderr;
    private readonly string workDirectory;
    private readonly string documentsDirectory;
    private readonly SemaphoreSlim concurrency;
    private readonly EventHandler killOnExit;
    private readonly Lock idleGate = new();
    private readonly Stack<Tab> idleTabs = new();
    private int disposed;

    private ChromiumPdfPrinter(Process process, CdpConnection cdp, StderrTail stderr, string workDirectory, EventHandler killOnExit)
    {
        this.process = process;
        this.cdp = cdp;
        this.stderr = stderr;
        this.workDirectory = workDirectory;
        this.killOnExit = killOnExit;
        documentsDirectory = Path.Combine(workDirectory, "documents");
        MaxConcurrentPrints = Math.Max(2, 2 * Environment.ProcessorCount);
        concurrency = new SemaphoreSlim(MaxConcurrentPrints, MaxConcurrentPrints);
    }

    /// <summary>
    /// How many documents are rendered at once; further <see cref="PrintAsync"/> calls queue (their
    /// time-out starts when their turn comes). Twice the processor count: rendering is CPU-bound, a
    /// little overlap hides the DevTools round trips, and the cap bounds memory (one tab each) when a
    /// caller hands over thousands of documents at once.
    /// </summary>
    public int MaxConcurrentPrints { get; }

    /// <summary>How long one print may take once started (load, fonts, printing). 60 s.</summary>
    internal TimeSpan PrintTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The chromium process id (tests, diagnostics).</summary>
    internal int ProcessId => process.Id;

    /// <summary>Sends a browser-level DevTools command (tests, diagnostics).</summary>
    internal Task<JsonElement> SendBrowserCommandAsync(string method, JsonObject? parameters, CancellationToken cancellationToken) =>
        cdp.SendAsync(method, parameters, null, cancellationToken);

    /// <summary>The temporary directory (profile and documents) deleted at disposal (tests).</summary>
    internal string WorkDirectory => workDirectory;

    /// <summary>
    /// The chromium to use: <c>BAROMETRE_CHROMIUM</c> when set (even if it names no file, so that a wrong
    /// setting is reported rather than silently replaced), else the first of /usr/bin/chromium,
    /// /usr/bin/chromium-browser, /usr/bin/google-chrome, /usr/bin/google-chrome-stable that exists, else null.
    /// </summary>
    public static string? FindChromium() => FindChromium(Environment.GetEnvironmentVariable(ExecutableVariable));

    /// <summary><see cref="FindChromium()"/> with the variable's value given (tests need not touch the environment).</summary>
    internal static string? FindChromium(string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? configured : KnownLocations.FirstOrDefault(File.Exists);

    /// <summary>
    /// Starts one headless chromium (fresh temporary profile, no network services) and connects to it.
    /// </summary>
    /// <param name="executablePath">The chromium executable; null to use <see cref="FindChromium"/>.</param>
    /// <exception cref="ChromiumNotFoundException">No such executable.</exception>
    /// <exception cref="ChromiumPdfException">It did not start; the message ends with what it wrote on stderr.</exception>
    public static async Task<ChromiumPdfPrinter> StartAsync(string? executablePath = null, CancellationToken cancellationToken = default)
    {
        var executable = executablePath ?? FindChromium();
        if (executable is null || !File.Exists(executable))
        {
            throw new ChromiumNotFoundException(executable);
        }

        var workDirectory = Directory.CreateTempSubdirectory("barometre-chromium-").FullName;
        var stderr = new StderrTail();
        Process? process = null;
        EventHandler? killOnExit = null;
        try
        {
            Directory.CreateDirectory(Path.Combine(workDirectory, "documents"));
            process = new Process { StartInfo = StartInfo(executable, Path.Combine(workDirectory, "profile")), EnableRaisingEvents = true };
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
            var started = process;
            killOnExit = (_, _) => KillQuietly(started); // if the application ends without disposing us, chromium must not outlive it
            AppDomain.CurrentDomain.ProcessExit += killOnExit;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            Uri endpoint;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(StartTimeout);
                try
                {
                    endpoint = await stderr.Endpoint.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ChromiumPdfException(
                        $"Chromium (« {executable} ») n'a pas ouvert son port DevTools en {StartTimeout.TotalSeconds:0} s.{stderr.Describe()}");
                }
                catch (EndOfStreamException)
                {
                    await WaitForExitQuietlyAsync(process, CleanupTimeout).ConfigureAwait(false);
                    var code = process.HasExited ? $" (code de sortie {process.ExitCode})" : "";
                    throw new ChromiumPdfException($"Chromium (« {executable} ») s'est arrêté au démarrage{code}.{stderr.Describe()}");
                }
            }

            CdpConnection cdp;
            try
            {
                cdp = await CdpConnection.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or HttpRequestException)
            {
                throw new ChromiumPdfException($"Impossible de se connecter à Chromium sur {endpoint} : {exception.Message}{stderr.Describe()}", exception);
            }
            return new ChromiumPdfPrinter(process, cdp, stderr, workDirectory, killOnExit);
        }
        catch
        {
            if (killOnExit is not null)
            {
                AppDomain.CurrentDomain.ProcessExit -= killOnExit;
            }
            if (process is not null)
            {
                KillQuietly(process);
                await WaitForExitQuietlyAsync(process, CleanupTimeout).ConfigureAwait(false);
                process.Dispose();
            }
            await DeleteDirectoryQuietlyAsync(workDirectory).ConfigureAwait(false);
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

    /// <summary>
    /// Prints a complete, self-contained HTML document to PDF: A4 portrait unless its CSS @page says
    /// otherwise, backgrounds printed, a small grey footer (<see cref="PdfOptions"/>), tagged (accessible)
    /// PDF with an outline from the headings. Waits for the load event and <c>document.fonts.ready</c>.
    /// Thread-safe: concurrent calls each print in their own tab.
    /// </summary>
    /// <exception cref="TimeoutException">The print took more than 60 s.</exception>
    /// <exception cref="ChromiumPdfException">Chromium refused or failed (message from chromium).</exception>
    public async Task<byte[]> PrintAsync(string html, PdfOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        options ??= new PdfOptions();

        await concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            var timeout = PrintTimeout;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var stage = new Stage();
            Tab? tab = null;
            var reusable = false;
            try
            {
                stage.Current = "ouverture d'un onglet";
                tab = TakeIdleTab() ?? await OpenTabAsync(deadline.Token).ConfigureAwait(false);
                var pdf = await PrintInTabAsync(tab, html, options, stage, deadline.Token).ConfigureAwait(false);
                reusable = ++tab.Uses < MaxPrintsPerTab;
                return pdf;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"L'impression PDF a dépassé {timeout.TotalSeconds:0.#} s (étape : {stage.Current}) ; le document est-il trop lourd, ou un script bloque-t-il la page ?"));
            }
            catch (ChromiumPdfException exception) when (Volatile.Read(ref disposed) == 0 && cdp.ClosedReason is not null && process.HasExited)
            {
                throw new ChromiumPdfException($"{exception.Message} Chromium s'est arrêté (code {process.ExitCode}).{stderr.Describe()}", exception);
            }
            finally
            {
                if (tab is not null)
                {
                    if (reusable && Volatile.Read(ref disposed) == 0)
                    {
                        ReturnIdleTab(tab);
                    }
                    else
                    {
                        // After a failure or a time-out the tab may be in any state (still loading, hung script): never reuse it.
                        await CloseTabAsync(tab).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            concurrency.Release();
        }
    }

    private Tab? TakeIdleTab()
    {
        lock (idleGate)
        {
            return idleTabs.TryPop(out var tab) ? tab : null;
        }
    }

    private void ReturnIdleTab(Tab tab)
    {
        lock (idleGate)
        {
            idleTabs.Push(tab);
        }
    }

    /// <summary>A new tab (target), attached in flat mode, with page and lifecycle events on.</summary>
    private async Task<Tab> OpenTabAsync(CancellationToken cancellationToken)
    {
        var created = await cdp.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellationToken).ConfigureAwait(false);
        var targetId = created.GetProperty("targetId").GetString()!;
        CdpSession? session = null;
        try
        {
            var attached = await cdp.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true }, null, cancellationToken).ConfigureAwait(false);
            session = cdp.OpenSession(attached.GetProperty("sessionId").GetString()!);
            await session.SendAsync("Page.enable", null, cancellationToken).ConfigureAwait(false);
            await session.SendAsync("Page.setLifecycleEventsEnabled", new JsonObject { ["enabled"] = true }, cancellationToken).ConfigureAwait(false);
            return new Tab(targetId, session);
        }
        catch
        {
            if (session is not null)
            {
                cdp.CloseSession(session);
            }
            await CloseTargetQuietlyAsync(targetId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task CloseTabAsync(Tab tab)
    {
        cdp.CloseSession(tab.Session);
        await CloseTargetQuietlyAsync(tab.TargetId).ConfigureAwait(false);
    }

    private async Task<byte[]> PrintInTabAsync(Tab tab, string html, PdfOptions options, Stage stage, CancellationToken cancellationToken)
    {
        // A file rather than Page.setDocumentContent or a data: URL: no size limit on a DevTools
        // message to worry about, and a real navigation with a load event.
        var file = Path.Combine(documentsDirectory, $"{Guid.NewGuid():N}.html");
        var session = tab.Session;
        try
        {
            stage.Current = "écriture du document";
            await File.WriteAllTextAsync(file, html, Utf8WithBom, cancellationToken).ConfigureAwait(false);

            stage.Current = "chargement du document";
            session.ClearEvents();
            var navigation = await session.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(file).AbsoluteUri }, cancellationToken).ConfigureAwait(false);
            if (navigation.TryGetProperty("errorText", out var errorText) && errorText.GetString() is { Length: > 0 } error)
            {
                throw new ChromiumPdfException($"Chromium n'a pas pu ouvrir le document HTML : {error}");
            }
            // The load of *this* navigation (not of an earlier document), matched by its loader id; the
            // session keeps the events it received, so it doesn't matter whether it came before navigate's response.
            var loaderId = navigation.GetProperty("loaderId").GetString();
            await session.WaitForEventAsync(
                "Page.lifecycleEvent",
                e => e.GetProperty("name").ValueEquals("load") && e.GetProperty("loaderId").GetString() == loaderId,
                cancellationToken).ConfigureAwait(false);

            stage.Current = "chargement des polices";
            var fonts = await session.SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = "document.fonts.ready.then(fonts => fonts.status)",
                ["awaitPromise"] = true,
                ["returnByValue"] = true,
            }, cancellationToken).ConfigureAwait(false);
            if (fonts.TryGetProperty("exceptionDetails", out var exceptionDetails))
            {
                throw new ChromiumPdfException($"Attente des polices impossible : {exceptionDetails.GetRawText()}");
            }

            stage.Current = "impression";
            var pdf = await session.SendAsync("Page.printToPDF", PrintParameters(options), cancellationToken).ConfigureAwait(false);
            return pdf.GetProperty("data").GetBytesFromBase64();
        }
        finally
        {
            TryDeleteFile(file);
        }
    }

    private static JsonObject PrintParameters(PdfOptions options)
    {
        var footer = FooterTemplate(options);
        var parameters = new JsonObject
        {
            ["landscape"] = false,
            ["paperWidth"] = A4WidthInches,
            ["paperHeight"] = A4HeightInches,
            ["marginTop"] = TopMarginInches,
            ["marginBottom"] = BottomMarginInches,
            ["marginLeft"] = SideMarginInches,
            ["marginRight"] = SideMarginInches,
            ["preferCSSPageSize"] = true,
            ["printBackground"] = true,
            ["displayHeaderFooter"] = footer is not null,
            ["generateTaggedPDF"] = true,
            ["generateDocumentOutline"] = true,
            ["transferMode"] = "ReturnAsBase64",
        };
        if (footer is not null)
        {
            // An empty header (an empty string would bring back chromium's default date and title).
            parameters["headerTemplate"] = "<span></span>";
            parameters["footerTemplate"] = footer;
        }
        return parameters;
    }

    /// <summary>The footer template, or null when there is nothing to show.</summary>
    internal static string? FooterTemplate(PdfOptions options)
    {
        var text = string.IsNullOrEmpty(options.FooterText) ? null : WebUtility.HtmlEncode(options.FooterText);
        if (text is null && !options.PageNumbers)
        {
            return null;
        }
        // Templates don't see the document's styles or fonts: everything is inline, with a system font.
        var numbers = options.PageNumbers
            ? "<span><span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></span>"
            : "<span></span>";
        return "<div style=\"width:100%;box-sizing:border-box;padding:0 14mm;display:flex;justify-content:space-between;gap:8mm;"
            + "font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;font-size:8pt;color:#6b6b6b;\">"
            + $"<span>{text}</span>{numbers}</div>";
    }

    private async Task CloseTargetQuietlyAsync(string targetId)
    {
        if (cdp.ClosedReason is not null)
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(CleanupTimeout);
            await cdp.SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = targetId }, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ChromiumPdfException or OperationCanceledException)
        {
            // The tab is gone already, or the browser is; nothing to leak either way.
        }
    }

    /// <summary>Closes the browser (politely, then by force) and deletes its temporary profile. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= killOnExit;
        if (cdp.ClosedReason is null && !process.HasExited)
        {
            try
            {
                using var timeout = new CancellationTokenSource(CleanupTimeout);
                await cdp.SendAsync("Browser.close", null, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ChromiumPdfException or OperationCanceledException)
            {
                // Chromium often drops the connection before answering Browser.close; it is closing anyway.
            }
        }
        await cdp.DisposeAsync().ConfigureAwait(false);
        await WaitForExitQuietlyAsync(process, CleanupTimeout).ConfigureAwait(false);
        if (!process.HasExited)
        {
            KillQuietly(process);
            await WaitForExitQuietlyAsync(process, CleanupTimeout).ConfigureAwait(false);
        }
        process.Dispose();
        await DeleteDirectoryQuietlyAsync(workDirectory).ConfigureAwait(false);
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
            // Exited meanwhile.
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
            // Still running (the caller kills it) or never started.
        }
    }

    private static async Task DeleteDirectoryQuietlyAsync(string directory)
    {
        // Chromium's last child processes may still be writing in the profile for a moment.
        for (var attempt = 0; attempt < 10 && Directory.Exists(directory); attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static void TryDeleteFile(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The whole directory goes at disposal.
        }
    }

    /// <summary>A tab kept for the next print: its target, its attached session, how many documents it printed.</summary>
    private sealed class Tab(string targetId, CdpSession session)
    {
        public string TargetId { get; } = targetId;
        public CdpSession Session { get; } = session;
        public int Uses { get; set; }
    }

    /// <summary>Where a print is at, for the time-out message.</summary>
    private sealed class Stage
    {
        public string Current { get; set; } = "attente";
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

        /// <summary>" Sortie d'erreur de Chromium :\n…" with the last lines, or "" when there are none.</summary>
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
