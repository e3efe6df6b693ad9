using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Reports;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Publication;

/// <summary>A collectivité's benchmark, or why it is not available yet.</summary>
/// <param name="Data">Its position in the panel (what its confidential report shows); null when unavailable.</param>
/// <param name="Final">Whether the figures are the frozen results of the closed campaign (else an interim release).</param>
/// <param name="Threshold">The campaign's secrecy threshold N.</param>
/// <param name="Unavailable">Why there is no benchmark yet, in French; null when there is one.</param>
/// <param name="Release">The interim release the figures come from while the campaign collects answers; null for the final results.</param>
/// <param name="InPanel">
/// Whether the collectivité's answers are in the panel the figures come from. A collectivité that submitted after
/// the latest interim release sees its own scores against that release, which does not hold it yet.
/// </param>
public sealed record BenchmarkOutcome(IndividualReportData? Data, bool Final, int Threshold, string? Unavailable, ReleaseInfo? Release = null, bool InPanel = true);

/// <summary>
/// Each collectivité's benchmark, once it has submitted: its scores against the panel's distribution, its type and
/// its population band under the campaign's secrecy plan, its segment and its next steps. While the campaign
/// collects answers the panel is the latest interim release (<see cref="BenchmarkReleases"/>: figures move only by
/// steps of at least N questionnaires, never with one submission); once it is closed, the frozen results.
/// </summary>
public sealed class RespondentBenchmarks(IServiceScopeFactory scopes, SingleFlightCache cache, FrozenSnapshots snapshots, BenchmarkReleases releases, TimeProvider clock)
{
    // A release and a snapshot never change: their figures are kept while they are read.
    private static readonly MemoryCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromHours(6), Size = 1 };

    // The benchmark shows no interval and no silhouette: neither is computed on an interim release.
    private static readonly BarometerOptions Interim = new() { Bootstrap = 0, Silhouette = false };

    private sealed record Panel(ResponseSet Responses, BarometerResults Results, PanelBenchmark Benchmark, Dictionary<string, int> Rows);

    /// <summary>The benchmark of the collectivité an invitation link opens.</summary>
    public async Task<BenchmarkOutcome> ForAsync(QuestionnaireAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        await using var scope = scopes.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<CampaignQueries>();
        var campaign = await queries.FindAsync(access.CampaignId, cancellationToken)
            ?? throw new InvalidOperationException($"Campaign {access.CampaignId} of an open link is missing.");
        var threshold = campaign.SecrecyThreshold;
        var final = campaign.Status == CampaignStatus.Closed;
        if (access.SubmittedAt is null)
        {
            return new BenchmarkOutcome(null, final, threshold, final
                ? "Votre questionnaire n'a pas été transmis avant la clôture : votre collectivité ne figure pas dans les résultats, et n'a donc pas de comparatif."
                : "Votre comparatif sera disponible une fois votre questionnaire transmis.");
        }
        var today = ParisTime.Today(clock);
        if (!final)
        {
            return await InterimAsync(access, queries, campaign.Id, threshold, today, cancellationToken);
        }

        var computedAt = await snapshots.ComputedAtAsync(campaign.Id, cancellationToken);
        var panel = computedAt is not { } at ? null : await cache.GetOrCreateAsync(
            $"benchmark:{campaign.Id}:final:{at.Ticks}:{threshold}", Entry,
            async () => Build(await snapshots.GetAsync(campaign.Id, at, threshold)), cancellationToken);
        if (panel is null)
        {
            return new BenchmarkOutcome(null, final, threshold, "Les résultats de la campagne sont introuvables.");
        }
        if (panel.Responses.Count < threshold)
        {
            return new BenchmarkOutcome(null, final, threshold,
                $"Les résultats de la campagne réunissent moins de {threshold} collectivités : en deçà, les chiffres du panel permettraient de reconnaître des réponses individuelles, et aucun comparatif n'est établi.");
        }
        if (!panel.Rows.TryGetValue(access.Code, out var index))
        {
            return new BenchmarkOutcome(null, final, threshold, "Vos réponses ne figurent pas dans les résultats figés de la campagne.");
        }
        return new BenchmarkOutcome(new IndividualReportData(panel.Responses, panel.Results, panel.Benchmark, index, today), final, threshold, null);
    }

    /// <summary>The benchmark against the campaign's latest interim release.</summary>
    private async Task<BenchmarkOutcome> InterimAsync(QuestionnaireAccess access, CampaignQueries queries, int campaignId, int threshold, DateOnly today, CancellationToken cancellationToken)
    {
        // A release's answers are deleted once two newer ones exist: a reader that far behind looks again.
        for (var attempt = 0; ; attempt++)
        {
            if (await releases.CurrentAsync(campaignId, threshold, cancellationToken) is not { } release)
            {
                return new BenchmarkOutcome(null, false, threshold,
                    $"Votre comparatif sera disponible dès que {InterimReleases.FirstReleaseAt(threshold)} collectivités auront transmis leur questionnaire : "
                    + $"le panel auquel il vous compare réunit au moins {threshold} questionnaires et laisse toujours de côté les {threshold} derniers transmis, "
                    + "pour qu'aucune réponse individuelle ne puisse se déduire de ses chiffres ni de leur évolution.");
            }
            if (await releases.ResponsesAsync(campaignId, release.Number, cancellationToken) is not { } responses)
            {
                if (attempt < 3)
                {
                    continue;
                }
                throw new InvalidOperationException($"The answers of interim release {release.Number} of campaign {campaignId} are missing.");
            }
            var panel = await cache.GetOrCreateAsync($"benchmark:{campaignId}:release:{release.Number}:{threshold}", Entry,
                () => Task.FromResult(Build(new FrozenResults(responses, Barometer.Compute(responses, Interim), SecrecyPlan.Build(responses, threshold)))),
                cancellationToken);
            if (panel.Rows.TryGetValue(access.Code, out var index))
            {
                return new BenchmarkOutcome(new IndividualReportData(panel.Responses, panel.Results, panel.Benchmark, index, today), false, threshold, null, release);
            }
            // Not in the release yet: its own answers as they are now against the release's figures, which do not
            // depend on it. It has no segment (the release's segments were formed without it). The report data take
            // every panel figure from the release's results and benchmark, and only the collectivité's row and score
            // from its own one-row response set.
            var own = await queries.ResponsesOfAsync(access.ParticipantId, cancellationToken)
                ?? throw new InvalidOperationException($"Participant {access.ParticipantId} of an open link is missing.");
            var score = Barometer.Compute(own, Interim).Scores[0];
            var data = new IndividualReportData(own, panel.Results with { Scores = [score] }, panel.Benchmark, 0, today);
            return new BenchmarkOutcome(data, false, threshold, null, release, InPanel: false);
        }
    }

    private static Panel Build(FrozenResults panel)
    {
        var rows = panel.Responses.Respondents.Select((r, i) => (r.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        return new Panel(panel.Responses, panel.Results, new PanelBenchmark(panel.Responses, panel.Results, panel.Plan), rows);
    }
}
