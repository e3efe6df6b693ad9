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
