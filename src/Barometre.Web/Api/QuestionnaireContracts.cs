using Barometre.Data.Campaigns;

namespace Barometre.Web.Api;

/// <summary>The questionnaire a link opens, as <c>GET /api/questionnaire/{token}</c> returns it.</summary>
/// <param name="Collectivite">The collectivité answering.</param>
/// <param name="Campaign">The campaign.</param>
/// <param name="Status">« not_started », « in_progress » or « submitted ».</param>
/// <param name="ReadOnly">Whether answers can no longer change.</param>
/// <param name="ReadOnlyReason">Why, in French; null when editable.</param>
/// <param name="Answered">Questions with a level, NSP or NC.</param>
/// <param name="Questions">Questions in all.</param>
/// <param name="Scale">The levels of the scale.</param>
/// <param name="Themes">The themes with their questions and current answers.</param>
public sealed record QuestionnaireDocument(
    CollectiviteDto Collectivite,
    CampaignDto Campaign,
    string Status,
    bool ReadOnly,
    string? ReadOnlyReason,
    int Answered,
    int Questions,
    IReadOnlyList<ScaleLevelDto> Scale,
    IReadOnlyList<ThemeDto> Themes);

/// <summary>A collectivité.</summary>
public sealed record CollectiviteDto(string Code, string Nom);

/// <summary>A campaign.</summary>
public sealed record CampaignDto(string Name, string Status);

/// <summary>A level of the scale.</summary>
public sealed record ScaleLevelDto(int Level, string Label);

/// <summary>A theme and its questions.</summary>
public sealed record ThemeDto(string Id, string Title, IReadOnlyList<QuestionDto> Questions);

/// <summary>A question, what each level means for it, its current answer and the collectivité's answer in the earlier edition.</summary>
/// <param name="Id">The question's id.</param>
/// <param name="Label">Its wording.</param>
/// <param name="Help">What each level means for it.</param>
/// <param name="Answer">The current answer.</param>
/// <param name="Previous">
/// The collectivité's own answer, as the earlier edition froze it, to the question this one continues (read-only); null
/// when the campaign follows no edition, the question continues none, or the collectivité did not answer it then.
/// </param>
/// <param name="Doubt">The operator's doubt about the answer's evidence, or null when it was never put in doubt.</param>
public sealed record QuestionDto(string Id, string Label, IReadOnlyList<string> Help, AnswerDto Answer, PreviousAnswerDto? Previous = null, EvidenceDoubtDto? Doubt = null);

/// <summary>An operator's doubt about an answer's evidence, and the collectivité's reply.</summary>
/// <param name="State">« awaiting_reply », « replied » (a reply, or a change of the answer, since the doubt) or « lifted ».</param>
/// <param name="Note">The operator's note, or null.</param>
/// <param name="QuestionedAt">When the operator put the evidence in doubt (or kept the doubt), or null when not known.</param>
/// <param name="Reply">The collectivité's reply, or null; an earlier reply when the operator kept the doubt since.</param>
/// <param name="RepliedAt">When the collectivité replied to the current doubt, or null.</param>
/// <param name="LiftedAt">When the operator lifted the doubt, or null.</param>
public sealed record EvidenceDoubtDto(string State, string? Note, DateTime? QuestionedAt, string? Reply, DateTime? RepliedAt, DateTime? LiftedAt)
{
    /// <summary>The contract of a doubt.</summary>
    public static EvidenceDoubtDto Of(EvidenceDoubt doubt)
    {
        ArgumentNullException.ThrowIfNull(doubt);
        var state = doubt.State switch
        {
            DoubtState.AwaitingReply => "awaiting_reply",
            DoubtState.Replied => "replied",
            _ => "lifted",
        };
        return new(state, doubt.Note, doubt.QuestionedAt, doubt.Reply, doubt.RepliedAt, doubt.LiftedAt);
    }
}

/// <summary>The body of <c>PUT /api/questionnaire/{token}/answers/{questionId}/reply</c>.</summary>
/// <param name="Reply">The reply to the operator's doubt (multi-line, 4,000 characters at most).</param>
public sealed record ReplyRequest(string? Reply);

/// <summary>The collectivité's answer in the earlier edition to the question a question continues.</summary>
/// <param name="Edition">The earlier edition's label (« 2019 »), or its campaign's name.</param>
/// <param name="QuestionId">The earlier question's id.</param>
/// <param name="Level">The earlier level, or null for NSP and NC.</param>
/// <param name="Status">« NSP », « NC », or null for a level.</param>
/// <param name="Label">The earlier level's label in the earlier model, « Ne sait pas » or « Non concerné ».</param>
/// <param name="TranslatedLevel">The level it stands for on this questionnaire's scale when the scales differ and the lineage maps them; null otherwise.</param>
public sealed record PreviousAnswerDto(string Edition, string QuestionId, int? Level, string? Status, string Label, int? TranslatedLevel)
{
    /// <summary>The contract of an earlier answer.</summary>
    public static PreviousAnswerDto Of(string edition, Publication.EarlierAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(edition, answer.QuestionId, answer.Level, AnswerMarks.Code(answer.Mark), answer.Label, answer.LaterLevel);
    }
}

/// <summary>
/// An answer: a level or a status (« NSP », « NC »), a comment, evidence, and its version (send it back
/// in <c>If-Match</c> to be warned of a concurrent change instead of overwriting it).
/// </summary>
public sealed record AnswerDto(
    string QuestionId,
    int? Level,
    string? Status,
    string? Comment,
    string? EvidenceUrl,
    string? EvidenceText,
    int Version,
    DateTime? UpdatedAt,
    string? UpdatedBy)
{
    /// <summary>The contract of an answer state: its mark written « NSP », « NC » or null (<see cref="AnswerMarks"/>).</summary>
    public static AnswerDto Of(AnswerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.QuestionId, state.Level, AnswerMarks.Code(state.Mark), state.Comment, state.EvidenceUrl, state.EvidenceText, state.Version, state.UpdatedAt, state.UpdatedBy);
    }
}

/// <summary>The body of <c>PUT /api/questionnaire/{token}/answers/{questionId}</c>; every member null clears the answer.</summary>
/// <param name="Level">A level of the scale (0 to 4 on the 2019 scale), or null.</param>
/// <param name="Status">null, « NSP » (ne sait pas) or « NC » (non concerné); not with a level.</param>
/// <param name="Comment">A comment, or null.</param>
/// <param name="EvidenceUrl">A link (http or https) supporting the answer, or null.</param>
/// <param name="EvidenceText">A short justification, or null.</param>
public sealed record AnswerRequest(int? Level, string? Status, string? Comment, string? EvidenceUrl = null, string? EvidenceText = null);

/// <summary>The result of <c>POST /api/questionnaire/{token}/submit</c>.</summary>
public sealed record SubmitResponse(string Status, DateTime? SubmittedAt);
