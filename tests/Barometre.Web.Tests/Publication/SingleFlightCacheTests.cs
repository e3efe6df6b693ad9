using Barometre.Web.Publication;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Tests.Publication;

/// <summary>The cache of published figures: one computation per missing entry, however many readers ask for it at once.</summary>
public sealed class SingleFlightCacheTests
{
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetOrCreate_ReadersDuringASynchronousComputation_HoldNoThreadAndShareOneResult()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = 10 });
        var cache = new SingleFlightCache(memory);
        using var started = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var computations = 0;
        // Computes before any await, as a filter's figures do.
        Task<string> Compute()
        {
            Interlocked.Increment(ref computations);
            started.Release();
            release.Wait(Ct);
            return Task.FromResult("figures");
        }
        Task<Task<string>> Ask() => Task.Factory.StartNew(() => cache.GetOrCreateAsync("view", Entry, Compute, Ct), Ct, TaskCreationOptions.None, TaskScheduler.Default);

        var first = Ask();
        await started.WaitAsync(Ct);
        var second = Ask();
        var calls = Task.WhenAll(first, second);
        bool returned;
        try
        {
            // Each call hands back its task at once: a reader waiting on a lock instead would hold a thread for the whole computation.
            returned = await Task.WhenAny(calls, Task.Delay(TimeSpan.FromSeconds(10), Ct)) == calls;
        }
        finally
        {
            release.Set();
        }

        Assert.True(returned, "a reader was held until the computation ended");
        Assert.Equal(("figures", "figures"), (await await first, await await second));
        Assert.Equal(1, computations);
        Assert.Equal("figures", await cache.GetOrCreateAsync("view", Entry, () => Task.FromResult("computed again"), Ct));
    }
}
