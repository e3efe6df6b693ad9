using Microsoft.Playwright;

namespace Barometre.Testing;

/// <summary>One Playwright-driven headless chromium (Debian's, by its path) for a test class (an xunit class fixture).</summary>
public sealed class ChromiumFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser, launched on first use (skips or fails the test when chromium is missing).</summary>
    public async Task<IBrowser> BrowserAsync()
    {
        var executable = ExternalTools.Chromium();
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
