using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Barometre.Data.Campaigns;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Api;

/// <summary>
/// The questionnaire's JSON API, reached with an invitation token only: read the questionnaire, save
/// one answer at a time (what the page's autosave calls), submit. Stable: see the OpenAPI document.
/// </summary>
internal static class QuestionnaireApi
{
    /// <summary>
    /// The header carrying the credential of the contributor on whose behalf a change is made (their personal link ends
    /// with it); without it, the browser's contributor cookie. A value that proves nobody of the link's collectivité
    /// counts as nobody.
    /// </summary>
    public const string ContributorHeader = "X-Contributor";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static void MapQuestionnaireApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/questionnaire/{token}")
            .WithTags("Questionnaire")
            .AllowAnonymous()
            .DisableAntiforgery();
        group.MapGet("", GetAsync)
            .WithName("GetQuestionnaire")
            .WithSummary("Le questionnaire d'une collectivité : ses thèmes, ses questions et les réponses enregistrées.")
            .WithDescription("404 pour un lien inconnu, révoqué ou expiré (la même réponse pour les trois).");
        group.MapPut("answers/{questionId}", PutAnswerAsync)
            .WithName("PutAnswer")
            .WithSummary("Enregistre la réponse à une question ; 200 une fois la réponse durablement enregistrée.")
            .WithDescription("Corps : {\"level\": 0..4 | null, \"status\": null | \"NSP\" | \"NC\", \"comment\": texte | null, \"evidenceUrl\", \"evidenceText\"}. "
                + "En-tête If-Match facultatif : la version sur laquelle repose la modification ; si la réponse a changé depuis, 412 et la réponse actuelle, "
                + "jamais écrasée. 400 pour une saisie invalide, 404 pour un lien ou une question inconnus, 409 après transmission ou clôture, "
                + "413 pour un corps de plus de 64 Ko.")
            .WithMetadata(new RequestSizeLimitAttribute(RequestBodyLimits.AnswerJson));
        group.MapPut("answers/{questionId}/reply", PutReplyAsync)
            .WithName("PutReply")
            .WithSummary("Répond au doute de l'organisateur sur la justification d'une réponse ; 200 et le doute, avec la réponse, une fois enregistrée.")
            .WithDescription("Corps : {\"reply\": texte} (4 000 caractères au plus, retours à la ligne admis). La version de la réponse ne change pas. "
                + "400 pour un texte vide ou invalide, 404 pour un lien ou une question inconnus, 409 quand la réponse n'est pas (ou plus) mise en doute, "
                + "après transmission ou clôture, 413 pour un corps de plus de 64 Ko.")
            .WithMetadata(new RequestSizeLimitAttribute(RequestBodyLimits.AnswerJson));
        group.MapPost("submit", SubmitAsync)
            .WithName("SubmitQuestionnaire")
            .WithSummary("Transmet le questionnaire ; il passe en lecture seule.")
            .WithDescription("Paramètre facultatif unanswered : le nombre de questions sans réponse que le client confirme transmettre ; si le questionnaire "
                + "en compte un autre au moment de la transmission, 409 avec ce nombre (unanswered) et rien n'est transmis. Sans lui, le questionnaire est "
                + "transmis tel quel. 409 aussi s'il est déjà transmis ou si la campagne est close ; 403 si la collectivité a un ou une responsable et que "
                + "l'en-tête X-Contributor (la valeur qui termine le lien personnel de la personne) ne le ou la désigne pas ; "
                + "aucun corps n'est lu (413 au-delà de 1 Ko).")
            .WithMetadata(new RequestSizeLimitAttribute(RequestBodyLimits.Submit));
    }

    private static async Task<Results<Ok<QuestionnaireDocument>, ProblemHttpResult>> GetAsync(
        string token, Questionnaire questionnaire, PreviousEditions previousEditions, CancellationToken cancellationToken)
    {
        if (await questionnaire.OpenAsync(token, cancellationToken) is not { } access)
        {
            return UnknownLink();
        }
        var answers = await questionnaire.AnswersAsync(access, cancellationToken);
        var doubts = await questionnaire.DoubtsAsync(access, cancellationToken);
        var previous = await previousEditions.OfAsync(access.CampaignId, access.Model, cancellationToken);
        return TypedResults.Ok(Document(access, answers, doubts, previous));
    }

    private static async Task<Results<Ok<EvidenceDoubtDto>, ValidationProblem, ProblemHttpResult>> PutReplyAsync(
        string token, string questionId, HttpRequest request, Questionnaire questionnaire, CancellationToken cancellationToken)
    {
        if (await questionnaire.OpenAsync(token, cancellationToken) is not { } access)
        {
            return UnknownLink();
        }
        ReplyRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<ReplyRequest>(Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return BadRequest($"Corps JSON illisible{(e.Path is { Length: > 1 } path ? $" (à « {path} »)" : "")} : attendu {{\"reply\": texte}}.");
        }
        catch (InvalidOperationException)
        {
            return BadRequest("Le corps doit être du JSON (Content-Type: application/json).");
        }
        var contributor = await questionnaire.ContributorNameAsync(access.Link, ContributorCredential(request, access.Link), cancellationToken);
        switch (await questionnaire.ReplyAsync(access.Link, questionId, body?.Reply, contributor, cancellationToken))
        {
            case SaveOutcome.Saved:
                return TypedResults.Ok(EvidenceDoubtDto.Of((await questionnaire.DoubtsAsync(access, cancellationToken))[questionId]));
            case SaveOutcome.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "Réponse invalide");
            case SaveOutcome.UnknownQuestion unknown:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Question inconnue", detail: $"Le questionnaire n'a pas de question « {unknown.QuestionId} ».");
            case SaveOutcome.Locked locked:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Questionnaire en lecture seule", detail: locked.Reason);
            case SaveOutcome.NotQuestioned:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Aucun doute en cours", detail: SaveOutcome.NotQuestioned.Reason);
            default:
                return UnknownLink();
        }
    }

    /// <remarks>
    /// The hot path of the autosave: the link comes from those already resolved, without a query; the save checks in
    /// its transaction that the link is still valid. A refusal that saves nothing (bad input, unknown question) checks
    /// the link first, so that a revoked or expired link gets the same 404 whatever the request.
    /// </remarks>
    private static async Task<Results<Ok<AnswerDto>, ValidationProblem, ProblemHttpResult>> PutAnswerAsync(
        string token, string questionId, HttpRequest request, HttpResponse response, Questionnaire questionnaire, CancellationToken cancellationToken)
    {
        if (await questionnaire.LinkAsync(token, cancellationToken) is not { } link)
        {
            return UnknownLink();
        }
        // Nothing was saved: the link may have been revoked or have expired since it was cached.
        async Task<Results<Ok<AnswerDto>, ValidationProblem, ProblemHttpResult>> RefuseAsync(Results<Ok<AnswerDto>, ValidationProblem, ProblemHttpResult> refusal) =>
            await questionnaire.OpenAsync(token, cancellationToken) is null ? UnknownLink() : refusal;

        AnswerRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<AnswerRequest>(Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return await RefuseAsync(BadRequest($"Corps JSON illisible{(e.Path is { Length: > 1 } path ? $" (à « {path} »)" : "")} : attendu {{\"level\": 0..{link.Model.Scale.MaxLevel} ou null, \"status\": null, \"NSP\" ou \"NC\", \"comment\": texte ou null}}."));
        }
        catch (InvalidOperationException)
        {
            return await RefuseAsync(BadRequest("Le corps doit être du JSON (Content-Type: application/json)."));
        }
        if (body is null)
        {
            return await RefuseAsync(BadRequest("Corps vide : attendu un objet JSON {\"level\", \"status\", \"comment\"}."));
        }
        if (!TryReadVersion(request, out var expectedVersion))
        {
            return await RefuseAsync(BadRequest($"En-tête If-Match illisible : « {request.Headers.IfMatch} » ; attendu la version, par exemple \"3\"."));
        }
        var contributor = await questionnaire.ContributorNameAsync(link, ContributorCredential(request, link), cancellationToken);
        var outcome = await questionnaire.SaveAsync(link, questionId, new AnswerInput(body.Level, body.Status, body.Comment, body.EvidenceUrl, body.EvidenceText), expectedVersion, contributor, cancellationToken);
        switch (outcome)
        {
            case SaveOutcome.Saved saved:
                response.Headers.ETag = Etag(saved.Answer.Version);
                return TypedResults.Ok(AnswerDto.Of(saved.Answer));
            case SaveOutcome.UnknownLink:
                return UnknownLink();
            case SaveOutcome.Invalid invalid:
                return await RefuseAsync(TypedResults.ValidationProblem(invalid.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "Réponse invalide"));
            case SaveOutcome.UnknownQuestion unknown:
                return await RefuseAsync(TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Question inconnue", detail: $"Le questionnaire n'a pas de question « {unknown.QuestionId} »."));
            case SaveOutcome.Locked locked:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Questionnaire en lecture seule", detail: locked.Reason);
            case SaveOutcome.Conflict conflict:
                response.Headers.ETag = Etag(conflict.Current.Version);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status412PreconditionFailed,
                    title: "Réponse modifiée entre-temps",
                    detail: $"{conflict.Current.UpdatedBy ?? "Quelqu'un"} a modifié cette réponse depuis la version {expectedVersion} : la voici ; rien n'a été écrasé.",
                    extensions: new Dictionary<string, object?> { ["current"] = AnswerDto.Of(conflict.Current) });
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        }
    }

    /// <param name="token">The invitation token.</param>
    /// <param name="unanswered">How many unanswered questions the client confirms sending, or null to submit as it stands.</param>
    /// <param name="request">The request (its contributor credential).</param>
    /// <param name="questionnaire">The questionnaire service.</param>
    /// <param name="cancellationToken">Cancels.</param>
    private static async Task<Results<Ok<SubmitResponse>, ProblemHttpResult>> SubmitAsync(
        string token, [FromQuery] int? unanswered, HttpRequest request, Questionnaire questionnaire, CancellationToken cancellationToken)
    {
        if (await questionnaire.OpenAsync(token, cancellationToken) is not { } access)
        {
            return UnknownLink();
        }
        switch (await questionnaire.SubmitAsync(access, ContributorCredential(request, access.Link), unanswered, cancellationToken))
        {
            case SubmitOutcome.Submitted:
                var reopened = await questionnaire.OpenAsync(token, cancellationToken);
                return TypedResults.Ok(new SubmitResponse("submitted", reopened?.SubmittedAt));
            case SubmitOutcome.AlreadySubmitted:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Déjà transmis", detail: "Le questionnaire a déjà été transmis.");
            case SubmitOutcome.NotLead:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Transmission réservée",
                    detail: "Seul·e le ou la responsable désigné·e pour la collectivité peut transmettre le questionnaire.");
            case SubmitOutcome.Unconfirmed:
                var now = await questionnaire.OpenAsync(token, cancellationToken) ?? access;
                var count = Questionnaire.UnansweredCount(now.Model, await questionnaire.AnswersAsync(now, cancellationToken));
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Questions sans réponse",
                    detail: $"Le questionnaire compte {Pages.Questionnaire.QuestionnairePage.UnansweredText(count)}, et non {unanswered} : rien n'a été transmis.",
                    extensions: new Dictionary<string, object?> { ["unanswered"] = count });
            default:
                // The campaign may have closed since the link was opened: the reason is that of its state now.
                var current = await questionnaire.OpenAsync(token, cancellationToken);
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Questionnaire en lecture seule", detail: current?.ReadOnlyReason ?? access.ReadOnlyReason);
        }
    }

    /// <summary>
    /// The document of a questionnaire (shared with the pages' scripts), with the operators' doubts about its answers'
    /// evidence and the collectivité's earlier answers when the campaign follows an edition.
    /// </summary>
    public static QuestionnaireDocument Document(
        QuestionnaireAccess access, IReadOnlyDictionary<string, AnswerState> answers, IReadOnlyDictionary<string, EvidenceDoubt> doubts, EarlierCampaign? previous)
    {
        var model = access.Model;
        var given = answers.Values.Count(a => a.IsGiven);
        return new QuestionnaireDocument(
            new CollectiviteDto(access.Code, access.Name),
            new CampaignDto(access.CampaignName, access.CampaignStatus switch { CampaignStatus.Open => "open", CampaignStatus.Review => "review", _ => "closed" }),
            Questionnaire.StatusOf(access.SubmittedAt, answers.Values) switch { ParticipantStatus.Submitted => "submitted", ParticipantStatus.InProgress => "in_progress", _ => "not_started" },
            !access.CanEdit,
            access.ReadOnlyReason,
            given,
            model.Questions.Count,
            [.. model.Scale.Levels.Select(l => new ScaleLevelDto(l.Level, l.Label))],
            [.. model.Themes.Select(theme => new ThemeDto(theme.Id, theme.Title, [.. theme.Questions.Select(question => new QuestionDto(
                question.Id,
                question.Label,
                question.Help,
                AnswerDto.Of(answers.GetValueOrDefault(question.Id) ?? AnswerState.Empty(question.Id)),
                previous?.AnswerOf(access.Code, question.Id) is { } earlier ? PreviousAnswerDto.Of(previous.Label, earlier) : null,
                doubts.GetValueOrDefault(question.Id) is { } doubt ? EvidenceDoubtDto.Of(doubt) : null))]))]);
    }

    internal static ProblemHttpResult UnknownLink() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Lien inconnu",
            detail: "Ce lien d'invitation est inconnu, révoqué ou expiré. Demandez un nouveau lien à l'organisateur du baromètre.");

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Requête invalide", detail: detail);

    private static string Etag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Reads If-Match: absent (no check), or one version, quoted or not, weak or not.</summary>
    private static bool TryReadVersion(HttpRequest request, out int? version)
    {
        version = null;
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return true;
        }
        var value = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }
        return false;
    }

    /// <summary>The contributor's credential: the header when sent (an API client), else the browser's cookie (the page's script).</summary>
    private static string? ContributorCredential(HttpRequest request, AnswerLink link) =>
        request.Headers.TryGetValue(ContributorHeader, out var header) ? header.ToString()
        : request.Cookies[Pages.Questionnaire.QuestionnairePage.ContributorCookie(link.ParticipantId)];
}
