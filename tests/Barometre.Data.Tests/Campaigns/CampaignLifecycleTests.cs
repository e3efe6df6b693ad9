using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>A campaign's life through <see cref="CampaignLifecycle"/>: created, its panel completed, closed, frozen, published.</summary>
public abstract class CampaignLifecycleTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    [Fact]
    public async Task Create_StoresTheModelTextAndThePanelInOrderAndAuditsIt()
    {
        var panel = Seeding.Panel(2);

        var created = await WithAsync<CampaignLifecycle, Campaign>(lifecycle =>
            lifecycle.CreateAsync("  Baromètre 2026  ", Seeding.ModelText, CampaignModels.Parse(Seeding.ModelText), panel, Operator, cancellationToken: Ct));

        var stored = await WithDbAsync(db => db.Campaigns.AsNoTracking().Include(c => c.Participants).SingleAsync(c => c.Id == created.Id, Ct));
        Assert.Equal(("Baromètre 2026", "modele-essai", Seeding.ModelText, CampaignStatus.Open, Now, 5, 120, 0),
            (stored.Name, stored.ModelId, stored.ModelSource, stored.Status, stored.CreatedAt, stored.SecrecyThreshold, stored.InvitationDays, stored.PublicationVersion));
        Assert.Equal(
            panel.Select(e => (e.Respondent.Code, e.Respondent.Name, e.Respondent.Type, e.Respondent.Population, e.Respondent.Region, e.Email)),
            stored.Participants.OrderBy(p => p.Id).Select(p => (p.Code, p.Name, p.Type, p.Population, p.Region, p.Email)));
        var audit = Assert.Single(await AuditAsync(created.Id, "campaign.create"));
        Assert.Equal(("opérateur alice@exemple.fr", "Baromètre 2026", "référentiel modele-essai, 2 collectivités", Now),
            (audit.Actor, audit.Subject, audit.NewValue, audit.At));
    }

    [Theory]
    [InlineData("   ", "Donnez un nom à la campagne (par exemple « Baromètre 2026 »).")]
    [InlineData("Baromètre\u00072026", "Le nom de la campagne contient un caractère de contrôle (U+0007, position 10) : il tient sur une ligne, sans caractère de contrôle.")]
    public async Task Create_UnusableName_ThrowsTheFrenchReasonAndStoresNothing(string name, string reason)
    {
        var before = await WithDbAsync(db => db.Campaigns.CountAsync(Ct));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => WithAsync<CampaignLifecycle, Campaign>(lifecycle =>
            lifecycle.CreateAsync(name, Seeding.ModelText, CampaignModels.Parse(Seeding.ModelText), Seeding.Panel(1), Operator, cancellationToken: Ct)));

        Assert.StartsWith(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    /// <summary>A later edition of <see cref="Seeding.ModelText"/>: services renamed numerique, a new theme inclusion.</summary>
    private const string LaterModelText = """
        id: modele-essai-suite
        follows:
          model: modele-essai
          themes:
            numerique: services
          questions:
            numerique.demarches: services.demarches
            numerique.mediation: services.mediation
        themes:
          - id: gouvernance
            title: Gouvernance
            questions:
              - id: gouvernance.strategie
                label: Stratégie numérique formalisée
              - id: gouvernance.pilotage
                label: Instance de pilotage
              - id: gouvernance.evaluation
                label: Évaluation régulière
          - id: numerique
            title: Services numériques
            questions:
              - id: numerique.demarches
                label: Démarches en ligne
              - id: numerique.mediation
                label: Médiation numérique
          - id: inclusion
            title: Inclusion
            questions:
              - id: inclusion.accueil
                label: Accueil numérique
        """;

    private async Task<SeededCampaign> ClosedCampaignAsync()
    {
        var campaign = await SeedCampaignAsync(collectivites: 1);
        await SavedAsync(campaign.A, "gouvernance.strategie", new AnswerInput(3, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        Assert.Equal(new CloseOutcome.Frozen(1), await CloseAsync(campaign, null));
        return campaign;
    }

    private Task<Campaign> CreateFollowingAsync(int previous, string modelText = LaterModelText) =>
        WithAsync<CampaignLifecycle, Campaign>(lifecycle =>
            lifecycle.CreateAsync("Baromètre suivant", modelText, CampaignModels.Parse(modelText), Seeding.Panel(1), Operator, previous, cancellationToken: Ct));

    [Fact]
    public async Task Create_FollowingAClosedCampaignWhoseModelItsModelFollows_RecordsTheEarlierEdition()
    {
        var earlier = await ClosedCampaignAsync();

        var created = await CreateFollowingAsync(earlier.Id);
        // The same model follows itself: a campaign repeated on an unchanged questionnaire.
        var repeated = await CreateFollowingAsync(earlier.Id, Seeding.ModelText);

        Assert.Equal(earlier.Id, (await WithDbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == created.Id, Ct))).PreviousCampaignId);
        Assert.Equal(earlier.Id, repeated.PreviousCampaignId);
        Assert.EndsWith($"suit la campagne n°\u00a0{earlier.Id}", Assert.Single(await AuditAsync(created.Id, "campaign.create")).NewValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_FollowingAnOpenOrUnknownCampaignOrAnotherModel_IsRefusedInFrenchAndStoresNothing()
    {
        var open = await SeedCampaignAsync(collectivites: 1);
        var closed = await ClosedCampaignAsync();
        var unrelated = LaterModelText.Replace("model: modele-essai", "model: un-autre-modele", StringComparison.Ordinal);
        var before = await WithDbAsync(db => db.Campaigns.CountAsync(Ct));

        var notClosed = await Assert.ThrowsAsync<ArgumentException>(() => CreateFollowingAsync(open.Id));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => CreateFollowingAsync(999_999));
        var otherModel = await Assert.ThrowsAsync<ArgumentException>(() => CreateFollowingAsync(closed.Id, unrelated));

        Assert.StartsWith($"La campagne « {open.Name} » n'est pas close", notClosed.Message, StringComparison.Ordinal);
        Assert.StartsWith("La campagne n°\u00a0999999 n'existe pas", unknown.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Le référentiel ne peut pas suivre celui de la campagne « {closed.Name} » : modele-essai-suite", otherModel.Message, StringComparison.Ordinal);
        Assert.Contains("un-autre-modele", otherModel.Message, StringComparison.Ordinal);
        Assert.Equal(before, await WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Fact]
    public async Task ImportPanel_AddsNewcomersUpdatesChangedOnesAndCountsNoUnchangedOne()
    {
        var campaign = await SeedCampaignAsync(collectivites: 2);
        var a = await ParticipantAsync(campaign.A);
        var before = await ParticipantAsync(campaign.B);
        var newcomer = Seeding.Panel(1)[0];
        PanelEntry[] panel =
        [
            new(new Respondent(a.Code, a.Name, a.Type, a.Population, a.Region), a.Email),
            new(new Respondent(campaign.B.Code, "Métropole renommée", "métropole", 250_000, "Normandie"), null),
            newcomer,
        ];

        var (added, updated) = await WithAsync<CampaignLifecycle, (int, int)>(lifecycle => lifecycle.ImportPanelAsync(campaign.Id, panel, Operator, Ct));

        Assert.Equal((1, 1), (added, updated));
        var b = await ParticipantAsync(campaign.B);
        Assert.Equal(("Métropole renommée", "métropole", 250_000L, "Normandie", (string?)null), (b.Name, b.Type, b.Population, b.Region, b.Email));
        Assert.Equal(newcomer.Respondent.Name, await WithDbAsync(db =>
            db.Participants.Where(p => p.CampaignId == campaign.Id && p.Code == newcomer.Respondent.Code).Select(p => p.Name).SingleAsync(Ct)));
        var change = Assert.Single(await AuditAsync(campaign.Id, "panel.update"));
        Assert.Equal((campaign.B.Code, $"{before.Name} | communauté de communes | {before.Population} | Bretagne | {before.Email}", "Métropole renommée | métropole | 250000 | Normandie | "),
            (change.Subject, change.OldValue, change.NewValue));
        Assert.Equal(newcomer.Respondent.Code, Assert.Single(await AuditAsync(campaign.Id, "panel.add")).Subject);
    }

    [Fact]
    public async Task Close_WithAReviewWindow_IsInReviewUntilItsEndAndFreezesNothing()
    {
        var campaign = await SeedCampaignAsync();
        var end = Now.AddDays(7);

        var outcome = await CloseAsync(campaign, end);

        Assert.Equal(new CloseOutcome.InReview(end), outcome);
        var stored = await CampaignAsync(campaign);
        Assert.Equal((CampaignStatus.Review, Now, end, (DateTime?)null), (stored.Status, stored.ClosedAt, stored.ReviewEndsAt, stored.FrozenAt));
        Assert.Null(await SnapshotAsync(campaign));
        var audit = Assert.Single(await AuditAsync(campaign.Id, "campaign.close"));
        Assert.Equal(("ouverte", $"relecture jusqu'au {Barometre.Core.ParisTime.DateAndTime(end)} (heure de Paris)"), (audit.OldValue, audit.NewValue));
    }

    [Fact]
    public async Task Close_ReviewEndNotInTheFuture_IsRefusedAndTheCampaignStaysOpen()
    {
        var campaign = await SeedCampaignAsync();

        var outcome = await CloseAsync(campaign, Now);

        Assert.Equal(new CloseOutcome.Refused("La fin de la relecture doit être dans le futur."), outcome);
        var stored = await CampaignAsync(campaign);
        Assert.Equal((CampaignStatus.Open, (DateTime?)null, (DateTime?)null), (stored.Status, stored.ClosedAt, stored.ReviewEndsAt));
    }

    [Fact]
    public async Task Close_WithoutReviewAndWithoutSubmission_IsRefusedAndTheCampaignStaysOpen()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, "gouvernance.strategie", new AnswerInput(2, null, null));

        var outcome = await CloseAsync(campaign, null);

        Assert.Equal(new CloseOutcome.Refused("Aucun questionnaire n'a été transmis : il n'y a rien à calculer."), outcome);
        var stored = await CampaignAsync(campaign);
        Assert.Equal((CampaignStatus.Open, (DateTime?)null, (DateTime?)null), (stored.Status, stored.ClosedAt, stored.FrozenAt));
        Assert.Empty(await AuditAsync(campaign.Id, "campaign.freeze"));
        // Still collecting: the collectivité goes on answering.
        Assert.IsType<SaveOutcome.Saved>(await SaveAsync(campaign.A, "gouvernance.pilotage", new AnswerInput(1, null, null)));
    }

    [Fact]
    public async Task Close_WithoutReview_FreezesTheSubmittedQuestionnairesOnly()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, "gouvernance.strategie", new AnswerInput(3, null, null));
        await SavedAsync(campaign.B, "gouvernance.strategie", new AnswerInput(1, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));

        var outcome = await CloseAsync(campaign, null);

        Assert.Equal(new CloseOutcome.Frozen(1), outcome);
        var stored = await CampaignAsync(campaign);
        Assert.Equal((CampaignStatus.Closed, Now, Now), (stored.Status, stored.ClosedAt, stored.FrozenAt));
        var snapshot = await SnapshotAsync(campaign);
        Assert.NotNull(snapshot);
        Assert.Equal(Now, snapshot.ComputedAt);
        var frozen = ResponsesCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(snapshot.ResponsesCsv)), "instantané", campaign.Model).GetValueOrThrow();
        Assert.Equal([campaign.A.Code], frozen.Respondents.Select(r => r.Code));
        Assert.Equal(3, frozen[0, campaign.Model.IndexOfQuestion("gouvernance.strategie")]);
        var audit = Assert.Single(await AuditAsync(campaign.Id, "campaign.freeze"));
        Assert.Equal(("ouverte", "close ; résultats de 1 collectivités"), (audit.OldValue, audit.NewValue));
    }

    [Fact]
    public async Task Freeze_AfterTheReview_KeepsWhenCollectionClosedAndEmptiesTheInterimReleasesAnswers()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        var closedAt = Now;
        await CloseAsync(campaign, Now.AddDays(3));
        await WithDbAsync(async db =>
        {
            db.BenchmarkReleases.Add(new BenchmarkRelease { CampaignId = campaign.Id, Number = 1, CreatedAt = closedAt, Respondents = 1, ResponsesCsv = "code;nom\n" });
            return await db.SaveChangesAsync(Ct);
        });
        Clock.Advance(TimeSpan.FromDays(4));

        var outcome = await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.FreezeAsync(campaign.Id, Operator, Ct));

        Assert.Equal(new CloseOutcome.Frozen(1), outcome);
        var stored = await CampaignAsync(campaign);
        Assert.Equal((CampaignStatus.Closed, closedAt, Now), (stored.Status, stored.ClosedAt, stored.FrozenAt));
        Assert.Equal("relecture", Assert.Single(await AuditAsync(campaign.Id, "campaign.freeze")).OldValue);
        var release = await WithDbAsync(db => db.BenchmarkReleases.AsNoTracking().SingleAsync(r => r.CampaignId == campaign.Id, Ct));
        Assert.Equal((1, 1, ""), (release.Number, release.Respondents, release.ResponsesCsv));
    }

    [Fact]
    public async Task CloseAndFreeze_OnceClosedOrInReview_AreRefusedWithTheirReasons()
    {
        var inReview = await SeedCampaignAsync();
        await CloseAsync(inReview, Now.AddDays(1));
        var closed = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(closed.A));
        await CloseAsync(closed, null);

        Assert.Equal(new CloseOutcome.Refused("La collecte est déjà close ; la relecture est en cours (figez les résultats pour clore la campagne)."),
            await CloseAsync(inReview, null));
        Assert.Equal(new CloseOutcome.Refused("La campagne est déjà close."), await CloseAsync(closed, Now.AddDays(1)));
        Assert.Equal(new CloseOutcome.Refused("La campagne est déjà close : ses résultats sont figés."),
            await WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.FreezeAsync(closed.Id, Operator, Ct)));
        Assert.Single(await WithDbAsync(db => db.ResultsSnapshots.Where(s => s.CampaignId == closed.Id).ToListAsync(Ct)));
    }

    [Fact]
    public async Task Publish_OnlyAClosedCampaignWithAThresholdFrom1To1000_EachPublicationANewVersion()
    {
        var campaign = await SeedCampaignAsync();

        Assert.Equal(new PublishOutcome.Refused("Seule une campagne close (résultats figés) peut être publiée."), await PublishAsync(campaign, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        await CloseAsync(campaign, null);
        foreach (var threshold in new[] { 0, 1001 })
        {
            Assert.Equal(new PublishOutcome.Refused("Le seuil du secret statistique doit être compris entre 1 et 1 000 collectivités."), await PublishAsync(campaign, threshold));
        }
        Assert.Equal((0, (DateTime?)null), await PublicationAsync(campaign));

        Assert.Equal(new PublishOutcome.Published(1, 5), await PublishAsync(campaign, null));
        Assert.Equal(new PublishOutcome.Published(2, 3), await PublishAsync(campaign, 3));
        Assert.Equal(new PublishOutcome.Published(3, 3), await PublishAsync(campaign, null));
        Assert.Equal((3, (DateTime?)Now), await PublicationAsync(campaign));
        Assert.Equal(["non publiée", "publiée (version 1, seuil 5)", "publiée (version 2, seuil 3)"],
            (await AuditAsync(campaign.Id, "campaign.publish")).Select(a => a.OldValue));
    }

    [Fact]
    public async Task Unpublish_WithdrawsWithANewVersion_AndIsFalseWhenNothingIsPublic()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.A));
        await CloseAsync(campaign, null);
        Assert.False(await UnpublishAsync(campaign));
        await PublishAsync(campaign, null);

        Assert.True(await UnpublishAsync(campaign));
        Assert.False(await UnpublishAsync(campaign));

        Assert.Equal((2, (DateTime?)null), await PublicationAsync(campaign));
        Assert.Single(await AuditAsync(campaign.Id, "campaign.unpublish"));
    }

    private Task<CloseOutcome> CloseAsync(SeededCampaign campaign, DateTime? reviewEndsAt) =>
        WithAsync<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, reviewEndsAt, Operator, Ct));

    private Task<PublishOutcome> PublishAsync(SeededCampaign campaign, int? threshold) =>
        WithAsync<CampaignLifecycle, PublishOutcome>(lifecycle => lifecycle.PublishAsync(campaign.Id, threshold, Operator, Ct));

    private Task<bool> UnpublishAsync(SeededCampaign campaign) =>
        WithAsync<CampaignLifecycle, bool>(lifecycle => lifecycle.UnpublishAsync(campaign.Id, Operator, Ct));

    private async Task<(int Version, DateTime? PublishedAt)> PublicationAsync(SeededCampaign campaign)
    {
        var stored = await CampaignAsync(campaign);
        return (stored.PublicationVersion, stored.PublishedAt);
    }

    private Task<ResultsSnapshot?> SnapshotAsync(SeededCampaign campaign) =>
        WithAsync<CampaignQueries, ResultsSnapshot?>(queries => queries.SnapshotAsync(campaign.Id, Ct));
}

public sealed class CampaignLifecycleTests_Sqlite(SqliteStore store) : CampaignLifecycleTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class CampaignLifecycleTests_Postgres(PostgresStore store) : CampaignLifecycleTests<PostgresStore>(store), IClassFixture<PostgresStore>;
