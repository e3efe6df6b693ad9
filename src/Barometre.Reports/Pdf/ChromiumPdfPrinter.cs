using System.Globalization;
using System.Net;
using System.Text;
using PuppeteerSharp;
using PuppeteerSharp.Media;
using PrintOptions = PuppeteerSharp.PdfOptions;

namespace Barometre.Reports.Pdf;

/// <summary>
/// Prints self-contained HTML documents to PDF with one headless chromium process, driven by
/// PuppeteerSharp over the DevTools protocol. Start it once, print thousands of documents (several at a
/// time if you like: it is thread-safe, each print gets its own tab), dispose it.
/// </summary>
/// <remarks>
/// Documents must be self-contained (styles inline, fonts and images as data: URIs, inline SVG): host
/// names don't resolve inside this browser, so a stray external reference fails fast instead of
/// waiting for the network or leaking a request. PuppeteerSharp only connects: <see cref="ChromiumProcess"/>
/// starts the chromium that <see cref="FindChromium()"/> names, so no browser is ever downloaded.
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

    // A4 in inches (210 × 297 mm), for pages whose CSS doesn't say (PreferCSSPageSize lets @page win).
    // Chromium quantizes page sizes in steps of 0.96 pt: 210 mm would come out 595.92 pt wide, 8.26 in
    // gives 594.96 pt, the same as CSS `size: A4` and closer to A4's 595.28 pt.
    private static readonly PaperFormat A4 = new(8.26m, 297 / 25.4m);
    // Default margins when the CSS has no @page margin; the footer lives in the bottom one.
    private static readonly MarginOptions DefaultMargins = new() { Top = Inches(16), Bottom = Inches(18), Left = Inches(14), Right = Inches(14) };

    // Tabs are reused (opening one costs about as much as printing a small page); a tab is retired
    // after this many documents, so that whatever a renderer accumulates doesn't grow forever.
    private const int MaxPrintsPerTab = 100;

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(5);
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    private readonly ChromiumProcess chromium;
    private readonly IBrowser browser;
    private readonly string workDirectory;
    private readonly string documentsDirectory;
    private readonly SemaphoreSlim concurrency;
    private readonly Lock idleGate = new();
    private readonly Stack<Tab> idleTabs = new();
    private int disposed;

    private ChromiumPdfPrinter(ChromiumProcess chromium, IBrowser browser, string workDirectory)
    {
        this.chromium = chromium;
        this.browser = browser;
        this.workDirectory = workDirectory;
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
    internal int ProcessId => chromium.Id;

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
    /// <param name="executablePath">The chromium executable; null to use <see cref="FindChromium()"/>.</param>
    /// <param name="cancellationToken">Stops waiting for chromium to start.</param>
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
        ChromiumProcess? chromium = null;
        try
        {
            Directory.CreateDirectory(Path.Combine(workDirectory, "documents"));
            chromium = await ChromiumProcess.StartAsync(executable, Path.Combine(workDirectory, "profile"), cancellationToken).ConfigureAwait(false);
            IBrowser browser;
            try
            {
                browser = await Puppeteer.ConnectAsync(new ConnectOptions
                {
                    BrowserWSEndpoint = chromium.Endpoint.AbsoluteUri,
                    // Pages lay out on the printed page, not on an emulated window.
                    DefaultViewport = null,
                    NetworkEnabled = false,
                    IssuesEnabled = false,
                }).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ProcessException exception)
            {
                throw new ChromiumPdfException(
                    $"Impossible de se connecter à Chromium sur {chromium.Endpoint} : {exception.InnerException?.Message ?? exception.Message}{chromium.DescribeStderr()}", exception);
            }
            return new ChromiumPdfPrinter(chromium, browser, workDirectory);
        }
        catch
        {
            if (chromium is not null)
            {
                await chromium.DisposeAsync().ConfigureAwait(false);
            }
            await DeleteDirectoryQuietlyAsync(workDirectory).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Prints a complete, self-contained HTML document to PDF: A4 portrait unless its CSS @page says
    /// otherwise, backgrounds printed, a small grey footer in the reports' font (<see cref="PdfOptions"/>), tagged
    /// (accessible) PDF with an outline from the headings, title, author and subject as <see cref="PdfOptions"/> say,
    /// Baromètre as creator. Waits for the load event and <c>document.fonts.ready</c>.
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
            catch (OperationCanceledException) when (tab?.Crash is { } crash)
            {
                throw crash;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"L'impression PDF a dépassé {timeout.TotalSeconds:0.#} s (étape : {stage.Current}) ; le document est-il trop lourd, ou un script bloque-t-il la page ?"));
            }
            catch (Exception exception) when (exception is PuppeteerException || (exception is not (ChromiumPdfException or OperationCanceledException) && BrowserGone))
            {
                // Once the browser is gone PuppeteerSharp may fail in any way (even a NullReferenceException): report the browser.
                throw Failure(exception, stage);
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

    /// <summary>Whether chromium exited or its DevTools connection closed (not by us).</summary>
    private bool BrowserGone => Volatile.Read(ref disposed) == 0 && (!browser.IsConnected || chromium.HasExited);

    /// <summary>PuppeteerSharp's error as a <see cref="ChromiumPdfException"/>, with chromium's exit and stderr if it died.</summary>
    private ChromiumPdfException Failure(Exception exception, Stage stage)
    {
        if (BrowserGone)
        {
            return new ChromiumPdfException($"La connexion DevTools avec Chromium est perdue (étape : {stage.Current}).{chromium.DescribeExit()}", exception);
        }
        return new ChromiumPdfException(
            exception is NavigationException
                ? $"Chromium n'a pas pu ouvrir le document HTML : {exception.Message}"
                : $"Chromium a échoué (étape : {stage.Current}) : {exception.Message}",
            exception);
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

    private async Task<Tab> OpenTabAsync(CancellationToken cancellationToken)
    {
        var opening = browser.NewPageAsync();
        try
        {
            var page = await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
            // Our own deadline bounds every step (PrintTimeout), not PuppeteerSharp's 30 s per step.
            page.DefaultTimeout = 0;
            page.DefaultNavigationTimeout = 0;
            return new Tab(page);
        }
        catch (OperationCanceledException)
        {
            _ = opening.ContinueWith(
                t => t.Result.CloseAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    private static async Task CloseTabAsync(Tab tab)
    {
        tab.Dispose();
        try
        {
            await tab.Page.CloseAsync().WaitAsync(CleanupTimeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is PuppeteerException or TimeoutException)
        {
            // The tab is gone already, or the browser is; nothing to leak either way.
        }
    }

    private async Task<byte[]> PrintInTabAsync(Tab tab, string html, PdfOptions options, Stage stage, CancellationToken cancellationToken)
    {
        // A file rather than SetContentAsync: a real navigation with a load event, and no document
        // travelling through a DevTools message.
        var file = Path.Combine(documentsDirectory, $"{Guid.NewGuid():N}.html");
        // A crashed renderer answers nothing: its tab's token ends the wait at once.
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tab.Crashed);
        var page = tab.Page;
        try
        {
            stage.Current = "écriture du document";
            await File.WriteAllTextAsync(file, html, Utf8WithBom, step.Token).ConfigureAwait(false);

            stage.Current = "chargement du document";
            await page.GoToAsync(new Uri(file).AbsoluteUri, new NavigationOptions
            {
                WaitUntil = [WaitUntilNavigation.Load],
                CancellationToken = step.Token,
            }).WaitAsync(step.Token).ConfigureAwait(false);

            stage.Current = "chargement des polices";
            try
            {
                await page.EvaluateExpressionAsync<string>("document.fonts.ready.then(fonts => fonts.status)").WaitAsync(step.Token).ConfigureAwait(false);
            }
            catch (EvaluationFailedException exception)
            {
                throw new ChromiumPdfException($"Attente des polices impossible : {exception.Message}", exception);
            }

            stage.Current = "impression";
            var pdf = await page.PdfDataAsync(PrintParameters(options)).WaitAsync(step.Token).ConfigureAwait(false);
            stage.Current = "propriétés du document";
            return PdfDocumentInfo.Apply(pdf, options);
        }
        finally
        {
            TryDeleteFile(file);
        }
    }

    private static PrintOptions PrintParameters(PdfOptions options)
    {
        var footer = FooterTemplate(options);
        return new PrintOptions
        {
            Landscape = false,
            Format = A4,
            MarginOptions = DefaultMargins,
            PreferCSSPageSize = true,
            PrintBackground = true,
            DisplayHeaderFooter = footer is not null,
            // An empty header (an empty string would bring back chromium's default date and title).
            HeaderTemplate = footer is null ? "" : "<span></span>",
            FooterTemplate = footer ?? "",
            Tagged = true,
            Outline = true,
            // Awaited as a step of its own above (the time-out message names it).
            WaitForFonts = false,
            Timeout = 0,
        };
    }

    /// <summary>A length in millimetres as PuppeteerSharp reads it (in inches: its "mm" unit rounds to 3.78 px).</summary>
    private static string Inches(int millimetres) => string.Create(CultureInfo.InvariantCulture, $"{millimetres / 25.4m}in");

    /// <summary>The footer template, or null when there is nothing to show.</summary>
    internal static string? FooterTemplate(PdfOptions options)
    {
        var text = string.IsNullOrEmpty(options.FooterText) ? null : WebUtility.HtmlEncode(options.FooterText);
        if (text is null && !options.PageNumbers)
        {
            return null;
        }
        // Templates don't see the document's styles or fonts: the reports' font comes again, inline, so that
        // the footer is set in the same type as the page (a system font only if it could not load).
        var numbers = options.PageNumbers
            ? "<span><span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></span>"
            : "<span></span>";
        // Swap, not block: a document that never loaded the font still gets its footer, in the fallback.
        return $"<style>{ReportAssets.FontFace("swap")}</style>"
            + "<div style=\"width:100%;box-sizing:border-box;padding:0 14mm;display:flex;justify-content:space-between;gap:8mm;"
            + "font-family:'Source Sans 3','DejaVu Sans',sans-serif;font-size:8pt;color:#6b6b6b;\">"
            + $"<span>{text}</span>{numbers}</div>";
    }

    /// <summary>Closes the browser (politely, then by force) and deletes its temporary profile. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        lock (idleGate)
        {
            foreach (var tab in idleTabs)
            {
                tab.Dispose();
            }
            idleTabs.Clear();
        }
        try
        {
            // Browser.close; PuppeteerSharp logs and swallows its errors (chromium often drops the connection before answering).
            await browser.CloseAsync().WaitAsync(CleanupTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Killed below.
        }
        await browser.DisposeAsync().ConfigureAwait(false);
        await chromium.DisposeAsync().ConfigureAwait(false);
        await DeleteDirectoryQuietlyAsync(workDirectory).ConfigureAwait(false);
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

    /// <summary>A tab kept for the next print: its page, how many documents it printed, whether its renderer crashed.</summary>
    private sealed class Tab : IDisposable
    {
        private readonly CancellationTokenSource crashed = new();

        public Tab(IPage page)
        {
            Page = page;
            // PuppeteerSharp raises Error when the renderer crashes (and throws from its event loop if nobody listens).
            page.Error += OnError;
        }

        public IPage Page { get; }

        public int Uses { get; set; }

        /// <summary>Cancelled when the renderer crashes.</summary>
        public CancellationToken Crashed => crashed.Token;

        /// <summary>The error to report when <see cref="Crashed"/> fired, else null.</summary>
        public ChromiumPdfException? Crash { get; private set; }

        private void OnError(object? sender, PuppeteerSharp.ErrorEventArgs e)
        {
            Crash ??= new ChromiumPdfException($"Le processus de rendu de Chromium s'est arrêté brutalement (crash) pendant l'impression : {e.Error}");
            try
            {
                crashed.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Closed meanwhile: nobody is waiting any more.
            }
        }

        public void Dispose()
        {
            Page.Error -= OnError;
            crashed.Dispose();
        }
    }

    /// <summary>Where a print is at, for the time-out message.</summary>
    private sealed class Stage
    {
        public string Current { get; set; } = "attente";
    }
}
