using System.Collections.Concurrent;
using System.Text;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Publication;

/// <summary>A published campaign, as readers see it.</summary>
public sealed record PublishedCampaign(int Id, string Name, string ModelId, DateTime PublishedAt, int Version, int Threshold);

/// <summary>The frozen answers, results and secrecy plan of a published campaign.</summary>
/// <param name="Campaign">The campaign.</param>
/// <param name="Responses">The answers of the snapshot (submitted questionnaires at closing).</param>
/// <param name="Results">The frozen results of the whole panel.</param>
/// <param name="Plan">The secrecy plan of the panel at the campaign's threshold.</param>
public sealed record PublishedPanel(PublishedCampaign Campaign, ResponseSet Responses, BarometerResults Results, SecrecyPlan Plan)
{
    /// <summary>The maturity model.</summary>
    public MaturityModel Model => Responses.Model;
}

/// <summary>The figures of one filter of a published campaign.</summary>
/// <param name="Campaign">The campaign.</param>
/// <param name="Model">Its maturity model.</param>
/// <param name="Plan">Its secrecy plan (filter values offered, decisions).</param>
/// <param name="Public">The filter's results with secrecy applied.</param>
public sealed record PublishedView(PublishedCampaign Campaign, MaturityModel Model, SecrecyPlan Plan, PublicResults Public);

/// <summary>
/// Published results: the frozen snapshot of each published campaign, filtered by type, region and
/// population band through the core computation, with statistical secrecy applied by the campaign's
/// <see cref="SecrecyPlan"/>. Everything computed is cached per campaign and publication version, so a
/// dashboard serves many readers, and dropped only when the operator publishes again.
/// </summary>
public sealed class PublishedResults(IServiceScopeFactory scopes, IMemoryCache cache)
{
    private static readonly MemoryCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromHours(6), Size = 1 };

    // One computation per key even when many readers ask at once.
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The published campaigns, most recent publication first.</summary>
    public async Task<IReadOnlyList<PublishedCampaign>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        var rows = await db.Campaigns.AsNoTracking().Where(c => c.PublishedAt != null && c.Status == CampaignStatus.Closed)
            .Select(c => new PublishedCampaign(c.Id, c.Name, c.ModelId, c.PublishedAt!.Value, c.PublicationVersion, c.SecrecyThreshold))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(c => c.PublishedAt)];
    }

    /// <summary>One filter of a published campaign, or null when the campaign is unknown or not published, or the filter invalid (<see cref="Validate"/>).</summary>
    public async Task<PublishedView?> GetAsync(int campaignId, PanelFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (await FindAsync(campaignId, cancellationToken) is not { } campaign)
        {
            return null;
        }
        var panel = await CachedAsync($"panel:{campaign.Id}:{campaign.Version}", () => LoadPanelAsync(campaign, cancellationToken));
        if (Validate(panel.Plan, filter) is not null)
        {
            return null;
        }
        var view = await CachedAsync($"view:{campaign.Id}:{campaign.Version}:{filter.Type}\u001f{filter.Region}\u001f{filter.PopulationBand}", () => Task.FromResult(Disclosure.ForFilter(panel.Responses, panel.Results, panel.Plan, filter)));
        return new PublishedView(campaign, panel.Responses.Model, panel.Plan, view);
    }

    /// <summary>A published campaign's panel (its model and the filters it offers), or null when not published.</summary>
    public async Task<PublishedPanel?> PanelAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(campaignId, cancellationToken) is not { } campaign)
        {
            return null;
        }
        return await CachedAsync($"panel:{campaign.Id}:{campaign.Version}", () => LoadPanelAsync(campaign, cancellationToken));
    }

    /// <summary>
    /// Why a filter cannot be read, in French, or null when it can: a type or region the panel does not
    /// have, or a population band that does not exist.
    /// </summary>
    public static string? Validate(SecrecyPlan plan, PanelFilter filter)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Type is { } type && !plan.Types.Contains(type, StringComparer.Ordinal))
        {
            return $"Type de collectivité « {type} » inconnu : valeurs possibles {Values(plan.Types)}.";
        }
        if (filter.Region is { } region && !plan.Regions.Contains(region, StringComparer.Ordinal))
        {
            return $"Région « {region} » inconnue : valeurs possibles {Values(plan.Regions)}.";
        }
        if (filter.PopulationBand is { } band && !plan.PopulationBands.Contains(band, StringComparer.Ordinal))
        {
            return $"Tranche de population « {band} » inconnue : valeurs possibles {Values(plan.PopulationBands)}.";
        }
        return null;
    }

    private static string Values(IReadOnlyList<string> values) =>
        values.Count == 0 ? "aucune (le panel ne renseigne pas ce critère)" : string.Join(", ", values.Select(v => $"« {v} »"));

    private async Task<PublishedCampaign?> FindAsync(int campaignId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        return await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId && c.PublishedAt != null && c.Status == CampaignStatus.Closed)
            .Select(c => new PublishedCampaign(c.Id, c.Name, c.ModelId, c.PublishedAt!.Value, c.PublicationVersion, c.SecrecyThreshold))
            .SingleOrDefaultAsync(cancellationToken);
    }

    private async Task<PublishedPanel> LoadPanelAsync(PublishedCampaign campaign, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<CampaignAdmin>();
        var model = await admin.ModelAsync(campaign.Id, cancellationToken);
        var snapshot = await admin.SnapshotAsync(campaign.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Published campaign {campaign.Id} has no snapshot.");
        var responses = ResponsesCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(snapshot.ResponsesCsv)), "instantané", model).GetValueOrThrow();
        var results = ResultsJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(snapshot.ResultsJson)));
        return new PublishedPanel(campaign, responses, results, SecrecyPlan.Build(responses, campaign.Threshold));
    }

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> create)
        where T : class
    {
        if (cache.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }
        var lazy = _inFlight.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => (await create())!));
        try
        {
            var value = (T)await lazy.Value;
            cache.Set(key, value, Entry);
            return value;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }
}
