using Barometre.Data.Campaigns;

namespace Barometre.Data.Tests.Campaigns;

public sealed class EditRuleTest
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    public static TheoryData<Editor, CampaignStatus, bool, int, EditLock?> Cases => new()
    {
        // Collection open: a collectivité until it submits, an operator always.
        { Editor.Respondent, CampaignStatus.Open, false, 0, null },
        { Editor.Respondent, CampaignStatus.Open, true, 0, EditLock.Submitted },
        { Editor.Operator, CampaignStatus.Open, true, 0, null },
        // Review: anyone until its end, submitted or not; then the collectivités no longer, operators still.
        { Editor.Respondent, CampaignStatus.Review, true, 1, null },
        { Editor.Respondent, CampaignStatus.Review, false, 0, EditLock.ReviewOver },
        { Editor.Respondent, CampaignStatus.Review, true, -1, EditLock.ReviewOver },
        { Editor.Operator, CampaignStatus.Review, true, -1, null },
        // Closed: nobody.
        { Editor.Respondent, CampaignStatus.Closed, false, 1, EditLock.CampaignClosed },
        { Editor.Operator, CampaignStatus.Closed, false, 1, EditLock.CampaignClosed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LockOf_FollowsTheCampaignAndTheSubmission(Editor editor, CampaignStatus status, bool submitted, int reviewEndsInSeconds, EditLock? expected)
    {
        DateTime? submittedAt = submitted ? Now.AddDays(-1) : null;
        DateTime? reviewEndsAt = status == CampaignStatus.Open ? null : Now.AddSeconds(reviewEndsInSeconds);

        Assert.Equal(expected, EditRule.LockOf(editor, status, submittedAt, reviewEndsAt, Now));
    }

    [Theory]
    [InlineData(CampaignStatus.Open, null)]
    [InlineData(CampaignStatus.Review, null)]
    [InlineData(CampaignStatus.Closed, EditLock.CampaignClosed)]
    public void OperatorLockOf_OnlyClosingLocks(CampaignStatus status, EditLock? expected) =>
        Assert.Equal(expected, EditRule.OperatorLockOf(status));

    [Fact]
    public void ReviewIsOver_OnlyInReviewFromItsEnd()
    {
        Assert.False(EditRule.ReviewIsOver(CampaignStatus.Review, Now.AddTicks(1), Now));
        Assert.True(EditRule.ReviewIsOver(CampaignStatus.Review, Now, Now));
        Assert.False(EditRule.ReviewIsOver(CampaignStatus.Open, Now.AddDays(-1), Now));
        Assert.False(EditRule.ReviewIsOver(CampaignStatus.Closed, Now.AddDays(-1), Now));
    }

    [Theory]
    [InlineData(EditLock.CampaignClosed, "La campagne est close : les réponses sont figées.")]
    [InlineData(EditLock.Submitted, "Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin.")]
    [InlineData(EditLock.ReviewOver, "La période de relecture est terminée : les réponses sont figées.")]
    public void Reason_IsTheSentenceThePagesAndTheApiShow(EditLock editLock, string expected) =>
        Assert.Equal(expected, EditRule.Reason(editLock));
}
