using System.Text;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Publication;

/// <summary>The frozen snapshot of a closed campaign, decoded.</summary>
/// <param name="Responses">The answers of the snapshot (submitted questionnaires at closing).</param>
/// <param name="Results">The frozen results of the whole panel.</param>
/// <param name="Plan">The secrecy plan of the panel at the threshold asked for.</param>
public sealed record FrozenResults(ResponseSet Responses, BarometerResults Results, SecrecyPlan Plan);

/// <summary>
/// The decoded snapshots of closed campaigns, shared by the public dashboard and API, the collectivités'
/// benchmarks and the operators' results page: the snapshot's text (megabytes on a large panel) is decoded
/// and its secrecy plan built once per snapshot and threshold, not once per reader.
/// </summary>
public sealed class FrozenSnapshots(IServiceScopeFactory scopes, SingleFlightCache cache)
{
    private static readonly MemoryCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromHours(6), Size = 1 };

    /// <summary>When the campaign's snapshot was computed, or null when it has none; reads nothing else of the row.</summary>
    public async Task<DateTime?> ComputedAtAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        return await db.ResultsSnapshots.AsNoTracking().Where(s => s.CampaignId == campaignId)
            .Select(s => (DateTime?)s.ComputedAt).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The campaign's snapshot computed at <paramref name="computedAt"/> (<see cref="ComputedAtAsync"/>), read from the database only when not cached.</summary>
    public Task<FrozenResults> GetAsync(int campaignId, DateTime computedAt, int threshold, CancellationToken cancellationToken = default) =>
        cache.GetOrCreateAsync(Key(campaignId, computedAt, threshold), Entry, async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var queries = scope.ServiceProvider.GetRequiredService<CampaignQueries>();
            var snapshot = await queries.SnapshotAsync(campaignId)
                ?? throw new InvalidOperationException($"Campaign {campaignId} has no snapshot.");
            return await DecodeAsync(queries, snapshot, threshold);
        }, cancellationToken);

    /// <summary>A snapshot the caller has already read.</summary>
    public Task<FrozenResults> GetAsync(ResultsSnapshot snapshot, int threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return cache.GetOrCreateAsync(Key(snapshot.CampaignId, snapshot.ComputedAt, threshold), Entry, async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await DecodeAsync(scope.ServiceProvider.GetRequiredService<CampaignQueries>(), snapshot, threshold);
        }, cancellationToken);
    }

    private static string Key(int campaignId, DateTime computedAt, int threshold) => $"snapshot:{campaignId}:{computedAt.Ticks}:{threshold}";

    private static async Task<FrozenResults> DecodeAsync(CampaignQueries queries, ResultsSnapshot snapshot, int threshold)
    {
        var model = await queries.ModelAsync(snapshot.CampaignId);
        var responses = ResponsesCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(snapshot.ResponsesCsv)), "instantané", model).GetValueOrThrow();
        var results = ResultsJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(snapshot.ResultsJson)));
        return new FrozenResults(responses, results, SecrecyPlan.Build(responses, threshold));
    }
}
