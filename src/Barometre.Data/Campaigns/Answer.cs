using Barometre.Core.Responses;

namespace Barometre.Data.Campaigns;

/// <summary>« Ne sait pas » and « non concerné », the answers that are not levels.</summary>
public enum AnswerMark
{
    /// <summary>A level, or nothing yet.</summary>
    None = 0,

    /// <summary>« Ne sait pas » (NSP).</summary>
    DontKnow = 1,

    /// <summary>« Non concerné » (NC).</summary>
    NotConcerned = 2,
}

/// <summary>
/// « NSP » and « NC », the way <see cref="AnswerMark"/> is written where answers leave or enter as text (the JSON API,
/// the forms, exports, the audit trail); inside, answers carry the mark.
/// </summary>
public static class AnswerMarks
{
    /// <summary>« NSP », « NC », or null for <see cref="AnswerMark.None"/>.</summary>
    public static string? Code(AnswerMark mark) => mark switch
    {
        AnswerMark.DontKnow => "NSP",
        AnswerMark.NotConcerned => "NC",
        _ => null,
    };

    /// <summary>« Ne sait pas », « Non concerné », or null for <see cref="AnswerMark.None"/>: how the questionnaire shows the mark.</summary>
    public static string? Label(AnswerMark mark) => mark switch
    {
        AnswerMark.DontKnow => "Ne sait pas",
        AnswerMark.NotConcerned => "Non concerné",
        _ => null,
    };

    /// <summary>The mark a status names, in any case and trimmed (None for no status), or null for an unknown status.</summary>
    public static AnswerMark? Parse(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        null or "" => AnswerMark.None,
        "NSP" => AnswerMark.DontKnow,
        "NC" => AnswerMark.NotConcerned,
        _ => null,
    };
}

/// <summary>The operator's reading of the evidence attached to an answer.</summary>
public enum EvidenceReview
{
    /// <summary>Not reviewed.</summary>
    Pending = 0,

    /// <summary>The evidence supports the level.</summary>
    Accepted = 1,

    /// <summary>The operator questions it (see the note).</summary>
    Questioned = 2,
}

/// <summary>
/// Where an operator's doubt about an answer's evidence stands: the collectivité sees it on its questionnaire and may
/// reply, the operator then lifts the doubt (accepts the evidence) or keeps it.
/// </summary>
public enum DoubtState
{
    /// <summary>The evidence was never put in doubt.</summary>
    None = 0,

    /// <summary>In doubt, the collectivité has not replied since (« en attente de réponse »).</summary>
    AwaitingReply = 1,

    /// <summary>In doubt, the collectivité replied or changed its answer since (« réponse reçue »).</summary>
    Replied = 2,

    /// <summary>Put in doubt once, accepted since (« levé »).</summary>
    Lifted = 3,
}

/// <summary>A collectivité's answer to one question, versioned so that concurrent edits are detected.</summary>
public sealed class Answer
{
    public int Id { get; set; }

    public int ParticipantId { get; set; }

    public Participant? Participant { get; set; }

    public required string QuestionId { get; set; }

    /// <summary>The level, 0..L−1, or null.</summary>
    public int? Level { get; set; }

    public AnswerMark Mark { get; set; }

    public string? Comment { get; set; }

    /// <summary>A link to a document supporting the answer.</summary>
    public string? EvidenceUrl { get; set; }

    /// <summary>A short justification of the answer.</summary>
    public string? EvidenceText { get; set; }

    public EvidenceReview EvidenceReview { get; set; }

    public string? EvidenceReviewNote { get; set; }

    /// <summary>When the operator last reviewed the evidence (accepted it, put it in doubt or kept the doubt), or null.</summary>
    public DateTime? EvidenceReviewedAt { get; set; }

    /// <summary>When the operator last put the evidence in doubt (or kept the doubt); kept once the doubt is lifted, null when never doubted.</summary>
    public DateTime? EvidenceQuestionedAt { get; set; }

    /// <summary>The collectivité's reply to the doubt, or null; kept when the operator keeps the doubt, as the reply it had.</summary>
    public string? EvidenceReply { get; set; }

    /// <summary>
    /// When the collectivité replied to the current doubt — a reply's text, or a change of the answer through its link —
    /// or null when it has not since the operator put the evidence in doubt (or kept the doubt).
    /// </summary>
    public DateTime? EvidenceRepliedAt { get; set; }

    /// <summary>Where the operator's doubt about the evidence stands (a doubt raised before its time was kept has none, and stands all the same).</summary>
    public DoubtState Doubt => EvidenceReview == EvidenceReview.Questioned
        ? EvidenceRepliedAt is null ? DoubtState.AwaitingReply : DoubtState.Replied
        : EvidenceQuestionedAt is null ? DoubtState.None : DoubtState.Lifted;

    /// <summary>Increases with every change; a change based on an older version is a conflict.</summary>
    public int Version { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Who made the last change (a contributor's name, or « opérateur … »).</summary>
    public string? UpdatedBy { get; set; }

    /// <summary>The answer in the response-matrix encoding of <see cref="CellCode"/>.</summary>
    public sbyte Cell => Level is { } level ? (sbyte)level
        : Mark switch
        {
            AnswerMark.DontKnow => CellCode.DontKnow,
            AnswerMark.NotConcerned => CellCode.NotConcerned,
            _ => CellCode.Blank,
        };

    /// <summary>Whether the answer says something (a level, NSP or NC).</summary>
    public bool IsGiven => Level is not null || Mark != AnswerMark.None;

    /// <summary>Sets the level and the mark from a cell in the encoding of <see cref="Barometre.Core.Responses.CellCode"/> (the reverse of <see cref="Cell"/>).</summary>
    public void SetCell(sbyte cell)
    {
        Level = cell >= 0 ? cell : null;
        Mark = cell switch
        {
            Core.Responses.CellCode.DontKnow => AnswerMark.DontKnow,
            Core.Responses.CellCode.NotConcerned => AnswerMark.NotConcerned,
            _ => AnswerMark.None,
        };
    }
}
