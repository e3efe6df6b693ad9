using Barometre.Reports.Pdf;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// What the browser tests need outside .NET: Debian's chromium and npm's axe-core. Missing, the tests are
/// skipped with a loud reason; with CI=true (where .ci/run installs them) they fail instead.
/// </summary>
internal static class BrowserRequirements
{
    /// <summary>The chromium executable the PDF printer would use, or skip/fail.</summary>
    public static string Chromium()
    {
        var path = ChromiumPdfPrinter.FindChromium();
        return path is not null && File.Exists(path)
            ? path
            : Missing("chromium", $"apt-get install -y chromium, or {ChromiumPdfPrinter.ExecutableVariable} naming an existing executable");
    }

    /// <summary>node_modules/axe-core/axe.min.js above the test's folder (npm ci at the repository root), or skip/fail.</summary>
    public static string AxeCore()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(path))
            {
                return path;
            }
        }
        return Missing("axe-core", "npm ci (at the repository root)");
    }

    private static string Missing(string what, string install)
    {
        var message = $"*** {what} is not installed: the browser tests need it ({install}). ***";
        if (PostgresDatabase.IsCi)
        {
            Assert.Fail(message + " CI=true, so this is a failure, not a skip.");
        }
        Console.Error.WriteLine(message + " SKIPPED.");
        Assert.Skip(message);
        return "";
    }
}

/// <summary>One Playwright-driven headless chromium (Debian's, by its path) for a test class.</summary>
public sealed class ChromiumFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser, launched on first use (skips or fails the test when chromium is missing).</summary>
    public async Task<IBrowser> BrowserAsync()
    {
        var executable = BrowserRequirements.Chromium();
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_browser is null)
            {
                Assertions.SetDefaultExpectTimeout(15_000);
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new()
                {
                    ExecutablePath = executable,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
                });
            }
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        _gate.Dispose();
    }
}

/// <summary>
/// The app as <c>barometre serve</c> builds it (<see cref="BarometreServer"/>), on Kestrel on a free
/// loopback port, on a test class's database: what a real browser needs.
/// </summary>
internal sealed class LiveServer : IAsyncDisposable
{
    private LiveServer(WebApplication app, string address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>« http://127.0.0.1:PORT ».</summary>
    public string Address { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<LiveServer> StartAsync(TestDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        database.RequireAvailable();
        // Warnings only: EF Core's SQL and the hosting messages would drown the tests' output (and its failed
        // first read of the migrations history on a fresh database is expected).
        var app = await BarometreServer.BuildAsync(
            new ServerSettings(database.DataDirectory, database.ConnectionString, "http://127.0.0.1:0"),
            ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=None"]);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LiveServer(app, address.TrimEnd('/'));
    }

    /// <summary>An HTTP client on the server (for API checks).</summary>
    public HttpClient Client() => new() { BaseAddress = new Uri(Address) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
