using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Barometre.Reports;
using Barometre.Web.Pages.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Publication;

/// <summary>A collectivité's benchmark, or why it is not available yet.</summary>
/// <param name="Data">Its position in the panel (what its confidential report shows); null when unavailable.</param>
/// <param name="Final">Whether the figures are the frozen results of the closed campaign (else the questionnaires submitted so far).</param>
/// <param name="Threshold">The campaign's secrecy threshold N.</param>
/// <param name="Unavailable">Why there is no benchmark yet, in French; null when there is one.</param>
public sealed record BenchmarkOutcome(IndividualReportData? Data, bool Final, int Threshold, string? Unavailable);

/// <summary>
/// Each collectivité's benchmark: once it has submitted and the campaign holds at least N submitted
/// questionnaires, its scores against the panel's distribution, its type and its population band under
/// the campaign's secrecy plan, its segment and its next steps. While the campaign is open the panel is
/// the questionnaires submitted so far; once it is closed, the frozen results.
/// </summary>
public sealed class RespondentBenchmarks(IServiceScopeFactory scopes, SingleFlightCache cache, FrozenSnapshots snapshots, TimeProvider clock)
{
    // Live panels change with each submission (the key follows them) and, rarely, with an operator's
    // correction of a submitted questionnaire: a few minutes of staleness at most.
    private static readonly MemoryCacheEntryOptions Live = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(3), Size = 1 };
    private static readonly MemoryCacheEntryOptions Final = new() { SlidingExpiration = TimeSpan.FromHours(6), Size = 1 };

    private sealed record Panel(ResponseSet Responses, BarometerResults Results, PanelBenchmark Benchmark, Dictionary<string, int> Rows);

    /// <summary>The benchmark of the collectivité an invitation link opens.</summary>
    public async Task<BenchmarkOutcome> ForAsync(QuestionnaireAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        var admin = scope.ServiceProvider.GetRequiredService<CampaignAdmin>();
        var campaign = await admin.FindAsync(access.CampaignId, cancellationToken)
            ?? throw new InvalidOperationException($"Campaign {access.CampaignId} of an open link is missing.");
        var threshold = campaign.SecrecyThreshold;
        var final = campaign.Status == CampaignStatus.Closed;
        if (access.SubmittedAt is null)
        {
            return new BenchmarkOutcome(null, final, threshold, final
                ? "Votre questionnaire n'a pas été transmis avant la clôture : votre collectivité ne figure pas dans les résultats, et n'a donc pas de comparatif."
                : "Votre comparatif sera disponible une fois votre questionnaire transmis.");
        }

        Panel? panel;
        if (final)
        {
            var computedAt = await snapshots.ComputedAtAsync(campaign.Id, cancellationToken);
            panel = computedAt is not { } at ? null : await cache.GetOrCreateAsync(
                $"benchmark:{campaign.Id}:final:{at.Ticks}:{threshold}", Final,
                async () => Build(await snapshots.GetAsync(campaign.Id, at, threshold)), cancellationToken);
        }
        else
        {
            // Grouped by the one campaign so that the count and the latest submission come in one query.
            var submitted = await db.Participants.AsNoTracking().Where(p => p.CampaignId == campaign.Id && p.SubmittedAt != null)
                .GroupBy(p => p.CampaignId).Select(g => new { Count = g.Count(), Latest = g.Max(p => p.SubmittedAt) })
                .SingleOrDefaultAsync(cancellationToken);
            var count = submitted?.Count ?? 0;
            if (count < threshold)
            {
                return TooFew(threshold);
            }
            panel = await cache.GetOrCreateAsync($"benchmark:{campaign.Id}:live:{count}:{submitted?.Latest?.Ticks}:{threshold}", Live, async () =>
            {
                await using var inner = scopes.CreateAsyncScope();
                var responses = await inner.ServiceProvider.GetRequiredService<CampaignAdmin>().ResponsesAsync(campaign.Id, submittedOnly: true);
                // The benchmark shows no interval and no silhouette: neither is computed on every submission.
                var results = Barometer.Compute(responses, new BarometerOptions { Bootstrap = 0, Silhouette = false });
                return Build(new FrozenResults(responses, results, SecrecyPlan.Build(responses, threshold)));
            }, cancellationToken);
        }
        if (panel is null)
        {
            return new BenchmarkOutcome(null, final, threshold, "Les résultats de la campagne sont introuvables.");
        }
        if (panel.Responses.Count < threshold)
        {
            return TooFew(threshold);
        }
        if (!panel.Rows.TryGetValue(access.Code, out var index))
        {
            return new BenchmarkOutcome(null, final, threshold, "Vos réponses ne figurent pas dans les résultats figés de la campagne.");
        }
        var data = new IndividualReportData(panel.Responses, panel.Results, panel.Benchmark, index, AdminFormat.Today(clock));
        return new BenchmarkOutcome(data, final, threshold, null);

        BenchmarkOutcome TooFew(int n) => new(null, final, n,
            $"Votre comparatif sera disponible dès qu'au moins {n} collectivités auront transmis leur questionnaire : en deçà, les chiffres du panel permettraient de reconnaître des réponses individuelles.");
    }

    private static Panel Build(FrozenResults panel)
    {
        var rows = panel.Responses.Respondents.Select((r, i) => (r.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        return new Panel(panel.Responses, panel.Results, new PanelBenchmark(panel.Responses, panel.Results, panel.Plan), rows);
    }
}
