using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>
/// The respondent's side, <see cref="Questionnaire"/> and the writes behind it: what a link opens, saving (versions,
/// conflicts, the edit rule checked at the save), contributors and the lead, submitting.
/// </summary>
public abstract class QuestionnaireTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    private const string Question = "gouvernance.strategie";

    [Fact]
    public async Task Open_ValidLink_GivesTheCollectivitesQuestionnaireAndWhatItMayDoNow()
    {
        var campaign = await SeedCampaignAsync();

        var access = await OpenAsync(campaign.B);

        Assert.Equal((campaign.B.ParticipantId, campaign.B.Code, campaign.B.Name, campaign.Id, campaign.Name, CampaignStatus.Open, "modele-essai", Now),
            (access.ParticipantId, access.Code, access.Name, access.CampaignId, access.CampaignName, access.CampaignStatus, access.Model.Id, access.Now));
        Assert.Equal(((EditLock?)null, true, true, (string?)null), (access.Lock, access.CanEdit, access.CanSubmit, access.ReadOnlyReason));
        Assert.Equal(new AnswerLink(access.InvitationId, campaign.B.ParticipantId, campaign.B.Code, campaign.Id, access.Model), access.Link);
    }

    [Fact]
    public async Task Open_GivesTheLinksExpiryTheCampaignsContactAndTheDeadline()
    {
        var campaign = await SeedCampaignAsync();
        var created = Now;
        var withoutContact = await OpenAsync(campaign.A);
        await WithAsync<BarometreDbContext, int>(db => db.Campaigns.Where(c => c.Id == campaign.Id)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.ContactName, "Mission numérique").SetProperty(x => x.ContactEmail, "numerique@exemple.fr"), Ct));

        var open = await OpenAsync(campaign.A);
        // A review window ending before the link expires is the deadline; one ending after it is not.
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, created.AddDays(10), Operator, Ct));
        var inReview = await OpenAsync(campaign.A);

        Assert.Equal((created.AddDays(120), created.AddDays(120), (CampaignContact?)null), (withoutContact.LinkExpiresAt, withoutContact.Deadline, withoutContact.Contact));
        Assert.Equal((new CampaignContact("Mission numérique", "numerique@exemple.fr"), created.AddDays(120)), (open.Contact, open.Deadline));
        Assert.Equal((created.AddDays(120), created.AddDays(10)), (inReview.LinkExpiresAt, inReview.Deadline));
        Assert.Equal(created.AddDays(120), (inReview with { ReviewEndsAt = created.AddDays(200) }).Deadline);
    }

    [Fact]
    public async Task Submit_ConfirmingTheUnansweredCount_SubmitsOnlyWhileItIsThatCount()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(2, null, null));
        await SavedAsync(campaign.A, "gouvernance.pilotage", new AnswerInput(null, "NC", null));
        await SavedAsync(campaign.A, "gouvernance.evaluation", new AnswerInput(null, null, "Un commentaire n'est pas une réponse"));

        // Five questions, two answered: three unanswered.
        var refused = new[] { await SubmitAsync(campaign.A, confirmedUnanswered: 0), await SubmitAsync(campaign.A, confirmedUnanswered: 2), await SubmitAsync(campaign.A, confirmedUnanswered: 4) };
        var afterRefusals = await ParticipantAsync(campaign.A);
        var confirmed = await SubmitAsync(campaign.A, confirmedUnanswered: 3);

        Assert.Equal([SubmitOutcome.Unconfirmed, SubmitOutcome.Unconfirmed, SubmitOutcome.Unconfirmed], refused);
        Assert.Null(afterRefusals.SubmittedAt);
        Assert.Equal(SubmitOutcome.Submitted, confirmed);
        Assert.Single(await AuditAsync(campaign.Id, "questionnaire.submit"));
        var access = await OpenAsync(campaign.A);
        Assert.Equal(3, Questionnaire.UnansweredCount(access.Model, await WithAsync<Questionnaire, IReadOnlyDictionary<string, AnswerState>>(q => q.AnswersAsync(access, Ct))));
    }

    [Fact]
    public async Task Open_AfterSubmission_IsReadOnlyWithTheReason()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));

        var access = await OpenAsync(campaign.A);

        Assert.Equal((EditLock.Submitted, false, false, "lien d'invitation", Now),
            (access.Lock, access.CanEdit, access.CanSubmit, access.SubmittedBy, access.SubmittedAt));
        Assert.Equal("Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin.", access.ReadOnlyReason);
    }

    [Fact]
    public async Task Link_RevokedAfterItWasResolved_IsStillKnownButItsSaveIsRefusedAndWritesNothing()
    {
        var campaign = await SeedCampaignAsync();
        await OpenAsync(campaign.A);
        await WithAsync<CampaignInvitations, int>(invitations => invitations.RevokeAsync(campaign.A.ParticipantId, Operator, Ct));

        var link = await WithAsync<Questionnaire, AnswerLink?>(q => q.LinkAsync(campaign.A.Token, Ct));
        Assert.NotNull(link);
        var outcome = await WithAsync<Questionnaire, SaveOutcome>(q => q.SaveAsync(link, Question, new AnswerInput(2, null, null), null, null, Ct));

        Assert.IsType<SaveOutcome.UnknownLink>(outcome);
        Assert.Empty(await AnswersAsync(campaign.A));
        Assert.Null(await WithAsync<Questionnaire, AnswerLink?>(q => q.LinkAsync(InvitationTokens.Create().Token, Ct)));
    }

    [Fact]
    public async Task Save_NewAnswer_IsVersion1WithTrimmedTextsByTheContributorAndAudited()
    {
        var campaign = await SeedCampaignAsync();
        var marie = await IdentifyAsync(campaign.A, "Marie Dupont");

        var saved = await SavedAsync(campaign.A, Question, new AnswerInput(2, null, "  Adoptée en 2025.  ", " https://exemple.fr/strategie.pdf ", "   "), marie);

        var expectedBy = $"lien {campaign.A.Code} (Marie Dupont)";
        Assert.Equal(new AnswerState(Question, 2, AnswerMark.None, "Adoptée en 2025.", "https://exemple.fr/strategie.pdf", null, 1, Now, expectedBy), saved);
        var stored = (await AnswersAsync(campaign.A))[Question];
        Assert.Equal((2, AnswerMark.None, "Adoptée en 2025.", "https://exemple.fr/strategie.pdf", (string?)null, 1, expectedBy, EvidenceReview.Pending),
            (stored.Level, stored.Mark, stored.Comment, stored.EvidenceUrl, stored.EvidenceText, stored.Version, stored.UpdatedBy, stored.EvidenceReview));
        var audit = Assert.Single(await AuditAsync(campaign.Id, "answer"));
        Assert.Equal((expectedBy, Question, "—", "niveau 2 ; commentaire « Adoptée en 2025. » ; justification « https://exemple.fr/strategie.pdf »"),
            (audit.Actor, audit.Subject, audit.OldValue, audit.NewValue));
    }

    [Fact]
    public async Task Save_BasedOnAnOlderVersion_IsAConflictWithTheStoredAnswer_WithoutAVersionItApplies()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(1, null, null));
        var second = await SavedAsync(campaign.A, Question, new AnswerInput(null, "NSP", "à vérifier"));

        var conflict = await SaveAsync(campaign.A, Question, new AnswerInput(4, null, null), expectedVersion: 1);
        var fresh = await SaveAsync(campaign.A, "services.demarches", new AnswerInput(3, null, null), expectedVersion: 1);
        var blind = await SaveAsync(campaign.A, Question, new AnswerInput(4, null, null));

        Assert.Equal(second, Assert.IsType<SaveOutcome.Conflict>(conflict).Current);
        Assert.Equal(new AnswerState("services.demarches", null, AnswerMark.None, null, null, null, 0, null, null), Assert.IsType<SaveOutcome.Conflict>(fresh).Current);
        Assert.Equal((4, AnswerMark.None, 3), (Assert.IsType<SaveOutcome.Saved>(blind).Answer.Level, Assert.IsType<SaveOutcome.Saved>(blind).Answer.Mark, Assert.IsType<SaveOutcome.Saved>(blind).Answer.Version));
        Assert.Equal(["—", "niveau 1", "NSP ; commentaire « à vérifier »"], (await AuditAsync(campaign.Id, "answer")).Select(a => a.OldValue));
    }

    [Fact]
    public async Task Save_SameContentAgain_KeepsTheVersionAndAddsNoAuditEntry()
    {
        var campaign = await SeedCampaignAsync();
        var first = await SavedAsync(campaign.A, Question, new AnswerInput(null, "nc", "Compétence de l'EPCI"));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await SaveAsync(campaign.A, Question, new AnswerInput(null, " NC ", " Compétence de l'EPCI "), expectedVersion: 1);

        Assert.Equal(first, Assert.IsType<SaveOutcome.Saved>(again).Answer);
        Assert.Equal((AnswerMark.NotConcerned, 1, Now.AddMinutes(-5)), ((await AnswersAsync(campaign.A))[Question].Mark, first.Version, first.UpdatedAt!.Value));
        Assert.Single(await AuditAsync(campaign.Id, "answer"));
    }

    [Fact]
    public async Task Save_ChangedEvidence_PutsItsReviewBackToPending_AChangedLevelKeepsIt()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(3, null, null, "https://exemple.fr/a.pdf"));
        var answerId = (await AnswersAsync(campaign.A))[Question].Id;
        await WithAsync<OperatorAnswers, ReviewOutcome>(answers => answers.ReviewEvidenceAsync(answerId, EvidenceReview.Accepted, "Délibération jointe", Operator, Ct));

        await SavedAsync(campaign.A, Question, new AnswerInput(4, null, "Plus complet", "https://exemple.fr/a.pdf"));
        var afterLevel = (await AnswersAsync(campaign.A))[Question];
        await SavedAsync(campaign.A, Question, new AnswerInput(4, null, "Plus complet", "https://exemple.fr/b.pdf"));
        var afterEvidence = (await AnswersAsync(campaign.A))[Question];

        Assert.Equal((EvidenceReview.Accepted, "Délibération jointe"), (afterLevel.EvidenceReview, afterLevel.EvidenceReviewNote));
        Assert.Equal((EvidenceReview.Pending, 3), (afterEvidence.EvidenceReview, afterEvidence.Version));
    }

    [Fact]
    public async Task Save_InvalidInputOrUnknownQuestion_SaysWhatIsWrongAndWritesNothing()
    {
        var campaign = await SeedCampaignAsync();

        var invalid = await SaveAsync(campaign.A, Question, new AnswerInput(5, "peut-être", null, "ftp://exemple.fr/x"));
        var both = await SaveAsync(campaign.A, Question, new AnswerInput(2, "NSP", null));
        var unknown = await SaveAsync(campaign.A, "gouvernance.inconnue", new AnswerInput(2, null, null));

        Assert.Equal(new Dictionary<string, string>
        {
            ["level"] = "Le niveau doit être compris entre 0 et 4, pas 5.",
            ["status"] = "Statut « peut-être » inconnu : « NSP » (ne sait pas), « NC » (non concerné) ou rien.",
            ["evidenceUrl"] = "Le lien de justification doit être une adresse web complète (https://…).",
        }, Assert.IsType<SaveOutcome.Invalid>(invalid).Errors);
        Assert.Equal("Une réponse est soit un niveau, soit « NSP » ou « NC », pas les deux.", Assert.IsType<SaveOutcome.Invalid>(both).Errors["status"]);
        Assert.Equal(new SaveOutcome.UnknownQuestion("gouvernance.inconnue"), unknown);
        Assert.Empty(await AnswersAsync(campaign.A));
        Assert.Empty(await AuditAsync(campaign.Id, "answer"));
    }

    [Fact]
    public async Task Save_AfterSubmission_IsLockedWithTheReason_OtherCollectivitesStillSave()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, Question, new AnswerInput(1, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));

        var locked = Assert.IsType<SaveOutcome.Locked>(await SaveAsync(campaign.A, Question, new AnswerInput(2, null, null)));

        Assert.Equal((EditLock.Submitted, "Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin."), (locked.Lock, locked.Reason));
        Assert.Equal(1, (await AnswersAsync(campaign.A))[Question].Level);
        Assert.IsType<SaveOutcome.Saved>(await SaveAsync(campaign.B, Question, new AnswerInput(2, null, null)));
    }

    [Fact]
    public async Task Save_ThroughALinkResolvedBeforeTheCampaignChanged_FollowsTheCampaignAtTheSave()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        var submittedDuringCollection = (await OpenAsync(campaign.A)).Link;
        var reviewEndsAt = Now.AddDays(2);
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, reviewEndsAt, Operator, Ct));

        // In review, the submitted questionnaire may be corrected through the link resolved before the closing.
        var inReview = await WithAsync<Questionnaire, SaveOutcome>(q => q.SaveAsync(submittedDuringCollection, Question, new AnswerInput(3, null, null), null, null, Ct));
        Clock.SetUtcNow(new DateTimeOffset(reviewEndsAt, TimeSpan.Zero));
        var reviewOver = await WithAsync<Questionnaire, SaveOutcome>(q => q.SaveAsync(submittedDuringCollection, Question, new AnswerInput(4, null, null), null, null, Ct));
        await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.FreezeAsync(campaign.Id, Operator, Ct));
        var closed = await WithAsync<Questionnaire, SaveOutcome>(q => q.SaveAsync(submittedDuringCollection, Question, new AnswerInput(4, null, null), null, null, Ct));

        Assert.Equal(3, Assert.IsType<SaveOutcome.Saved>(inReview).Answer.Level);
        Assert.Equal(EditLock.ReviewOver, Assert.IsType<SaveOutcome.Locked>(reviewOver).Lock);
        Assert.Equal(EditLock.CampaignClosed, Assert.IsType<SaveOutcome.Locked>(closed).Lock);
        Assert.Equal(3, (await AnswersAsync(campaign.A))[Question].Level);
    }

    [Fact]
    public async Task Identify_TheFirstIsTheLead_ANameTakenInAnyCaseIsRefused_ACredentialProvesNobodyElsewhere()
    {
        var campaign = await SeedCampaignAsync();
        var marie = await IdentifyAsync(campaign.A, "  Marie Dupont ");
        var paul = await IdentifyAsync(campaign.A, "Paul Martin");
        var access = await OpenAsync(campaign.A);

        var taken = await WithAsync<Questionnaire, IdentifyOutcome>(q => q.IdentifyAsync(access, "MARIE dupont", null, Ct));
        var blank = await WithAsync<Questionnaire, IdentifyOutcome>(q => q.IdentifyAsync(access, " ", null, Ct));

        var contributors = await WithAsync<Questionnaire, IReadOnlyList<Contributor>>(q => q.ContributorsAsync(access, Ct));
        Assert.Equal(["Marie Dupont", "Paul Martin"], contributors.Select(c => c.Name));
        Assert.Equal(contributors[0].Id, access.LeadContributorId);
        Assert.StartsWith("« Marie Dupont » répond déjà pour la collectivité", Assert.IsType<IdentifyOutcome.Refused>(taken).Reason, StringComparison.Ordinal);
        Assert.Equal(new IdentifyOutcome.Refused("Indiquez votre nom : il accompagne chacune de vos réponses."), blank);
        var other = (await OpenAsync(campaign.B)).Link;
        var proven = await WithAsync<Questionnaire, (int?, int?, string?, int?, int?)>(async q => (
            q.ContributorIdOf(access.Link, marie), q.ContributorIdOf(access.Link, paul), await q.ContributorNameAsync(access.Link, paul, Ct),
            q.ContributorIdOf(other, marie), q.ContributorIdOf(access.Link, marie[..^2] + "xx")));
        Assert.Equal((contributors[0].Id, contributors[1].Id, "Paul Martin", (int?)null, (int?)null), proven);
    }

    [Fact]
    public async Task Submit_OnlyTheLeadSubmitsAndOnlyOnce()
    {
        var campaign = await SeedCampaignAsync();
        var marie = await IdentifyAsync(campaign.A, "Marie Dupont");
        var paul = await IdentifyAsync(campaign.A, "Paul Martin");
        var foreign = await IdentifyAsync(campaign.B, "Marie Dupont");

        var outcomes = new[]
        {
            await SubmitAsync(campaign.A, paul), await SubmitAsync(campaign.A), await SubmitAsync(campaign.A, foreign),
            await SubmitAsync(campaign.A, marie), await SubmitAsync(campaign.A, marie),
        };

        Assert.Equal([SubmitOutcome.NotLead, SubmitOutcome.NotLead, SubmitOutcome.NotLead, SubmitOutcome.Submitted, SubmitOutcome.AlreadySubmitted], outcomes);
        var participant = await ParticipantAsync(campaign.A);
        Assert.Equal((Now, "Marie Dupont"), (participant.SubmittedAt!.Value, participant.SubmittedBy));
        var audit = Assert.Single(await AuditAsync(campaign.Id, "questionnaire.submit"));
        Assert.Equal(($"lien {campaign.A.Code} (Marie Dupont)", "non transmis", "transmis"), (audit.Actor, audit.OldValue, audit.NewValue));
    }

    [Fact]
    public async Task HandOverLead_OnlyTheLeadHandsItOver_ThenTheSuccessorSubmits()
    {
        var campaign = await SeedCampaignAsync();
        var marie = await IdentifyAsync(campaign.A, "Marie Dupont");
        var paul = await IdentifyAsync(campaign.A, "Paul Martin");
        var access = await OpenAsync(campaign.A);
        var paulId = (await WithAsync<Questionnaire, IReadOnlyList<Contributor>>(q => q.ContributorsAsync(access, Ct))).Single(c => c.Name == "Paul Martin").Id;

        var byPaul = await WithAsync<Questionnaire, bool>(q => q.HandOverLeadAsync(access, paul, paulId, Ct));
        var byMarie = await WithAsync<Questionnaire, bool>(q => q.HandOverLeadAsync(access, marie, paulId, Ct));

        Assert.Equal((false, true), (byPaul, byMarie));
        Assert.Equal(paulId, (await ParticipantAsync(campaign.A)).LeadContributorId);
        var audit = Assert.Single(await AuditAsync(campaign.Id, "contributor.lead"));
        Assert.Equal(("Marie Dupont", "Paul Martin"), (audit.OldValue, audit.NewValue));
        Assert.Equal([SubmitOutcome.NotLead, SubmitOutcome.Submitted], [await SubmitAsync(campaign.A, marie), await SubmitAsync(campaign.A, paul)]);
    }

    [Fact]
    public async Task Submit_WithWhatTheLinkOpenedBeforeTheCampaignClosed_IsLockedAndRecordsNothing()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.B));
        // The collectivité opened its questionnaire (the submission's request does) just before the results were frozen.
        var openedBefore = await OpenAsync(campaign.A);
        Assert.IsType<CloseOutcome.Frozen>(await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, null, Operator, Ct)));

        var outcome = await WithAsync<Questionnaire, SubmitOutcome>(q => q.SubmitAsync(openedBefore, null, cancellationToken: Ct));

        Assert.Equal(SubmitOutcome.Locked, outcome);
        Assert.Null((await ParticipantAsync(campaign.A)).SubmittedAt);
        Assert.Single(await AuditAsync(campaign.Id, "questionnaire.submit"));
    }

    [Fact]
    public async Task Submit_WhileTheCampaignIsBeingClosed_WaitsForTheClosingAndIsLocked()
    {
        var campaign = await SeedCampaignAsync();
        var access = await OpenAsync(campaign.A);
        // A freeze has changed the campaign's status first, in a transaction not yet committed (CampaignLifecycle.FreezeAsync).
        await using var closing = Store.CreateContext();
        await using var transaction = await closing.Database.BeginTransactionAsync(Ct);
        await closing.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, CampaignStatus.Closed), Ct);

        // On a thread of its own: on SQLite it waits for the write lock synchronously.
        var submission = Task.Run(() => WithAsync<Questionnaire, SubmitOutcome>(q => q.SubmitAsync(access, null, cancellationToken: Ct)), Ct);
        // Time for the submission to reach the database: reading the campaign without waiting for the closing, it would find it open.
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        await transaction.CommitAsync(Ct);

        Assert.Equal(SubmitOutcome.Locked, await submission);
        Assert.Null((await ParticipantAsync(campaign.A)).SubmittedAt);
    }
}

public sealed class QuestionnaireTests_Sqlite(SqliteStore store) : QuestionnaireTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class QuestionnaireTests_Postgres(PostgresStore store) : QuestionnaireTests<PostgresStore>(store), IClassFixture<PostgresStore>;
