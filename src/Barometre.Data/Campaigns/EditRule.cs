namespace Barometre.Data.Campaigns;

/// <summary>Who changes a questionnaire's answers: the rule differs for each.</summary>
public enum Editor
{
    /// <summary>A collectivité, through its invitation link.</summary>
    Respondent,

    /// <summary>An operator (answers given on paper, imports, reopening).</summary>
    Operator,
}

/// <summary>Why a questionnaire's answers cannot change now.</summary>
public enum EditLock
{
    /// <summary>The campaign is closed: its answers are frozen, for everyone.</summary>
    CampaignClosed,

    /// <summary>The collectivité submitted during collection; an operator may reopen it.</summary>
    Submitted,

    /// <summary>The review window after collection has ended; the results are not frozen yet.</summary>
    ReviewOver,
}

/// <summary>
/// Whether a questionnaire's answers may change — the one rule behind the questionnaire's pages and API, the writes
/// (checked again in the save's transaction), the operators' pages and services. A collectivité may change its answers
/// while collection is open and it has not submitted, or within the review window whether it submitted or not; an
/// operator may until the campaign is closed.
/// </summary>
public static class EditRule
{
    /// <summary>What keeps <paramref name="editor"/> from changing the answers now, or null when nothing does.</summary>
    /// <param name="editor">Who would change them.</param>
    /// <param name="status">The campaign's status.</param>
    /// <param name="submittedAt">When the collectivité submitted, or null.</param>
    /// <param name="reviewEndsAt">The end of the campaign's review window, or null.</param>
    /// <param name="now">The time of the change (UTC).</param>
    public static EditLock? LockOf(Editor editor, CampaignStatus status, DateTime? submittedAt, DateTime? reviewEndsAt, DateTime now) => (editor, status) switch
    {
        (_, CampaignStatus.Closed) => EditLock.CampaignClosed,
        (Editor.Operator, _) => null,
        (_, CampaignStatus.Open) when submittedAt is not null => EditLock.Submitted,
        (_, CampaignStatus.Review) when ReviewIsOver(status, reviewEndsAt, now) => EditLock.ReviewOver,
        _ => null,
    };

    /// <summary>What keeps an operator from changing the answers of a campaign in this status, or null: only its closing does.</summary>
    public static EditLock? OperatorLockOf(CampaignStatus status) => LockOf(Editor.Operator, status, null, null, default);

    /// <summary>Whether the campaign is in review and its window has ended: answers no longer change, results not frozen yet.</summary>
    public static bool ReviewIsOver(CampaignStatus status, DateTime? reviewEndsAt, DateTime now) =>
        status == CampaignStatus.Review && !(reviewEndsAt > now);

    /// <summary>
    /// Until when a collectivité may answer and submit through a link (UTC): the link's expiry, or the end of the campaign's
    /// review window when it comes first. Collection has no end date of its own: the operator closes it.
    /// </summary>
    public static DateTime Deadline(CampaignStatus status, DateTime? reviewEndsAt, DateTime linkExpiresAt) =>
        status == CampaignStatus.Review && reviewEndsAt is { } reviewEnd && reviewEnd < linkExpiresAt ? reviewEnd : linkExpiresAt;

    /// <summary>Why the answers are read-only, in French, as the questionnaire and the API say it.</summary>
    public static string Reason(EditLock editLock) => editLock switch
    {
        EditLock.CampaignClosed => "La campagne est close : les réponses sont figées.",
        EditLock.Submitted => "Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin.",
        EditLock.ReviewOver => "La période de relecture est terminée : les réponses sont figées.",
        _ => throw new ArgumentOutOfRangeException(nameof(editLock), editLock, null),
    };
}
