using System.Security.Claims;
using System.Text;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Barometre.Web.Api;

/// <summary>
/// The operators' JSON API (campaign state and exports), for data teams and scripts: every call needs
/// an API key. Individual answers and scores are here, so nothing here is public.
/// </summary>
internal static class OperatorApi
{
    /// <summary>A campaign's state.</summary>
    public sealed record CampaignState(
        int Id, string Name, string Model, string Status, DateTime CreatedAt, DateTime? ClosedAt, DateTime? ReviewEndsAt,
        DateTime? PublishedAt, int SecrecyThreshold, int Collectivites, int NotStarted, int InProgress, int Submitted);

    /// <summary>A collectivité's progress.</summary>
    public sealed record ParticipantState(string Code, string Nom, string? Type, string Status, int Answered, int Questions, DateTime? LastActivity, DateTime? SubmittedAt);

    public static void MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/campaigns")
            .WithTags("Opérateurs")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser());
        // Each call's right (OperatorPrincipal.May): the key's role on the campaign of the route.
        group.MapGet("", ListAsync).WithName("ListCampaigns").WithSummary("Les campagnes que la clé voit (toutes pour une clé d'administrateur) et leur état (clé d'API).")
            .RequireAuthorization(OperatorAuthorization.Policy(OperatorRight.ReadResults));
        group.MapGet("{id:int}", GetAsync).WithName("GetCampaign").WithSummary("Une campagne et l'avancement de chaque collectivité (clé d'administrateur ou de gestionnaire de la campagne).")
            .RequireAuthorization(OperatorAuthorization.Policy(OperatorRight.RunCampaign));
        group.MapGet("{id:int}/results", ResultsAsync).WithName("GetCampaignResults")
            .WithSummary("Les résultats figés complets d'une campagne close, scores individuels compris (clé d'administrateur ou de gestionnaire de la campagne).")
            .RequireAuthorization(OperatorAuthorization.Policy(OperatorRight.RunCampaign));
        group.MapGet("{id:int}/responses.csv", ResponsesAsync).WithName("GetCampaignResponses")
            .WithSummary("Les réponses de la campagne au format CSV large (clé d'administrateur ou de gestionnaire de la campagne) : transmises seulement, sauf ?all=true ; ?format=csv-fr (Excel en français) ou xlsx (classeur).")
            .RequireAuthorization(OperatorAuthorization.Policy(OperatorRight.RunCampaign));
    }

    private static async Task<Ok<List<CampaignState>>> ListAsync(CampaignQueries queries, CurrentOperator current, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var principal = await current.GetAsync(user, cancellationToken);
        var states = new List<CampaignState>();
        foreach (var campaign in (await queries.ListAsync(cancellationToken)).Where(c => principal?.Sees(c.Id) == true))
        {
            states.Add(State(campaign, await queries.FollowUpAsync(campaign.Id, cancellationToken)));
        }
        return TypedResults.Ok(states);
    }

    private static async Task<Results<Ok<object>, NotFound>> GetAsync(int id, CampaignQueries queries, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(id, cancellationToken) is not { } campaign)
        {
            return TypedResults.NotFound();
        }
        var progress = await queries.FollowUpAsync(id, cancellationToken);
        return TypedResults.Ok<object>(new
        {
            Campaign = State(campaign, progress),
            Collectivites = progress.Select(p => new ParticipantState(
                p.Participant.Code, p.Participant.Name, p.Participant.Type, StatusOf(p.Status), p.Answered, p.Questions, p.LastActivity, p.Participant.SubmittedAt)),
        });
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ResultsAsync(int id, CampaignQueries queries, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Campagne inconnue");
        }
        return await queries.SnapshotAsync(id, cancellationToken) is { } snapshot
            ? TypedResults.Content(snapshot.ResultsJson, "application/json", Encoding.UTF8)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Campagne non close", detail: "Les résultats sont calculés à la clôture de la campagne.");
    }

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> ResponsesAsync(
        int id, bool? all, string? format, CampaignQueries queries, CancellationToken cancellationToken)
    {
        if (TableDownloads.Parse(format) is not { } table)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Format inconnu", detail: TableDownloads.UnknownFormat(format));
        }
        if (await queries.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        var responses = await queries.ResponsesAsync(id, submittedOnly: all != true, cancellationToken);
        var bytes = TableDownloads.Bytes(buffer => Data.Import.ResponsesCsv.Write(responses, buffer, table));
        return TypedResults.File(bytes, table.ContentType(), table.FileName($"reponses-campagne-{id}"));
    }

    private static CampaignState State(Campaign campaign, IReadOnlyList<ParticipantProgress> progress) => new(
        campaign.Id, campaign.Name, campaign.ModelId, campaign.Status.ToString().ToLowerInvariant(), campaign.CreatedAt, campaign.ClosedAt, campaign.ReviewEndsAt,
        campaign.PublishedAt, campaign.SecrecyThreshold, progress.Count,
        progress.Count(p => p.Status == ParticipantStatus.NotStarted), progress.Count(p => p.Status == ParticipantStatus.InProgress), progress.Count(p => p.Status == ParticipantStatus.Submitted));

    private static string StatusOf(ParticipantStatus status) => status switch
    {
        ParticipantStatus.Submitted => "submitted",
        ParticipantStatus.InProgress => "in_progress",
        _ => "not_started",
    };
}
