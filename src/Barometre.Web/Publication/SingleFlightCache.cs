using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Publication;

/// <summary>
/// The memory cache of published figures and benchmarks, computing each missing entry once even when many
/// readers ask for it at the same moment (decoding a snapshot or a filter takes seconds on a large panel).
/// </summary>
public sealed class SingleFlightCache(IMemoryCache cache)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The entry under <paramref name="key"/>, created by <paramref name="create"/> when missing.</summary>
    /// <param name="key">The entry's key, prefixed by what it holds so that no two kinds of entries share one.</param>
    /// <param name="options">The entry's lifetime (and its size: the cache is bounded).</param>
    /// <param name="create">
    /// Computes the entry. It takes no cancellation token on purpose: readers share its result, so one reader
    /// leaving must not fail the others; the result is cached even when every reader has left.
    /// </param>
    /// <param name="cancellationToken">Stops this caller's wait, not the computation.</param>
    public async Task<T> GetOrCreateAsync<T>(string key, MemoryCacheEntryOptions options, Func<Task<T>> create, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(create);
        if (cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }
        // Started on the thread pool: a creator that computes before its first await (a filter's figures) would
        // otherwise run inside the Lazy's lock, and every other reader would hold a thread blocked on it meanwhile.
        var flight = _inFlight.GetOrAdd(key, _ => new Lazy<Task<object>>(() => Task.Run(() => CreateAsync(key, options, create))));
        return (T)await flight.Value.WaitAsync(cancellationToken);
    }

    private async Task<object> CreateAsync<T>(string key, MemoryCacheEntryOptions options, Func<Task<T>> create)
        where T : class
    {
        try
        {
            var value = await create();
            cache.Set(key, value, options);
            return value;
        }
        finally
        {
            // Cached (or failed, so that the next reader tries again): later readers no longer need the flight.
            _inFlight.TryRemove(key, out _);
        }
    }
}
