namespace Barometre.Data.Campaigns;

/// <summary>An operator's doubt about an answer's evidence, as the collectivité's questionnaire shows it.</summary>
/// <param name="QuestionId">The question.</param>
/// <param name="State">Awaiting a reply, replied, or lifted (never <see cref="DoubtState.None"/>).</param>
/// <param name="Note">The operator's note, or null.</param>
/// <param name="QuestionedAt">When the operator last put the evidence in doubt (or kept the doubt); null for a doubt raised before Baromètre kept its time.</param>
/// <param name="Reply">The collectivité's reply, or null; an earlier reply when the operator kept the doubt since.</param>
/// <param name="RepliedAt">When the collectivité replied to the current doubt, or null.</param>
/// <param name="LiftedAt">When the operator lifted the doubt, or null.</param>
public sealed record EvidenceDoubt(
    string QuestionId, DoubtState State, string? Note, DateTime? QuestionedAt, string? Reply, DateTime? RepliedAt, DateTime? LiftedAt)
{
    /// <summary>The doubt about an answer's evidence, or null when it was never put in doubt.</summary>
    public static EvidenceDoubt? Of(Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Doubt == DoubtState.None ? null
            : new(answer.QuestionId, answer.Doubt, answer.EvidenceReviewNote, answer.EvidenceQuestionedAt, answer.EvidenceReply, answer.EvidenceRepliedAt,
                answer.Doubt == DoubtState.Lifted ? answer.EvidenceReviewedAt : null);
    }

    /// <summary>Why a collectivité's reply to a doubt cannot be stored, in French; null when it can.</summary>
    public static string? ReplyProblem(string? reply) =>
        string.IsNullOrWhiteSpace(reply) ? "Écrivez votre réponse à l'organisateur avant de l'envoyer."
        : TextRules.Problem(reply.Trim(), "La réponse", FieldLimits.AnswerText, multiline: true);
}

/// <summary>How many of a collectivité's answers stand in each state of doubt, for the follow-up.</summary>
/// <param name="AwaitingReply">In doubt, no reply since.</param>
/// <param name="Replied">In doubt, replied since.</param>
/// <param name="Lifted">Doubted once, accepted since.</param>
public sealed record DoubtCounts(int AwaitingReply, int Replied, int Lifted)
{
    /// <summary>The counts of these answers.</summary>
    public static DoubtCounts Of(IEnumerable<Answer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        int awaiting = 0, replied = 0, lifted = 0;
        foreach (var answer in answers)
        {
            switch (answer.Doubt)
            {
                case DoubtState.AwaitingReply: awaiting++; break;
                case DoubtState.Replied: replied++; break;
                case DoubtState.Lifted: lifted++; break;
            }
        }
        return new(awaiting, replied, lifted);
    }

    /// <summary>The doubts not lifted yet.</summary>
    public int Open => AwaitingReply + Replied;
}
