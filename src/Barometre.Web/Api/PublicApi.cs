using System.Globalization;
using Barometre.Core.Evolution;
using Barometre.Core.Publication;
using Barometre.Core.Results;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Barometre.Web.Api;

/// <summary>
/// The public JSON API of published results, for newsrooms and data teams: no key, statistical secrecy
/// applied exactly as on the dashboard, never an individual answer or score.
/// </summary>
internal static class PublicApi
{
    /// <summary>A population band a filter may use.</summary>
    public sealed record BandDto(string Id, string Label);

    /// <summary>The values each filter accepts.</summary>
    public sealed record FiltersDto(IReadOnlyList<string> Types, IReadOnlyList<string> Regions, IReadOnlyList<BandDto> PopulationBands);

    /// <summary>A published campaign.</summary>
    public sealed record PublishedCampaignDto(int Id, string Name, string Referential, DateTime PublishedAt, int SecrecyThreshold, int? Respondents, FiltersDto Filters, string Results);

    /// <summary>A campaign named in the evolution.</summary>
    public sealed record CampaignRefDto(int Id, string Name);

    /// <summary>A selection's criteria (null: all).</summary>
    public sealed record FilterDto(string? Type, string? Region, string? PopulationBand);

    /// <summary>
    /// A figure's change: before, after and delta (null when <paramref name="Suppressed"/>), and the interval, tests and
    /// significance (null when <paramref name="TestsSuppressed"/>).
    /// </summary>
    public sealed record ChangeDto(
        string Id, string BeforeId, string? Title, bool Suppressed, double? Before, double? After, double? Delta,
        bool TestsSuppressed, double?[]? Ci95, ChangeTest? Paired, ChangeTest? Unpaired, bool? Significant);

    /// <summary>The changes since the earlier edition for one selection, under the secrecy of both editions.</summary>
    public sealed record EvolutionDto(
        CampaignRefDto Campaign, CampaignRefDto Previous, FilterDto Filter, int SecrecyThreshold, int PreviousSecrecyThreshold,
        PublicEdition Before, PublicEdition After, IReadOnlyList<ChangeDto> Themes, IReadOnlyList<ChangeDto> Indicators, ChangeDto Index);

    public static void MapPublicApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/campaigns").WithTags("Résultats publiés").AllowAnonymous();
        group.MapGet("", ListAsync)
            .WithName("ListPublishedCampaigns")
            .WithSummary("Les campagnes publiées, la plus récente d'abord, avec les valeurs que chaque filtre accepte.");
        group.MapGet("{id:int}/results", ResultsAsync)
            .WithName("GetPublishedResults")
            .WithSummary("Les résultats publiés d'une campagne, pour tout le panel ou filtrés par type, région et tranche de population.")
            .WithDescription("Le schéma des résultats (docs/results-schema.md) sans « scores » ni membres des segments, le secret statistique appliqué : "
                + "chaque chiffre couvert par le secret vaut {\"suppressed\": true}, jamais zéro ; une sélection entièrement couverte a \"suppressed\": true. "
                + "404 pour une campagne inconnue ou non publiée ; 400 pour une valeur de filtre que le panel n'a pas. Réponse cacheable (ETag).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("{id:int}/evolution", EvolutionAsync)
            .WithName("GetPublishedEvolution")
            .WithSummary("L'évolution depuis l'édition précédente publiée : pour chaque thème, indicateur clé et l'indice comparables, avant, après, écart, intervalle et tests.")
            .WithDescription("Mêmes filtres que /results. Un écart n'est donné que si les deux éditions publient le chiffre pour la sélection ; l'intervalle et les tests, "
                + "qui portent aussi sur les collectivités présentes aux deux éditions, seulement si ce groupe respecte lui aussi le secret statistique (docs/publication.md). "
                + "404 pour une campagne inconnue, non publiée ou qui ne suit aucune édition publiée ; 400 pour une valeur de filtre que le panel n'a pas.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<EvolutionDto>, ProblemHttpResult>> EvolutionAsync(
        int id, string? type, string? region, string? populationBand, PublishedResults published, CancellationToken cancellationToken)
    {
        var (panel, filter, refusal) = await SelectionAsync(id, type, region, populationBand, published, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (await published.EvolutionAsync(panel, filter, cancellationToken) is not { } evolution)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Aucune édition précédente publiée",
                detail: $"La campagne « {panel.Campaign.Name} » ne suit aucune édition dont les résultats sont publiés.");
        }
        var (previous, view) = evolution;
        return TypedResults.Ok(new EvolutionDto(
            new CampaignRefDto(panel.Campaign.Id, panel.Campaign.Name), new CampaignRefDto(previous.CampaignId, previous.Name),
            new FilterDto(filter.Type, filter.Region, filter.PopulationBand), panel.Campaign.Threshold, previous.Threshold,
            view.Before, view.After, [.. view.Themes.Select(Change)], [.. view.Indicators.Select(Change)], Change(view.Index)));
    }

