using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Tests.Infrastructure;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>What <see cref="CampaignQueries"/> reads: the campaigns and their counts, the follow-up, the response sets, the audit trail.</summary>
public abstract class CampaignQueriesTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    [Fact]
    public async Task FollowUp_GivesEachCollectivitesProgressPerThemeInPanelOrder()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, "gouvernance.strategie", new AnswerInput(2, null, null, "https://exemple.fr/strategie.pdf"));
        await SavedAsync(campaign.A, "services.demarches", new AnswerInput(null, null, "En cours d'étude"));
        Clock.Advance(TimeSpan.FromMinutes(3));
        await SavedAsync(campaign.A, "gouvernance.pilotage", new AnswerInput(null, "NSP", null));
        await SavedAsync(campaign.C, "services.mediation", new AnswerInput(4, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.C));
        await WithAsync<CampaignInvitations, int>(invitations => invitations.RevokeAsync(campaign.B.ParticipantId, Operator, Ct));

        var progress = await WithAsync<CampaignQueries, IReadOnlyList<ParticipantProgress>>(queries => queries.FollowUpAsync(campaign.Id, Ct));

        Assert.Equal(campaign.Collectivites.Select(c => c.Code), progress.Select(p => p.Participant.Code));
        var (a, b, c) = (progress[0], progress[1], progress[2]);
        Assert.Equal((ParticipantStatus.InProgress, 2, 5, (DateTime?)Now, 1), (a.Status, a.Answered, a.Questions, a.LastActivity, a.EvidenceToReview));
        Assert.Equal([(2, 3), (0, 2)], a.Themes);
        Assert.Equal(Now.AddMinutes(-3).AddDays(120), a.ActiveInvitation?.ExpiresAt);
        Assert.Equal((ParticipantStatus.NotStarted, 0, (DateTime?)null, 0), (b.Status, b.Answered, b.LastActivity, b.EvidenceToReview));
        Assert.Null(b.ActiveInvitation);
        Assert.Equal((ParticipantStatus.Submitted, 1), (c.Status, c.Answered));
        Assert.Equal([(0, 3), (1, 2)], c.Themes);
    }

    [Fact]
    public async Task Participant_GivesItsProgressAnswersAndContributors_OrNullForAnUnknownOne()
    {
        var campaign = await SeedCampaignAsync();
        await IdentifyAsync(campaign.B, "Marie Dupont");
        await SavedAsync(campaign.B, "gouvernance.evaluation", new AnswerInput(1, null, null));

        var found = await WithAsync<CampaignQueries, (ParticipantProgress Progress, IReadOnlyList<Answer> Answers, IReadOnlyList<Contributor> Contributors)?>(queries =>
            queries.ParticipantAsync(campaign.B.ParticipantId, Ct));
        var unknown = await WithAsync<CampaignQueries, (ParticipantProgress, IReadOnlyList<Answer>, IReadOnlyList<Contributor>)?>(queries =>
            queries.ParticipantAsync(-1, Ct));

        Assert.NotNull(found);
        var (progress, answers, contributors) = found.Value;
        Assert.Equal((campaign.B.Code, ParticipantStatus.InProgress, 1), (progress.Participant.Code, progress.Status, progress.Answered));
        Assert.Equal(("gouvernance.evaluation", (int?)1), (Assert.Single(answers).QuestionId, answers[0].Level));
        Assert.Equal("Marie Dupont", Assert.Single(contributors).Name);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task Counts_GivesEachCampaignsPanelAndSubmissions()
    {
        var three = await SeedCampaignAsync();
        var two = await SeedCampaignAsync(collectivites: 2);
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(three.B));

        var counts = await WithAsync<CampaignQueries, IReadOnlyDictionary<int, CampaignCounts>>(queries => queries.CountsAsync(Ct));
        var campaigns = await WithAsync<CampaignQueries, IReadOnlyList<Campaign>>(queries => queries.ListAsync(Ct));

        Assert.Equal((new CampaignCounts(3, 1), new CampaignCounts(2, 0)), (counts[three.Id], counts[two.Id]));
        Assert.Equal([two.Id, three.Id], campaigns.Take(2).Select(c => c.Id));
        Assert.Null(await WithAsync<CampaignQueries, Campaign?>(queries => queries.FindAsync(-1, Ct)));
        Assert.Equal(two.Name, (await WithAsync<CampaignQueries, Campaign?>(queries => queries.FindAsync(two.Id, Ct)))?.Name);
    }

    [Fact]
    public async Task Responses_AllOrTheSubmittedOnes_InPanelOrderWithTheirCellCodes()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, "gouvernance.strategie", new AnswerInput(2, null, null));
        await SavedAsync(campaign.A, "gouvernance.pilotage", new AnswerInput(null, "NSP", null));
        await SavedAsync(campaign.A, "gouvernance.evaluation", new AnswerInput(null, null, "Un commentaire seul"));
        await SavedAsync(campaign.A, "services.demarches", new AnswerInput(null, "NC", null));
        await SavedAsync(campaign.C, "services.mediation", new AnswerInput(4, null, null));
        Assert.Equal(SubmitOutcome.Submitted, await SubmitAsync(campaign.C));
        // Rows the model cannot read (a question it does not have, a level above its scale) are left out, not fatal.
        await WithDbAsync(async db =>
        {
            db.Answers.AddRange(
                new Answer { ParticipantId = campaign.B.ParticipantId, QuestionId = "ancien.referentiel", Level = 1, Version = 1, UpdatedAt = Now },
                new Answer { ParticipantId = campaign.B.ParticipantId, QuestionId = "services.demarches", Level = 7, Version = 1, UpdatedAt = Now });
            return await db.SaveChangesAsync(Ct);
        });

        var all = await ResponsesAsync(campaign, submittedOnly: false);
        var submitted = await ResponsesAsync(campaign, submittedOnly: true);

        var a = await ParticipantAsync(campaign.A);
        Assert.Equal(campaign.Collectivites.Select(c => c.Code), all.Respondents.Select(r => r.Code));
        Assert.Equal(new Respondent(a.Code, a.Name, a.Type, a.Population, a.Region), all.Respondents[0]);
        Assert.Equal(new sbyte[]
        {
            2, CellCode.DontKnow, CellCode.Blank, CellCode.NotConcerned, CellCode.Blank,
            CellCode.Blank, CellCode.Blank, CellCode.Blank, CellCode.Blank, CellCode.Blank,
            CellCode.Blank, CellCode.Blank, CellCode.Blank, CellCode.Blank, 4,
        }, all.Cells.ToArray());
        Assert.Equal([campaign.C.Code], submitted.Respondents.Select(r => r.Code));
        Assert.Equal(new sbyte[] { CellCode.Blank, CellCode.Blank, CellCode.Blank, CellCode.Blank, 4 }, submitted.Cells.ToArray());
        var one = await WithAsync<CampaignQueries, ResponseSet?>(queries => queries.ResponsesOfAsync(campaign.A.ParticipantId, Ct));
        Assert.Equal(all.Row(0).ToArray(), one?.Row(0).ToArray());
        Assert.Null(await WithAsync<CampaignQueries, ResponseSet?>(queries => queries.ResponsesOfAsync(-1, Ct)));
    }

    [Fact]
    public async Task Audit_MostRecentFirst_ByPageAndForOneCollectivite()
    {
        var campaign = await SeedCampaignAsync(issueLinks: false);
        foreach (var level in new[] { 0, 1, 2, 3 })
        {
            Assert.IsType<SaveOutcome.Saved>(await WithAsync<OperatorAnswers, SaveOutcome>(answers =>
                answers.SaveAsync(campaign.A.ParticipantId, "gouvernance.strategie", new AnswerInput(level, null, null), Operator, cancellationToken: Ct)));
        }
        Assert.IsType<SaveOutcome.Saved>(await WithAsync<OperatorAnswers, SaveOutcome>(answers =>
            answers.SaveAsync(campaign.B.ParticipantId, "gouvernance.strategie", new AnswerInput(4, null, null), Operator, cancellationToken: Ct)));

        var (page, total) = await WithAsync<CampaignQueries, (IReadOnlyList<AuditEntry>, int)>(queries => queries.AuditPageAsync(campaign.Id, campaign.A.ParticipantId, 1, 2, Ct));
        var latest = await WithAsync<CampaignQueries, IReadOnlyList<AuditEntry>>(queries => queries.AuditAsync(campaign.Id, take: 2, cancellationToken: Ct));

        Assert.Equal(4, total);
        Assert.Equal(["niveau 2", "niveau 1"], page.Select(e => e.NewValue));
        Assert.Equal([("answer", "niveau 4"), ("answer", "niveau 3")], latest.Select(e => (e.Action, e.NewValue)));
        // The campaign's creation is in its trail too, the oldest entry.
        var (all, count) = await WithAsync<CampaignQueries, (IReadOnlyList<AuditEntry>, int)>(queries => queries.AuditPageAsync(campaign.Id, null, 0, 100, Ct));
        Assert.Equal((6, "campaign.create"), (count, all[^1].Action));
    }

    private Task<ResponseSet> ResponsesAsync(SeededCampaign campaign, bool submittedOnly) =>
        WithAsync<CampaignQueries, ResponseSet>(queries => queries.ResponsesAsync(campaign.Id, submittedOnly, Ct));
}

public sealed class CampaignQueriesTests_Sqlite(SqliteStore store) : CampaignQueriesTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class CampaignQueriesTests_Postgres(PostgresStore store) : CampaignQueriesTests<PostgresStore>(store), IClassFixture<PostgresStore>;
