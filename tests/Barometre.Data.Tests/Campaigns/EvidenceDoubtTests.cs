using Barometre.Data.Campaigns;
using Barometre.Data.Tests.Infrastructure;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>
/// An operator's doubt about an answer's evidence reaching the collectivité: awaiting its reply, replied (a text, or a
/// change of the answer through its link), kept, lifted; each step audited, counted for the follow-up, and a reply refused
/// where the questionnaire takes no change.
/// </summary>
public abstract class EvidenceDoubtTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    private const string Question = "gouvernance.strategie";

    [Fact]
    public async Task Doubt_RepliedKeptChangedAndLifted_GoesThroughItsStatesAuditedAndCounted()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(3, null, null, EvidenceText: "Délibération du 12 mai"));
        var answerId = (await AnswersAsync(campaign.A))[Question].Id;
        var doubtedAt = Now;

        await ReviewAsync(answerId, EvidenceReview.Questioned, "Date à confirmer");
        var awaiting = await DoubtAsync(campaign.A);
        var awaitingCounts = await CountsAsync(campaign, campaign.A);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var replied = await ReplyAsync(campaign.A, Question, "  La délibération est jointe\nau dossier.  ");
        var afterReply = await DoubtAsync(campaign.A);
        var repliedCounts = await CountsAsync(campaign, campaign.A);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await ReviewAsync(answerId, EvidenceReview.Questioned, "Pièce illisible");
        var kept = await DoubtAsync(campaign.A);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await SavedAsync(campaign.A, Question, new AnswerInput(3, null, null, "https://exemple.fr/deliberation.pdf", "Délibération du 12 mai"));
        var changed = await DoubtAsync(campaign.A);
        var review = (await AnswersAsync(campaign.A))[Question].EvidenceReview;
        Clock.Advance(TimeSpan.FromMinutes(10));
        await ReviewAsync(answerId, EvidenceReview.Accepted, "Lisible");
        var lifted = await DoubtAsync(campaign.A);

        Assert.Equal(new EvidenceDoubt(Question, DoubtState.AwaitingReply, "Date à confirmer", doubtedAt, null, null, null), awaiting);
        Assert.Equal(new DoubtCounts(1, 0, 0), awaitingCounts);
        // A reply does not change the answer's version: a page open elsewhere keeps saving.
        Assert.Equal(1, Assert.IsType<SaveOutcome.Saved>(replied).Answer.Version);
        Assert.Equal(new EvidenceDoubt(Question, DoubtState.Replied, "Date à confirmer", doubtedAt, "La délibération est jointe\nau dossier.", doubtedAt.AddMinutes(10), null), afterReply);
        Assert.Equal(new DoubtCounts(0, 1, 0), repliedCounts);
        Assert.Equal(new EvidenceDoubt(Question, DoubtState.AwaitingReply, "Pièce illisible", doubtedAt.AddMinutes(20), "La délibération est jointe\nau dossier.", null, null), kept);
        // New evidence of a doubted answer is the collectivité's reply; the doubt stands until the operator lifts it.
        Assert.Equal((DoubtState.Replied, doubtedAt.AddMinutes(30), EvidenceReview.Questioned), (changed!.State, changed.RepliedAt, review));
        Assert.Equal(new EvidenceDoubt(Question, DoubtState.Lifted, "Lisible", doubtedAt.AddMinutes(20), "La délibération est jointe\nau dossier.", doubtedAt.AddMinutes(30), doubtedAt.AddMinutes(40)), lifted);
        Assert.Equal(new DoubtCounts(0, 0, 1), await CountsAsync(campaign, campaign.A));
        Assert.Null(await DoubtAsync(campaign.B));
        var reply = Assert.Single(await AuditAsync(campaign.Id, "evidence.reply"));
        Assert.Equal(("lien " + campaign.A.Code, Question, (string?)null, "La délibération est jointe\nau dossier."), (reply.Actor, reply.Subject, reply.OldValue, reply.NewValue));
        Assert.Equal(
            ["justification mise en doute Date à confirmer", "justification mise en doute Pièce illisible", "justification acceptée Lisible"],
            (await AuditAsync(campaign.Id, "evidence.review")).Select(a => a.NewValue));
        Assert.Equal(2, (await AuditAsync(campaign.Id, "answer")).Count);
    }

    [Fact]
    public async Task Reply_WithoutDoubtEmptyUnstorableOrUnknown_IsRefusedAndChangesNothing()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(3, null, null, EvidenceText: "Délibération du 12 mai"));
        var answerId = (await AnswersAsync(campaign.A))[Question].Id;

        var notDoubted = await ReplyAsync(campaign.A, Question, "Voici la pièce");
        var unanswered = await ReplyAsync(campaign.A, "gouvernance.pilotage", "Voici la pièce");
        await ReviewAsync(answerId, EvidenceReview.Questioned, "Date à confirmer");
        var empty = await ReplyAsync(campaign.A, Question, "  ");
        var control = await ReplyAsync(campaign.A, Question, "Vu\u001B");
        var tooLong = await ReplyAsync(campaign.A, Question, new string('r', 4001));
        var unknown = await ReplyAsync(campaign.A, "services.inconnue", "Voici la pièce");
        var otherCollectivite = await ReplyAsync(campaign.B, Question, "Voici la pièce");

        Assert.IsType<SaveOutcome.NotQuestioned>(notDoubted);
        Assert.IsType<SaveOutcome.NotQuestioned>(unanswered);
        Assert.IsType<SaveOutcome.NotQuestioned>(otherCollectivite);
        Assert.Equal("Écrivez votre réponse à l'organisateur avant de l'envoyer.", Assert.IsType<SaveOutcome.Invalid>(empty).Errors["reply"]);
        Assert.Equal("La réponse contient un caractère de contrôle (U+001B, position 3) : seuls les tabulations et les retours à la ligne sont admis.",
            Assert.IsType<SaveOutcome.Invalid>(control).Errors["reply"]);
        Assert.Equal("La réponse dépasse 4000 caractères (4001).", Assert.IsType<SaveOutcome.Invalid>(tooLong).Errors["reply"]);
        Assert.Equal(new SaveOutcome.UnknownQuestion("services.inconnue"), unknown);
        Assert.Equal(DoubtState.AwaitingReply, (await DoubtAsync(campaign.A))!.State);
        Assert.Empty(await AuditAsync(campaign.Id, "evidence.reply"));
    }

    [Fact]
    public async Task Reply_AfterSubmissionRefused_InTheReviewWindowAccepted_AfterItRefused()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(3, null, null, EvidenceText: "Délibération du 12 mai"));
        var answerId = (await AnswersAsync(campaign.A))[Question].Id;
        await ReviewAsync(answerId, EvidenceReview.Questioned, "Date à confirmer");
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));

        var submitted = await ReplyAsync(campaign.A, Question, "Voici la pièce");
        var reviewEndsAt = Now.AddHours(1);
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, reviewEndsAt, Operator, Ct));
        var inReview = await ReplyAsync(campaign.A, Question, "Voici la pièce");
        await ReviewAsync(answerId, EvidenceReview.Questioned, "Toujours illisible");
        Clock.SetUtcNow(new DateTimeOffset(reviewEndsAt.AddMinutes(1), TimeSpan.Zero));
        var reviewOver = await ReplyAsync(campaign.A, Question, "Nouvelle pièce");

        Assert.Equal(EditLock.Submitted, Assert.IsType<SaveOutcome.Locked>(submitted).Lock);
        Assert.IsType<SaveOutcome.Saved>(inReview);
        Assert.Equal(EditLock.ReviewOver, Assert.IsType<SaveOutcome.Locked>(reviewOver).Lock);
        Assert.Equal(["Voici la pièce"], (await AuditAsync(campaign.Id, "evidence.reply")).Select(a => a.NewValue));
        Assert.Equal((DoubtState.AwaitingReply, "Voici la pièce"), ((await DoubtAsync(campaign.A))!.State, (await DoubtAsync(campaign.A))!.Reply));
    }

    [Fact]
    public async Task OperatorSave_OfADoubtedAnswer_KeepsTheDoubtAwaitingTheCollectivitesReply()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(3, null, null, EvidenceText: "Délibération du 12 mai"));
        var answerId = (await AnswersAsync(campaign.A))[Question].Id;
        await ReviewAsync(answerId, EvidenceReview.Questioned, "Date à confirmer");

        var saved = await WithAsync<OperatorAnswers, SaveOutcome>(answers =>
            answers.SaveAsync(campaign.A.ParticipantId, Question, new AnswerInput(2, null, null, EvidenceText: "Délibération du 12 juin"), Operator, cancellationToken: Ct));

        Assert.IsType<SaveOutcome.Saved>(saved);
        Assert.Equal((DoubtState.AwaitingReply, EvidenceReview.Questioned), ((await DoubtAsync(campaign.A))!.State, (await AnswersAsync(campaign.A))[Question].EvidenceReview));
    }

    private Task<ReviewOutcome> ReviewAsync(int answerId, EvidenceReview review, string note) =>
        WithAsync<OperatorAnswers, ReviewOutcome>(answers => answers.ReviewEvidenceAsync(answerId, review, note, Operator, Ct));

    private async Task<SaveOutcome> ReplyAsync(SeededCollectivite collectivite, string questionId, string reply)
    {
        var access = await OpenAsync(collectivite);
        return await WithAsync<Questionnaire, SaveOutcome>(q => q.ReplyAsync(access.Link, questionId, reply, null, Ct));
    }

    private async Task<EvidenceDoubt?> DoubtAsync(SeededCollectivite collectivite)
    {
        var access = await OpenAsync(collectivite);
        return (await WithAsync<Questionnaire, IReadOnlyDictionary<string, EvidenceDoubt>>(q => q.DoubtsAsync(access, Ct))).GetValueOrDefault(Question);
    }

    private async Task<DoubtCounts> CountsAsync(SeededCampaign campaign, SeededCollectivite collectivite) =>
        (await WithAsync<CampaignQueries, IReadOnlyList<ParticipantProgress>>(q => q.FollowUpAsync(campaign.Id, Ct))).Single(p => p.Participant.Id == collectivite.ParticipantId).Doubts;
}

public sealed class EvidenceDoubtTests_Sqlite(SqliteStore store) : EvidenceDoubtTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class EvidenceDoubtTests_Postgres(PostgresStore store) : EvidenceDoubtTests<PostgresStore>(store), IClassFixture<PostgresStore>;
