using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Infrastructure;

/// <summary>
/// Base class of the tests of the campaign services: each test seeds its own campaign (<see cref="Seeding"/>) and acts
/// as a collectivité through its link, or as an operator (<see cref="Operator"/>), each call in a scope of its own.
/// </summary>
public abstract class CampaignTest<TStore>(TStore fixture) : StoreTest<TStore>(fixture)
    where TStore : StoreFixture
{
    /// <summary>The operator the tests act as.</summary>
    protected static Actor Operator { get; } = Actor.Operator("alice@exemple.fr");

    /// <summary>The clock's time as the services store it (UTC).</summary>
    protected DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>A campaign of <see cref="Seeding.ModelText"/> with <paramref name="collectivites"/> collectivités, their links issued.</summary>
    protected Task<SeededCampaign> SeedCampaignAsync(int collectivites = 3, bool issueLinks = true) =>
        Seeding.SeedCampaignAsync(Fixture.Services, collectivites, issueLinks, Ct);

    /// <summary>What the collectivité's link opens now (fails the test when it opens nothing).</summary>
    protected async Task<QuestionnaireAccess> OpenAsync(SeededCollectivite collectivite)
    {
        ArgumentNullException.ThrowIfNull(collectivite);
        return await WithAsync<Questionnaire, QuestionnaireAccess?>(q => q.OpenAsync(collectivite.Token, Ct))
            ?? throw new InvalidOperationException($"The link of {collectivite.Code} opens nothing.");
    }

    /// <summary>Saves an answer through the collectivité's link, as the questionnaire's API does.</summary>
    protected async Task<SaveOutcome> SaveAsync(
        SeededCollectivite collectivite, string questionId, AnswerInput input, int? expectedVersion = null, string? credential = null)
    {
        var access = await OpenAsync(collectivite);
        return await WithAsync<Questionnaire, SaveOutcome>(async q =>
            await q.SaveAsync(access.Link, questionId, input, expectedVersion, await q.ContributorNameAsync(access.Link, credential, Ct), Ct));
    }

    /// <summary>Saves an answer that must be stored; its stored state.</summary>
    protected async Task<AnswerState> SavedAsync(SeededCollectivite collectivite, string questionId, AnswerInput input, string? credential = null) =>
        Assert.IsType<SaveOutcome.Saved>(await SaveAsync(collectivite, questionId, input, credential: credential)).Answer;

    /// <summary>
    /// Submits the collectivité's questionnaire on behalf of the contributor <paramref name="credential"/> proves, confirming
    /// <paramref name="confirmedUnanswered"/> unanswered questions when given.
    /// </summary>
    protected async Task<SubmitOutcome> SubmitAsync(SeededCollectivite collectivite, string? credential = null, int? confirmedUnanswered = null)
    {
        var access = await OpenAsync(collectivite);
        return await WithAsync<Questionnaire, SubmitOutcome>(q => q.SubmitAsync(access, credential, confirmedUnanswered, Ct));
    }

    /// <summary>Names a contributor through the collectivité's link; their credential.</summary>
    protected async Task<string> IdentifyAsync(SeededCollectivite collectivite, string name)
    {
        var access = await OpenAsync(collectivite);
        var outcome = await WithAsync<Questionnaire, IdentifyOutcome>(q => q.IdentifyAsync(access, name, null, Ct));
        return Assert.IsType<IdentifyOutcome.Identified>(outcome).Credential;
    }

    /// <summary>The collectivité as stored now.</summary>
    protected Task<Participant> ParticipantAsync(SeededCollectivite collectivite) =>
        WithDbAsync(db => db.Participants.AsNoTracking().SingleAsync(p => p.Id == collectivite.ParticipantId, Ct));

    /// <summary>The campaign as stored now.</summary>
    protected Task<Campaign> CampaignAsync(SeededCampaign campaign) =>
        WithDbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaign.Id, Ct));

    /// <summary>The collectivité's stored answers, by question.</summary>
    protected Task<Dictionary<string, Answer>> AnswersAsync(SeededCollectivite collectivite) =>
        WithDbAsync(db => db.Answers.AsNoTracking().Where(a => a.ParticipantId == collectivite.ParticipantId).ToDictionaryAsync(a => a.QuestionId, StringComparer.Ordinal, Ct));

    /// <summary>The campaign's audit entries with this action, oldest first.</summary>
    protected Task<List<AuditEntry>> AuditAsync(int campaignId, string action) =>
        WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.CampaignId == campaignId && a.Action == action).OrderBy(a => a.Id).ToListAsync(Ct));
}
