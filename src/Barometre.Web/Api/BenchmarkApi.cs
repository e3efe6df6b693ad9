using Barometre.Core.Publication;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Reports;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Barometre.Web.Api;

/// <summary>A collectivité's benchmark through the API, reached with its invitation token.</summary>
internal static class BenchmarkApi
{
    /// <summary>A figure of a group of the panel for one theme: its median, or suppressed under statistical secrecy.</summary>
    public sealed record GroupFigure(double? Median, bool Suppressed);

    /// <summary>The panel's distribution of a theme's scores; all null with <paramref name="Suppressed"/> under statistical secrecy.</summary>
    public sealed record PanelFigure(int? Scored, double? Mean, double? Median, double? Q1, double? Q3, bool Suppressed);

    /// <summary>A theme: the collectivité's score against the panel, its type and its population band.</summary>
    public sealed record ThemeBenchmark(string Id, string Title, double? Score, PanelFigure Panel, GroupFigure? Type, GroupFigure? PopulationBand);

    /// <summary>A group the collectivité belongs to; its size is null when the group is under statistical secrecy.</summary>
    public sealed record GroupDto(string Label, int? Respondents, bool Suppressed);

    /// <summary>A segment of the panel (members are never listed).</summary>
    public sealed record SegmentDto(string Label, int? Size, bool Suppressed);

    /// <summary>A next step: a question where the collectivité is below the level most of the reference segment reaches.</summary>
    public sealed record NextStepDto(string QuestionId, string Question, string Theme, int Current, string CurrentLabel, int Target, string TargetLabel, int Next, string NextLabel, string? Help);

    /// <summary>The interim release the figures come from: its number in the campaign, its size and when it was made (UTC).</summary>
    public sealed record ReleaseDto(int Number, int Respondents, DateTime CreatedAt);

    /// <summary>
    /// The benchmark. <paramref name="Respondents"/> is the size of the panel the figures come from; <paramref name="Release"/>
    /// is null for the final results; <paramref name="InPanel"/> says whether the collectivité's answers are in that panel.
    /// </summary>
    public sealed record BenchmarkDocument(
        string Code, string Nom, string Campaign, bool Final, int SecrecyThreshold, int Respondents,
        double? Index, double? PanelIndexMedian, bool PanelIndexSuppressed, string? Segment, IReadOnlyList<SegmentDto> Segments,
        GroupDto? Type, GroupDto? PopulationBand, IReadOnlyList<ThemeBenchmark> Themes,
        string? ReferenceSegment, bool ReferenceSegmentSuppressed, IReadOnlyList<NextStepDto> NextSteps,
        ReleaseDto? Release, bool InPanel);

    public static void MapBenchmarkApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/questionnaire/{token}/benchmark", GetAsync)
            .WithTags("Questionnaire")
            .AllowAnonymous()
            .WithName("GetBenchmark")
            .WithSummary("Le comparatif de la collectivité : ses scores face au panel (médiane, quartiles), à son type et à sa strate de population, son segment et ses prochaines étapes.")
            .WithDescription("Disponible une fois le questionnaire transmis et dès que la campagne compte 2 × N questionnaires transmis (N, le seuil de secret statistique de la campagne) ; "
                + "409 sinon, avec la raison. Pendant la collecte (« final »: false), le panel est la dernière publication intermédiaire (« release » : numéro, taille, date) : "
                + "elle ne change que lorsqu'au moins N questionnaires qu'aucune publication ne contenait peuvent la rejoindre, les N derniers transmis restant toujours de côté, "
                + "si bien que deux lectures successives montrent la même publication ou des publications qui diffèrent d'au moins N questionnaires. "
                + "« inPanel » dit si les réponses de la collectivité y figurent ; sinon ses scores sont comparés à la publication sans elle, sans segment. "
                + "Après la clôture, les résultats figés (« release »: null). "
                + "Les médianes couvertes par le secret statistique valent {\"median\": null, \"suppressed\": true}. 404 pour un lien inconnu, révoqué ou expiré.");
    }

    private static async Task<Results<Ok<BenchmarkDocument>, ProblemHttpResult>> GetAsync(
        string token, Questionnaire questionnaire, RespondentBenchmarks benchmarks, CancellationToken cancellationToken)
    {
        if (await questionnaire.OpenAsync(token, cancellationToken) is not { } access)
        {
            return QuestionnaireApi.UnknownLink();
        }
        var outcome = await benchmarks.ForAsync(access, cancellationToken);
        if (outcome.Data is not { } data)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Comparatif indisponible", detail: outcome.Unavailable);
        }
        return TypedResults.Ok(Document(access, outcome, data));
    }

    private static BenchmarkDocument Document(QuestionnaireAccess access, BenchmarkOutcome outcome, IndividualReportData data)
    {
        var model = data.Model;
        var score = data.Score;
        var benchmark = data.Benchmark;
        var type = benchmark.OfType(data.Respondent.Type);
        var band = benchmark.OfBand(data.Respondent.Population);
        static GroupDto? Group(GroupComparison? group) => group is null ? null : new GroupDto(group.Label, group.Secret ? null : group.Respondents, group.Secret);
        static GroupFigure? Figure(GroupComparison? group, int theme) =>
            group is null ? null : group.Hides(theme) ? new GroupFigure(null, true) : new GroupFigure(group.Medians[theme], false);
        var themes = model.Themes.Select((theme, t) =>
        {
            var panel = data.Results.Themes[t];
            var figure = benchmark.SecretPanelThemes.Contains(t)
                ? new PanelFigure(null, null, null, null, null, true)
                : new PanelFigure(panel.Scored, panel.Mean, panel.Median, panel.Q1, panel.Q3, false);
            return new ThemeBenchmark(theme.Id, theme.Title, score.Themes.GetValueOrDefault(theme.Id), figure, Figure(type, t), Figure(band, t));
        }).ToList();
        var segments = data.Results.Segments.Groups.Select(g => Disclosure.HidesSegment(benchmark.PanelIndexSecret, g.Size, outcome.Threshold)
            ? new SegmentDto(g.Label, null, true)
            : new SegmentDto(g.Label, g.Size, false)).ToList();
        var steps = NextStep.For(data.Responses.Row(data.Index), benchmark).Select(step =>
        {
            var question = model.Questions[step.Question];
            var next = step.Current + 1;
            return new NextStepDto(question.Id, question.Label, model.Themes[model.ThemeOfQuestion[step.Question]].Title,
                step.Current, model.Scale.LabelOf(step.Current), step.Target, model.Scale.LabelOf(step.Target), next, model.Scale.LabelOf(next), question.HelpFor(next));
        }).ToList();
        return new BenchmarkDocument(access.Code, access.Name, access.CampaignName, outcome.Final, outcome.Threshold, data.Results.Respondents,
            score.Index, benchmark.PanelIndexMedian, benchmark.PanelIndexSecret, score.Segment, segments, Group(type), Group(band), themes,
            benchmark.ReferenceSegment, benchmark.ReferenceSegmentSecret, steps,
            outcome.Release is { } release ? new ReleaseDto(release.Number, release.Respondents, release.CreatedAt) : null, outcome.InPanel);
    }
}