    /// <summary>A published campaign's panel and a valid selection of it, or the 404 or 400 that refuses them.</summary>
    private static async Task<(PublishedPanel Panel, PanelFilter Filter, ProblemHttpResult? Refusal)> SelectionAsync(
        int id, string? type, string? region, string? populationBand, PublishedResults published, CancellationToken cancellationToken)
    {
        var filter = PublishedResults.FilterOf(type, region, populationBand);
        if (await published.PanelAsync(id, cancellationToken) is not { } panel)
        {
            return (null!, filter, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Campagne inconnue ou non publiée",
                detail: $"Aucune campagne publiée ne porte le numéro {id.ToString(CultureInfo.InvariantCulture)} : GET /api/campaigns liste les campagnes publiées."));
        }
        return PublishedResults.Validate(panel.Plan, filter) is { } error
            ? (panel, filter, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Filtre invalide", detail: error))
            : (panel, filter, null);
    }

    /// <summary>The contract of a public change: withheld members null.</summary>
    public static ChangeDto Change(PublicChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var measure = change.Suppressed ? null : change.Change;
        var tests = change.TestsSuppressed ? null : measure;
        return new ChangeDto(change.Id, change.BeforeId, change.Title, change.Suppressed, measure?.Before, measure?.After, measure?.Delta,
            change.TestsSuppressed, tests is null ? null : [tests.Ci95.Low, tests.Ci95.High], tests?.Paired, tests?.Unpaired, change.Significant);
    }

    private static async Task<Ok<List<PublishedCampaignDto>>> ListAsync(PublishedResults published, CancellationToken cancellationToken)
    {
        var list = new List<PublishedCampaignDto>();
        foreach (var campaign in await published.ListAsync(cancellationToken))
        {
            var panel = await published.PanelAsync(campaign, cancellationToken);
            var whole = panel.Plan.Decide(PanelFilter.WholePanel);
            list.Add(new PublishedCampaignDto(
                campaign.Id, campaign.Name, campaign.ModelId, DateTime.SpecifyKind(campaign.PublishedAt, DateTimeKind.Utc), campaign.Threshold,
                whole.Suppressed ? null : whole.Respondents,
                Filters(panel.Plan),
                $"/api/campaigns/{campaign.Id.ToString(CultureInfo.InvariantCulture)}/results"));
        }
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> ResultsAsync(
        int id, string? type, string? region, string? populationBand, HttpContext context, PublishedResults published, CancellationToken cancellationToken)
    {
        var (panel, filter, refusal) = await SelectionAsync(id, type, region, populationBand, published, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var etag = new EntityTagHeaderValue($"\"{panel.Campaign.Id}-{panel.Campaign.Version}-{Hash(filter)}\"");
        context.Response.Headers.ETag = etag.ToString();
        context.Response.Headers.CacheControl = "public, max-age=60";
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var figures = await published.ViewAsync(panel, filter, cancellationToken);
        using var buffer = new MemoryStream();
        PublicResultsJson.Write(buffer, figures, (panel.Campaign.Id, panel.Campaign.Name), panel.Campaign.Threshold);
        return TypedResults.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
    }

    /// <summary>The values each filter of a plan accepts.</summary>
    public static FiltersDto Filters(SecrecyPlan plan) =>
        new(plan.Types, plan.Regions, [.. plan.PopulationBands.Select(id => new BandDto(id, PopulationBands.Find(id)!.Label))]);

    // A short, stable fingerprint of a filter for the ETag (values may hold any character).
    private static string Hash(PanelFilter filter)
    {
        var text = $"{filter.Type}\u001f{filter.Region}\u001f{filter.PopulationBand}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }
}
