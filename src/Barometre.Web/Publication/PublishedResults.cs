using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
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

/// <summary>
/// Published results: the frozen snapshot of each published campaign, filtered by type, region and
/// population band through the core computation, with statistical secrecy applied by the campaign's
/// <see cref="SecrecyPlan"/>. Everything computed is cached per campaign and publication version, so a
/// dashboard serves many readers, and dropped only when the operator publishes again.
/// </summary>
public sealed class PublishedResults(IServiceScopeFactory scopes, SingleFlightCache cache, FrozenSnapshots snapshots, PreviousEditions previousEditions)
{
    private static readonly MemoryCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromHours(6), Size = 1 };

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

    /// <summary>A published campaign's panel (its model and the filters it offers), or null when not published.</summary>
    public async Task<PublishedPanel?> PanelAsync(int campaignId, CancellationToken cancellationToken = default) =>
        await FindAsync(campaignId, cancellationToken) is { } campaign ? await PanelAsync(campaign, cancellationToken) : null;

    /// <summary>The panel of a campaign <see cref="ListAsync"/> has just listed.</summary>
    public Task<PublishedPanel> PanelAsync(PublishedCampaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return cache.GetOrCreateAsync($"panel:{campaign.Id}:{campaign.Version}", Entry, () => LoadPanelAsync(campaign), cancellationToken);
    }

    /// <summary>The figures of one filter of a panel, secrecy applied; the filter must be valid (<see cref="Validate"/>).</summary>
    public Task<PublicResults> ViewAsync(PublishedPanel panel, PanelFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(filter);
        return cache.GetOrCreateAsync(
            $"view:{panel.Campaign.Id}:{panel.Campaign.Version}:{filter.Type}\u001f{filter.Region}\u001f{filter.PopulationBand}", Entry,
            () => Task.FromResult(Disclosure.ForFilter(panel.Responses, panel.Results, panel.Plan, filter)), cancellationToken);
    }

    /// <summary>
    /// The changes since the earlier edition for one filter of a panel (the filter must be valid), under the secrecy of
    /// both editions (<see cref="PublicEvolution"/>); null when the campaign follows no edition whose results are published.
    /// </summary>
    public async Task<(EarlierCampaign Previous, PublicEvolutionView View)?> EvolutionAsync(PublishedPanel panel, PanelFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(filter);
        if (await previousEditions.OfAsync(panel.Campaign.Id, panel.Model, cancellationToken) is not { PublishedAt: { } publishedAt } previous)
        {
            return null;
        }
        // Keyed by both publications: republishing either (another threshold) or withdrawing the earlier one changes it.
        var key = $"evolution:{panel.Campaign.Id}:{panel.Campaign.Version}:{previous.CampaignId}:{publishedAt.Ticks}:{previous.Threshold}";
        var evolution = await cache.GetOrCreateAsync(key, Entry, () => Task.FromResult(new PublicEvolution(
            previous.Mapping, previous.Frozen.Responses, previous.Frozen.Results, previous.Frozen.Plan, panel.Responses, panel.Results, panel.Plan)), cancellationToken);
        var view = await cache.GetOrCreateAsync($"{key}:{filter.Type}\u001f{filter.Region}\u001f{filter.PopulationBand}", Entry,
            () => Task.FromResult(evolution.ForFilter(filter)), cancellationToken);
        return (previous, view);
    }

    /// <summary>The filter of a request's values, blank values meaning no filter on that criterion.</summary>
    public static PanelFilter FilterOf(string? type, string? region, string? populationBand) =>
        new(Blank(type), Blank(region), Blank(populationBand));

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

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

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

    private async Task<PublishedPanel> LoadPanelAsync(PublishedCampaign campaign)
    {
        var computedAt = await snapshots.ComputedAtAsync(campaign.Id)
            ?? throw new InvalidOperationException($"Published campaign {campaign.Id} has no snapshot.");
        var frozen = await snapshots.GetAsync(campaign.Id, computedAt, campaign.Threshold);
        return new PublishedPanel(campaign, frozen.Responses, frozen.Results, frozen.Plan);
    }
}
