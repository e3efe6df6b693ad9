using Barometre.Data.Campaigns;
using Barometre.Data.Privacy;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Privacy;

/// <summary>
/// A contributor's own view and erasure of their identity (<see cref="ContributorErasure"/>): what is shown is what the
/// erasure changes; it touches only their name and e-mail, in their collectivité's records; another collectivité's link
/// reaches nothing; the audit entry keeps counts, never the erased values; they answer on under the neutral name.
/// </summary>
public abstract class ContributorErasureTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    [Fact]
    public async Task Record_ShowsTheirNameEmailAnswersAndAuditEntries()
    {
        var scenario = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        var access = await OpenAsync(scenario.Campaign.A);

        var record = await WithAsync<ContributorErasure, ContributorRecord?>(e => e.RecordAsync(access, scenario.MarieCredential, Ct));

        Assert.NotNull(record);
        Assert.Equal((scenario.Marie, scenario.MarieEmail), (record.Contributor.Name, record.Contributor.Email));
        // Marie changed « pilotage » first, Paul after her: only « stratégie » carries her name now.
        Assert.Equal(["gouvernance.strategie"], record.Answers.Select(a => a.QuestionId));
        Assert.Equal(["contributor.add", "answer", "answer", "contributor.lead"], record.AuditEntries.Select(a => a.Action));
        Assert.False(record.Submitted);
        Assert.True((await WithAsync<ContributorErasure, ContributorRecord?>(e => e.RecordAsync(access, scenario.PaulCredential, Ct)))!.Submitted);
        // Reading changed nothing.
        Assert.Equal(scenario.Marie, (await WithDbAsync(db => db.Contributors.AsNoTracking().SingleAsync(c => c.Id == record.Contributor.Id, Ct))).Name);
    }

    [Fact]
    public async Task Erase_ReplacesOnlyTheirIdentity_InTheirCollectivitesRecords_AndAuditsCounts()
    {
        var scenario = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        var campaign = scenario.Campaign;
        var access = await OpenAsync(campaign.A);
        var record = (await WithAsync<ContributorErasure, ContributorRecord?>(e => e.RecordAsync(access, scenario.MarieCredential, Ct)))!;
        var before = await WithDbAsync(db => DatabaseDump.ReadAsync(db, Ct));

        var counts = await WithAsync<ContributorErasure, ErasureCounts?>(e => e.EraseAsync(access, scenario.MarieCredential, Ct));

        var after = await WithDbAsync(db => DatabaseDump.ReadAsync(db, Ct));
        var changes = before.ChangesTo(after);
        var neutral = PersonalData.NeutralName(record.Contributor.Id);
        Assert.Equal(new ErasureCounts(1, 1, 0, 0, 0, record.AuditEntries.Count), counts);
        // Her contributor row; her answer; the actor of the four entries she made, her name (contributor.add, contributor.lead) and her e-mail.
        (string, string)[] expected =
        [
            ("Contributors", nameof(Contributor.Email)), ("Contributors", nameof(Contributor.Name)), ("Answers", nameof(Answer.UpdatedBy)),
            .. Enumerable.Repeat(("AuditEntries", nameof(AuditEntry.Actor)), 4), ("AuditEntries", nameof(AuditEntry.NewValue)),
            ("AuditEntries", nameof(AuditEntry.OldValue)), ("AuditEntries", nameof(AuditEntry.Subject)),
        ];
        Assert.Equal(expected.Order(), changes.Where(c => !c.RowAdded).Select(c => (c.Table, c.Column)).Order());
        // Only her name and e-mail went, and only from her collectivité's records.
        Assert.All(changes.Where(c => !c.RowAdded), c => Assert.True(
            c.Before!.Contains(scenario.Marie, StringComparison.Ordinal) || c.Before == scenario.MarieEmail, $"{c.Table} {c.Column} « {c.Before} »"));
        Assert.DoesNotContain(after.Cells, c => c.Value == scenario.MarieEmail || (c.Value?.Contains($"({scenario.Marie})", StringComparison.Ordinal) ?? false));
        var entry = Assert.Single(await AuditAsync(campaign.Id, ContributorErasure.AuditAction));
        Assert.Equal((campaign.A.ParticipantId, $"lien {campaign.A.Code} ({neutral})", neutral, (string?)null, counts!.ToString()),
            (entry.ParticipantId, entry.Actor, entry.Subject, entry.OldValue, entry.NewValue));
        Assert.Equal(scenario.Comment, (await AnswersAsync(campaign.A))["gouvernance.strategie"].Comment);

        // She goes on under the neutral name; Paul keeps his.
        var names = await WithAsync<Questionnaire, (string?, string?)>(async q =>
            (await q.ContributorNameAsync(access.Link, scenario.MarieCredential, Ct), await q.ContributorNameAsync(access.Link, scenario.PaulCredential, Ct)));
        Assert.Equal((neutral, scenario.Paul), names);
    }

    [Fact]
    public async Task RecordAndErase_WithAnotherCollectivitesLink_ReachNothing()
    {
        var scenario = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        var other = await OpenAsync(scenario.Campaign.C);
        var before = await WithDbAsync(db => DatabaseDump.ReadAsync(db, Ct));

        var record = await WithAsync<ContributorErasure, ContributorRecord?>(e => e.RecordAsync(other, scenario.MarieCredential, Ct));
        var erased = await WithAsync<ContributorErasure, ErasureCounts?>(e => e.EraseAsync(other, scenario.MarieCredential, Ct));
        var forged = await WithAsync<ContributorErasure, ErasureCounts?>(e => e.EraseAsync(other, "CfDJ8-contrefait", Ct));

        Assert.Equal((null, null, null), (record, erased, forged));
        Assert.Empty(before.ChangesTo(await WithDbAsync(db => DatabaseDump.ReadAsync(db, Ct))));
    }

    [Fact]
    public async Task Identify_WithANeutralName_IsRefused()
    {
        var campaign = await SeedCampaignAsync();
        var access = await OpenAsync(campaign.A);

        var outcome = await WithAsync<Questionnaire, IdentifyOutcome>(q => q.IdentifyAsync(access, "Contributeur effacé n° 3", null, Ct));

        Assert.Equal("Ce nom est celui que prend un contributeur effacé : indiquez le vôtre.", Assert.IsType<IdentifyOutcome.Refused>(outcome).Reason);
    }
}

public sealed class ContributorErasureTests_Sqlite(SqliteStore store) : ContributorErasureTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class ContributorErasureTests_Postgres(PostgresStore store) : ContributorErasureTests<PostgresStore>(store), IClassFixture<PostgresStore>;
