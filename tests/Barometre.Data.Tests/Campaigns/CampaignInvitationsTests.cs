using Barometre.Data.Campaigns;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>The links of <see cref="CampaignInvitations"/>: issued once, unguessable, stored as hashes, re-issued and revoked.</summary>
public abstract class CampaignInvitationsTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    [Fact]
    public async Task Issue_GivesEachCollectiviteAnUnguessableLinkWhoseTokenIsStoredNowhere()
    {
        var campaign = await SeedCampaignAsync(issueLinks: false);

        var issued = await IssueAsync(campaign, reissueAll: false);

        Assert.Equal(campaign.Collectivites.Select(c => (c.ParticipantId, c.Code, c.Name, c.Email)), issued.Select(i => (i.ParticipantId, i.Code, i.Name, i.Email)));
        Assert.All(issued, i => Assert.Matches("^[A-Za-z0-9_-]{43}$", i.Token));
        Assert.Equal(3, issued.Select(i => i.Token).Distinct(StringComparer.Ordinal).Count());
        Assert.All(issued, i => Assert.Equal(Now.AddDays(120), i.ExpiresAt));
        var stored = await InvitationsAsync(campaign);
        Assert.Equal(issued.Select(i => (i.ParticipantId, InvitationTokens.Hash(i.Token), Now, i.ExpiresAt, (DateTime?)null)),
            stored.Select(s => (s.ParticipantId, s.TokenHash, s.CreatedAt, s.ExpiresAt, s.RevokedAt)));
        // The hash is SHA-256 in hex, and the token itself appears in no stored row: the database cannot give a link away.
        Assert.All(stored, s => Assert.Matches("^[0-9a-f]{64}$", s.TokenHash));
        var audit = await AuditAsync(campaign.Id, "invitation.issue");
        var texts = stored.Select(s => s.TokenHash).Concat(audit.SelectMany(a => new[] { a.Actor, a.Subject, a.OldValue, a.NewValue })).ToList();
        Assert.DoesNotContain(texts, text => issued.Any(i => text?.Contains(i.Token, StringComparison.Ordinal) == true));
        Assert.Equal(issued.Select(i => (i.Code, (string?)null, $"lien valable jusqu'au {Barometre.Core.ParisTime.Date(i.ExpiresAt)}")), audit.Select(a => (a.Subject!, a.OldValue, a.NewValue!)));
    }

    [Fact]
    public async Task Issue_Again_GivesLinksOnlyToThoseWithoutAnActiveOne_AnExpiredLinkCountingAsNone()
    {
        var campaign = await SeedCampaignAsync();
        Assert.Empty(await IssueAsync(campaign, reissueAll: false));
        await WithDbAsync(async db =>
        {
            var invitation = await db.Invitations.SingleAsync(i => i.ParticipantId == campaign.B.ParticipantId, Ct);
            invitation.ExpiresAt = Now;
            return await db.SaveChangesAsync(Ct);
        });

        var issued = await IssueAsync(campaign, reissueAll: false);

        Assert.Equal([campaign.B.Code], issued.Select(i => i.Code));
        Assert.NotNull(await WithAsync<Questionnaire, QuestionnaireAccess?>(q => q.OpenAsync(issued[0].Token, Ct)));
        // A's and C's links still open their questionnaires.
        Assert.Equal(campaign.A.ParticipantId, (await OpenAsync(campaign.A)).ParticipantId);
        Assert.Equal(campaign.C.ParticipantId, (await OpenAsync(campaign.C)).ParticipantId);
    }

    [Fact]
    public async Task Issue_DeliveryFails_IssuesAndRevokesNothing()
    {
        var campaign = await SeedCampaignAsync();
        var before = await InvitationsAsync(campaign);

        await Assert.ThrowsAsync<IOException>(() => WithAsync<CampaignInvitations, IReadOnlyList<IssuedInvitation>>(invitations =>
            invitations.IssueAsync(campaign.Id, reissueAll: true, Operator, _ => throw new IOException("disque plein"), Ct)));

        Assert.Equal(before.Select(i => (i.Id, i.RevokedAt)), (await InvitationsAsync(campaign)).Select(i => (i.Id, i.RevokedAt)));
        Assert.Equal(3, (await AuditAsync(campaign.Id, "invitation.issue")).Count);
        Assert.Equal(campaign.A.ParticipantId, (await OpenAsync(campaign.A)).ParticipantId);
    }

    [Fact]
    public async Task ReissueAll_RevokesEveryActiveLinkAndGivesEachANewOne()
    {
        var campaign = await SeedCampaignAsync();

        var issued = await IssueAsync(campaign, reissueAll: true);

        Assert.Equal(campaign.Collectivites.Select(c => c.Code), issued.Select(i => i.Code));
        Assert.DoesNotContain(issued, i => campaign.Collectivites.Any(c => c.Token == i.Token));
        foreach (var collectivite in campaign.Collectivites)
        {
            Assert.Null(await WithAsync<Questionnaire, QuestionnaireAccess?>(q => q.OpenAsync(collectivite.Token, Ct)));
        }
        var stored = await InvitationsAsync(campaign);
        Assert.Equal([Now, Now, Now], stored.Where(i => i.RevokedAt is not null).Select(i => i.RevokedAt!.Value));
        Assert.Equal(issued.Select(i => InvitationTokens.Hash(i.Token)), stored.Where(i => i.RevokedAt is null).Select(i => i.TokenHash));
    }

    [Fact]
    public async Task Reissue_GivesOneCollectiviteANewLinkAndRevokesItsOldOnesOnly()
    {
        var campaign = await SeedCampaignAsync();

        var issued = await WithAsync<CampaignInvitations, IssuedInvitation>(invitations => invitations.ReissueAsync(campaign.B.ParticipantId, Operator, Ct));

        Assert.Equal((campaign.B.ParticipantId, campaign.B.Code, Now.AddDays(120)), (issued.ParticipantId, issued.Code, issued.ExpiresAt));
        Assert.Null(await WithAsync<Questionnaire, QuestionnaireAccess?>(q => q.OpenAsync(campaign.B.Token, Ct)));
        Assert.Equal(campaign.B.ParticipantId, (await WithAsync<Questionnaire, QuestionnaireAccess?>(q => q.OpenAsync(issued.Token, Ct)))?.ParticipantId);
        Assert.Equal(campaign.A.ParticipantId, (await OpenAsync(campaign.A)).ParticipantId);
        Assert.Equal("1 lien(s) révoqué(s)", (await AuditAsync(campaign.Id, "invitation.issue"))[^1].OldValue);
    }

    [Fact]
    public async Task Revoke_StopsTheLinksAndSaysHowMany_ThenThereIsNothingToRevoke()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, "gouvernance.strategie", new AnswerInput(2, null, null));

        var revoked = await RevokeAsync(campaign.A);
        var again = await RevokeAsync(campaign.A);

        Assert.Equal((1, 0), (revoked, again));
        Assert.Null(await WithAsync<Questionnaire, QuestionnaireAccess?>(q => q.OpenAsync(campaign.A.Token, Ct)));
        Assert.Equal(Now, (await InvitationsAsync(campaign)).Single(i => i.ParticipantId == campaign.A.ParticipantId).RevokedAt);
        var audit = Assert.Single(await AuditAsync(campaign.Id, "invitation.revoke"));
        Assert.Equal((campaign.A.Code, "1 lien(s) actif(s)", "révoqué(s)"), (audit.Subject, audit.OldValue, audit.NewValue));
        // The answers stay.
        Assert.Equal(2, (await AnswersAsync(campaign.A))["gouvernance.strategie"].Level);
    }

    private Task<IReadOnlyList<IssuedInvitation>> IssueAsync(SeededCampaign campaign, bool reissueAll) =>
        WithAsync<CampaignInvitations, IReadOnlyList<IssuedInvitation>>(invitations => invitations.IssueAsync(campaign.Id, reissueAll, Operator, cancellationToken: Ct));

    private Task<int> RevokeAsync(SeededCollectivite collectivite) =>
        WithAsync<CampaignInvitations, int>(invitations => invitations.RevokeAsync(collectivite.ParticipantId, Operator, Ct));

    private Task<List<Invitation>> InvitationsAsync(SeededCampaign campaign) =>
        WithDbAsync(db => db.Invitations.AsNoTracking().Where(i => i.Participant!.CampaignId == campaign.Id).OrderBy(i => i.Id).ToListAsync(Ct));
}

public sealed class CampaignInvitationsTests_Sqlite(SqliteStore store) : CampaignInvitationsTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class CampaignInvitationsTests_Postgres(PostgresStore store) : CampaignInvitationsTests<PostgresStore>(store), IClassFixture<PostgresStore>;
