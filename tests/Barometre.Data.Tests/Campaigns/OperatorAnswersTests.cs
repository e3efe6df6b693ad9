using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Data.Tests.Infrastructure;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>
/// What operators do to answers through <see cref="OperatorAnswers"/>: answers given on paper, imports, submissions on
/// the collectivités' behalf, reopening, the lead, evidence reviews; allowed until the campaign is closed.
/// </summary>
public abstract class OperatorAnswersTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    private const string Question = "gouvernance.strategie";

    [Fact]
    public async Task Save_AfterSubmissionAndAfterTheReview_IsStoredInTheOperatorsName()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(1, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));

        var submitted = await OperatorSaveAsync(campaign.A, Question, new AnswerInput(2, null, "Réponse papier"), expectedVersion: 1);
        var reviewEndsAt = Now.AddHours(1);
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, reviewEndsAt, Operator, Ct));
        Clock.SetUtcNow(new DateTimeOffset(reviewEndsAt.AddHours(1), TimeSpan.Zero));
        var reviewOver = await OperatorSaveAsync(campaign.B, Question, new AnswerInput(null, "NSP", null));

        Assert.Equal(new AnswerState(Question, 2, AnswerMark.None, "Réponse papier", null, null, 2, reviewEndsAt.AddHours(-1), "opérateur alice@exemple.fr"),
            Assert.IsType<SaveOutcome.Saved>(submitted).Answer);
        Assert.Equal((AnswerMark.DontKnow, 1, "opérateur alice@exemple.fr"),
            (Assert.IsType<SaveOutcome.Saved>(reviewOver).Answer.Mark, Assert.IsType<SaveOutcome.Saved>(reviewOver).Answer.Version, Assert.IsType<SaveOutcome.Saved>(reviewOver).Answer.UpdatedBy));
        Assert.Equal(["lien " + campaign.A.Code, "opérateur alice@exemple.fr", "opérateur alice@exemple.fr"], (await AuditAsync(campaign.Id, "answer")).Select(a => a.Actor));
        // The collectivité's submission stands.
        Assert.NotNull((await ParticipantAsync(campaign.A)).SubmittedAt);
    }

    [Fact]
    public async Task Save_ClosedCampaignOldVersionOrUnknownQuestion_IsRefusedWithItsOutcome()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(1, null, null));

        var stale = await OperatorSaveAsync(campaign.A, Question, new AnswerInput(3, null, null), expectedVersion: 0);
        var unknown = await OperatorSaveAsync(campaign.A, "services.inconnue", new AnswerInput(3, null, null));
        var invalid = await OperatorSaveAsync(campaign.A, Question, new AnswerInput(-1, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, null, Operator, Ct));
        var closed = await OperatorSaveAsync(campaign.B, Question, new AnswerInput(3, null, null));

        Assert.Equal((1, 1), (Assert.IsType<SaveOutcome.Conflict>(stale).Current.Level, Assert.IsType<SaveOutcome.Conflict>(stale).Current.Version));
        Assert.Equal(new SaveOutcome.UnknownQuestion("services.inconnue"), unknown);
        Assert.Equal("Le niveau doit être compris entre 0 et 4, pas -1.", Assert.IsType<SaveOutcome.Invalid>(invalid).Errors["level"]);
        var locked = Assert.IsType<SaveOutcome.Locked>(closed);
        Assert.Equal((EditLock.CampaignClosed, "La campagne est close : les réponses sont figées."), (locked.Lock, locked.Reason));
        Assert.Equal(1, (await AnswersAsync(campaign.A))[Question].Level);
        Assert.Empty(await AnswersAsync(campaign.B));
    }

    [Fact]
    public async Task Import_WritesOnlyTheChangedCells_KeepsCommentsAndAuditsEachAnswer()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(1, null, "Vote en juin"));
        await SavedAsync(campaign.A, "gouvernance.pilotage", new AnswerInput(2, null, null));
        var responses = Responses(campaign, (campaign.A, [3, 2, CellCode.Blank, CellCode.NotConcerned, CellCode.Blank]), (campaign.B, [0, CellCode.DontKnow, CellCode.Blank, CellCode.Blank, CellCode.Blank]));
        Clock.Advance(TimeSpan.FromMinutes(1));

        var (problems, changed) = await ImportAsync(campaign, responses);

        Assert.Empty(problems);
        Assert.Equal(4, changed);
        var a = await AnswersAsync(campaign.A);
        Assert.Equal((3, "Vote en juin", 2, Now, "opérateur alice@exemple.fr"), (a[Question].Level, a[Question].Comment, a[Question].Version, a[Question].UpdatedAt, a[Question].UpdatedBy));
        Assert.Equal((2, 1, Now.AddMinutes(-1)), (a["gouvernance.pilotage"].Level!.Value, a["gouvernance.pilotage"].Version, a["gouvernance.pilotage"].UpdatedAt));
        Assert.Equal((AnswerMark.NotConcerned, 1), (a["services.demarches"].Mark, a["services.demarches"].Version));
        Assert.False(a.ContainsKey("gouvernance.evaluation"));
        var b = await AnswersAsync(campaign.B);
        Assert.Equal([("gouvernance.pilotage", (int?)null, AnswerMark.DontKnow), (Question, 0, AnswerMark.None)],
            b.Values.OrderBy(x => x.QuestionId, StringComparer.Ordinal).Select(x => (x.QuestionId, x.Level, x.Mark)));
        var audit = await AuditAsync(campaign.Id, "answer.import");
        Assert.Equal(4, audit.Count);
        Assert.Contains(audit, e => (e.ParticipantId, e.Subject, e.OldValue, e.NewValue)
            == (campaign.A.ParticipantId, Question, "niveau 1 ; commentaire « Vote en juin »", "niveau 3 ; commentaire « Vote en juin »"));
        Assert.Contains(audit, e => (e.ParticipantId, e.Subject, e.OldValue, e.NewValue) == (campaign.B.ParticipantId, "gouvernance.pilotage", "—", "NSP"));
    }

    [Fact]
    public async Task Import_IntoAClosedCampaign_IsRefusedWithTheReason()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, null, Operator, Ct));

        var (problems, changed) = await ImportAsync(campaign, Responses(campaign, (campaign.B, [1, 1, 1, 1, 1])));

        Assert.Equal(0, changed);
        Assert.Equal(new InputProblem("reponses.csv", null, null, "la campagne est close : ses réponses sont figées"), Assert.Single(problems));
        Assert.Empty(await AnswersAsync(campaign.B));
    }

    [Fact]
    public async Task SubmitOnBehalf_SubmitsTheOpenQuestionnairesOfTheseCodesOnlyAndAuditsEach()
    {
        var campaign = await SeedCampaignAsync();
        var marie = await IdentifyAsync(campaign.A, "Marie Dupont");
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A, marie));
        var submittedAt = Now;
        Clock.Advance(TimeSpan.FromHours(1));

        var submitted = await WithAsync<OperatorAnswers, int>(answers =>
            answers.SubmitOnBehalfAsync(campaign.Id, [campaign.A.Code, campaign.B.Code, "999999999"], Operator, Ct));

        Assert.Equal(1, submitted);
        var a = await ParticipantAsync(campaign.A);
        var b = await ParticipantAsync(campaign.B);
        Assert.Equal((submittedAt, "Marie Dupont"), (a.SubmittedAt!.Value, a.SubmittedBy));
        Assert.Equal((Now, "opérateur alice@exemple.fr"), (b.SubmittedAt!.Value, b.SubmittedBy));
        Assert.Null((await ParticipantAsync(campaign.C)).SubmittedAt);
        var audit = (await AuditAsync(campaign.Id, "questionnaire.submit"))[^1];
        Assert.Equal((campaign.B.ParticipantId, campaign.B.Code, "non transmis", "transmis par l'opérateur"), (audit.ParticipantId, audit.Subject, audit.OldValue, audit.NewValue));
    }

    [Fact]
    public async Task Reopen_ASubmittedQuestionnaire_LetsTheCollectiviteChangeItAndSubmitAgain()
    {
        var campaign = await SeedCampaignAsync();
        var marie = await IdentifyAsync(campaign.A, "Marie Dupont");
        await SavedAsync(campaign.A, Question, new AnswerInput(1, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A, marie));

        var outcomes = new[] { await ReopenAsync(campaign.A), await ReopenAsync(campaign.A) };

        Assert.Equal([ReopenOutcome.Reopened, ReopenOutcome.NotSubmitted], outcomes);
        var participant = await ParticipantAsync(campaign.A);
        Assert.Equal(((DateTime?)null, (string?)null), (participant.SubmittedAt, participant.SubmittedBy));
        var audit = Assert.Single(await AuditAsync(campaign.Id, "questionnaire.reopen"));
        Assert.Equal(("opérateur alice@exemple.fr", "transmis par Marie Dupont", "rouvert"), (audit.Actor, audit.OldValue, audit.NewValue));
        Assert.Equal(2, (await SavedAsync(campaign.A, Question, new AnswerInput(2, null, null))).Version);
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A, marie));
    }

    [Fact]
    public async Task Reopen_OnceTheCampaignIsClosed_IsRefusedAndTheSubmissionStands()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, null, Operator, Ct));

        Assert.Equal(ReopenOutcome.CampaignClosed, await ReopenAsync(campaign.A));

        Assert.Equal("lien d'invitation", (await ParticipantAsync(campaign.A)).SubmittedBy);
        Assert.Empty(await AuditAsync(campaign.Id, "questionnaire.reopen"));
    }

    [Fact]
    public async Task SetLead_MakesAnotherContributorTheOneWhoSubmits()
    {
        var campaign = await SeedCampaignAsync();
        var marie = await IdentifyAsync(campaign.A, "Marie Dupont");
        var paul = await IdentifyAsync(campaign.A, "Paul Martin");
        var paulId = (await WithAsync<Questionnaire, IReadOnlyList<Contributor>>(async q => await q.ContributorsAsync(await q.OpenAsync(campaign.A.Token, Ct) ?? throw new InvalidOperationException(), Ct)))
            .Single(c => c.Name == "Paul Martin").Id;

        await WithAsync<OperatorAnswers, bool>(async answers =>
        {
            await answers.SetLeadAsync(campaign.A.ParticipantId, paulId, Operator, Ct);
            return true;
        });

        Assert.Equal(paulId, (await ParticipantAsync(campaign.A)).LeadContributorId);
        var audit = Assert.Single(await AuditAsync(campaign.Id, "contributor.lead"));
        Assert.Equal(("opérateur alice@exemple.fr", "Marie Dupont", "Paul Martin"), (audit.Actor, audit.OldValue, audit.NewValue));
        Assert.Equal(SubmitOutcome.NotLead, await SubmitAsync(campaign.A, marie));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A, paul));
    }

    [Fact]
    public async Task ReviewEvidence_StoresTheTrimmedNote_RefusesANoteItCannotStore()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(3, null, null, EvidenceText: "Délibération du 12 mai"));
        var answerId = (await AnswersAsync(campaign.A))[Question].Id;

        var refused = await ReviewAsync(answerId, EvidenceReview.Questioned, "ligne 1\nligne 2");
        var questioned = await ReviewAsync(answerId, EvidenceReview.Questioned, "  Date à confirmer  ");
        var questionedNote = (await AnswersAsync(campaign.A))[Question].EvidenceReviewNote;
        var accepted = await ReviewAsync(answerId, EvidenceReview.Accepted, "   ");

        Assert.Equal(new ReviewOutcome.Refused("La note contient un caractère de contrôle (U+000A, position 8) : il tient sur une ligne, sans caractère de contrôle."), refused);
        Assert.Equal(new ReviewOutcome.Reviewed(EvidenceReview.Questioned), questioned);
        Assert.Equal("Date à confirmer", questionedNote);
        Assert.Equal(new ReviewOutcome.Reviewed(EvidenceReview.Accepted), accepted);
        var stored = (await AnswersAsync(campaign.A))[Question];
        Assert.Equal((EvidenceReview.Accepted, (string?)null, 1), (stored.EvidenceReview, stored.EvidenceReviewNote, stored.Version));
        var audit = await AuditAsync(campaign.Id, "evidence.review");
        Assert.Equal(2, audit.Count);
        Assert.Equal(("justification à examiner", "justification mise en doute Date à confirmer", "justification acceptée"), (audit[0].OldValue, audit[1].OldValue, audit[1].NewValue));
    }

    private Task<SaveOutcome> OperatorSaveAsync(SeededCollectivite collectivite, string questionId, AnswerInput input, int? expectedVersion = null) =>
        WithAsync<OperatorAnswers, SaveOutcome>(answers => answers.SaveAsync(collectivite.ParticipantId, questionId, input, Operator, expectedVersion, Ct));

    private Task<(IReadOnlyList<InputProblem> Problems, int Changed)> ImportAsync(SeededCampaign campaign, ResponseSet responses) =>
        WithAsync<OperatorAnswers, (IReadOnlyList<InputProblem>, int)>(answers => answers.ImportAsync(campaign.Id, responses, "reponses.csv", Operator, Ct));

    private Task<ReopenOutcome> ReopenAsync(SeededCollectivite collectivite) =>
        WithAsync<OperatorAnswers, ReopenOutcome>(answers => answers.ReopenAsync(collectivite.ParticipantId, Operator, Ct));

    private Task<ReviewOutcome> ReviewAsync(int answerId, EvidenceReview review, string note) =>
        WithAsync<OperatorAnswers, ReviewOutcome>(answers => answers.ReviewEvidenceAsync(answerId, review, note, Operator, Ct));

    /// <summary>The wide CSV's content for these collectivités: one row of cells each, in the model's question order.</summary>
    private static ResponseSet Responses(SeededCampaign campaign, params (SeededCollectivite Collectivite, sbyte[] Cells)[] rows) =>
        new(campaign.Model, rows.Select(row => new Respondent(row.Collectivite.Code, row.Collectivite.Name)), rows.SelectMany(row => row.Cells).ToArray());
}

public sealed class OperatorAnswersTests_Sqlite(SqliteStore store) : OperatorAnswersTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class OperatorAnswersTests_Postgres(PostgresStore store) : OperatorAnswersTests<PostgresStore>(store), IClassFixture<PostgresStore>;
