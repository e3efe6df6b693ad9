using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Barometre.Data.Privacy;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Privacy;

/// <summary>
/// The retention purge (<see cref="PersonalDataPurge"/>): it changes exactly the fields <see cref="PersonalData"/> names —
/// every column of every table compared before and after — leaves no name or address behind, keeps the answers, the
/// frozen results and every figure recomputed from the answers identical, is idempotent, refuses before its time, and is
/// taken by one of several servers.
/// </summary>
public abstract class PersonalDataPurgeTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    /// <summary>The columns a purge may change, by entity; anything else changed fails.</summary>
    private static readonly (Type Entity, string[] Columns)[] PersonalColumns =
    [
        (typeof(Contributor), [nameof(Contributor.Name), nameof(Contributor.Email)]),
        (typeof(Answer), [nameof(Answer.UpdatedBy)]),
        (typeof(Participant), [nameof(Participant.Email), nameof(Participant.SubmittedBy)]),
        (typeof(OutboxMessage), [nameof(OutboxMessage.Address), nameof(OutboxMessage.Reply)]),
        (typeof(AuditEntry), [nameof(AuditEntry.Actor), nameof(AuditEntry.Subject), nameof(AuditEntry.OldValue), nameof(AuditEntry.NewValue)]),
        (typeof(Campaign), [nameof(Campaign.PersonalDataErasedAt)]),
    ];

    [Fact]
    public async Task Purge_ChangesOnlyThePersonalColumns_LeavesNoIdentity_AndKeepsEveryFigure()
    {
        var scenario = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        var campaign = scenario.Campaign;
        var results = await PrivacyScenario.RecomputedResultsAsync(Fixture.Services, campaign.Id, Ct);
        var before = await DumpAsync();
        Clock.Advance(TimeSpan.FromDays(PersonalData.DefaultRetentionMonths * 31));

        var outcome = Assert.IsType<PurgeOutcome.Erased>(await PurgeAsync(campaign.Id));
        var after = await DumpAsync();

        var changes = before.ChangesTo(after);
        var tables = await TablesAsync();
        var allowed = PersonalColumns.SelectMany(e => e.Columns.Select(c => (tables[e.Entity], c))).ToHashSet();
        Assert.DoesNotContain(changes, c => !c.RowAdded && !allowed.Contains((c.Table, c.Column)));
        var added = changes.Where(c => c.RowAdded).GroupBy(c => (c.Table, c.Key)).ToList();
        var purgeEntry = Assert.Single(added).ToDictionary(c => c.Column, c => c.After);
        Assert.Equal((tables[typeof(AuditEntry)], PersonalDataPurge.AuditAction, "commande barometre"),
            (Assert.Single(added).Key.Table, purgeEntry[nameof(AuditEntry.Action)], purgeEntry[nameof(AuditEntry.Actor)]));
        Assert.Equal(outcome.Counts.ToString(), purgeEntry[nameof(AuditEntry.NewValue)]);
        // The counts are the rows that changed, per table.
        int Rows(Type entity) => changes.Where(c => !c.RowAdded && c.Table == tables[entity]).Select(c => c.Key).Distinct().Count();
        Assert.Equal(
            new ErasureCounts(Rows(typeof(Contributor)), Rows(typeof(Answer)), 2, 3, Rows(typeof(OutboxMessage)), Rows(typeof(AuditEntry))),
            outcome.Counts);
        Assert.Equal((3, 4, 1), (outcome.Counts.Contributors, outcome.Counts.Answers, outcome.Counts.Messages));
        Assert.Equal(3, Rows(typeof(Participant)));

        // No name or address is left anywhere, but in an answer's content (its comment, and the audit of that answer).
        var identities = scenario.Identities;
        var rows = after.Cells.GroupBy(c => (c.Table, c.Key)).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Column, c => c.Value));
        var left = after.Cells.Where(cell => cell.Value is { } value && identities.Any(identity => value.Contains(identity, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.NotEmpty(left);
        Assert.All(left, cell => Assert.True(
            (cell.Table == tables[typeof(Answer)] && cell.Column == nameof(Answer.Comment))
            || (cell.Table == tables[typeof(AuditEntry)] && cell.Column is nameof(AuditEntry.OldValue) or nameof(AuditEntry.NewValue)
                && rows[(cell.Table, cell.Key)][nameof(AuditEntry.Action)] == "answer"),
            $"{cell.Table} {cell.Key} {cell.Column} still holds « {cell.Value} »"));
        Assert.All(left, cell => Assert.Contains(scenario.Comment, cell.Value!, StringComparison.Ordinal));

        var contributors = await WithDbAsync(db => db.Contributors.AsNoTracking().Where(c => c.Participant!.CampaignId == campaign.Id).ToListAsync(Ct));
        Assert.All(contributors, c => Assert.Equal((PersonalData.NeutralName(c.Id), (string?)null), (c.Name, c.Email)));
        var answers = await AnswersAsync(campaign.A);
        var marie = contributors.Single(c => c.Id == ContributorIdOf(before, tables, scenario.Marie));
        Assert.Equal((3, scenario.Comment, $"lien {campaign.A.Code} ({PersonalData.NeutralName(marie.Id)})"),
            (answers["gouvernance.strategie"].Level, answers["gouvernance.strategie"].Comment, answers["gouvernance.strategie"].UpdatedBy));
        Assert.Equal("opérateur alice@exemple.fr", (await AnswersAsync(campaign.B))["gouvernance.strategie"].UpdatedBy);
        Assert.Equal(results, await PrivacyScenario.RecomputedResultsAsync(Fixture.Services, campaign.Id, Ct));
        Assert.Equal(Now, outcome.ErasedAt);
    }

    [Fact]
    public async Task Purge_Again_ErasesNothingAndWritesNothing()
    {
        var scenario = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        Clock.Advance(TimeSpan.FromDays(PersonalData.DefaultRetentionMonths * 31));
        var first = Assert.IsType<PurgeOutcome.Erased>(await PurgeAsync(scenario.Campaign.Id));
        var before = await DumpAsync();
        Clock.Advance(TimeSpan.FromDays(1));

        var second = Assert.IsType<PurgeOutcome.Erased>(await PurgeAsync(scenario.Campaign.Id));

        Assert.True(first.Counts.Total > 0);
        Assert.Equal((ErasureCounts.None, first.ErasedAt), (second.Counts, second.ErasedAt));
        Assert.Empty(before.ChangesTo(await DumpAsync()));
    }

    [Fact]
    public async Task Purge_BeforeTheRetentionEnds_IsRefused_ADryRunWritesNothing_AndEarlyErases()
    {
        var open = await SeedCampaignAsync();
        var scenario = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        var campaign = scenario.Campaign;
        var due = (await CampaignAsync(campaign)).FrozenAt!.Value.AddMonths(PersonalData.DefaultRetentionMonths);
        var before = await DumpAsync();

        var whileOpen = Assert.IsType<PurgeOutcome.Refused>(await PurgeAsync(open.Id, early: true));
        var notDue = Assert.IsType<PurgeOutcome.Refused>(await PurgeAsync(campaign.Id));
        var dryRun = Assert.IsType<PurgeOutcome.Erased>(await PurgeAsync(campaign.Id, early: true, dryRun: true));

        Assert.Equal($"La campagne « {open.Name} » n'est pas close : ses données personnelles servent encore à la collecte. "
            + "Elles seront effacées 24 mois après la clôture de la campagne.", whileOpen.Reason);
        Assert.StartsWith($"La durée de conservation des données personnelles de la campagne « {campaign.Name} » court jusqu'au {Core.ParisTime.Date(due)} (24 mois",
            notDue.Reason, StringComparison.Ordinal);
        Assert.Empty(before.ChangesTo(await DumpAsync()));
        Assert.Null(dryRun.ErasedAt);

        var early = Assert.IsType<PurgeOutcome.Erased>(await PurgeAsync(campaign.Id, early: true));
        Assert.Equal(dryRun.Counts, early.Counts);
        Assert.True(early.Counts.Total > 0);
    }

    [Fact]
    public async Task PurgeDue_TakesOnlyCampaignsPastTheirPeriod_OnceAmongSeveralServers()
    {
        var shortKept = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        var longKept = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        Assert.Null(await WithAsync<PersonalDataPurge, string?>(p => p.SetRetentionAsync(shortKept.Campaign.Id, 1, Operator, Ct)));
        Clock.Advance(TimeSpan.FromDays(32));

        // Two servers run their round at once: each campaign is purged by one of them.
        var rounds = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => WithAsync<PersonalDataPurge, IReadOnlyList<(int CampaignId, ErasureCounts Counts)>>(
            p => p.PurgeDueAsync(Actor.Retention, Ct))));
        var later = await WithAsync<PersonalDataPurge, IReadOnlyList<(int CampaignId, ErasureCounts Counts)>>(p => p.PurgeDueAsync(Actor.Retention, Ct));

        Assert.Single(rounds.SelectMany(round => round), p => p.CampaignId == shortKept.Campaign.Id);
        Assert.DoesNotContain(rounds.SelectMany(round => round), p => p.CampaignId == longKept.Campaign.Id);
        Assert.DoesNotContain(later, p => p.CampaignId == shortKept.Campaign.Id);
        var entry = Assert.Single(await AuditAsync(shortKept.Campaign.Id, PersonalDataPurge.AuditAction));
        Assert.Equal(Actor.Retention.Name, entry.Actor);
        Assert.Empty(await AuditAsync(longKept.Campaign.Id, PersonalDataPurge.AuditAction));
        Assert.Null((await ParticipantAsync(shortKept.Campaign.A)).Email);
        Assert.NotNull((await ParticipantAsync(longKept.Campaign.A)).Email);
    }

    [Fact]
    public async Task SetRetention_IsCheckedAudited_AndFrozenOnceErased()
    {
        var scenario = await PrivacyScenario.SeedAsync(Fixture.Services, Clock, Ct);
        var id = scenario.Campaign.Id;

        var invalid = await WithAsync<PersonalDataPurge, string?>(p => p.SetRetentionAsync(id, 0, Operator, Ct));
        var changed = await WithAsync<PersonalDataPurge, string?>(p => p.SetRetentionAsync(id, 36, Operator, Ct));
        Assert.IsType<PurgeOutcome.Erased>(await PurgeAsync(id, early: true));
        var afterErasure = await WithAsync<PersonalDataPurge, string?>(p => p.SetRetentionAsync(id, 12, Operator, Ct));

        Assert.Equal("La durée de conservation des données personnelles doit être comprise entre 1 et 120 mois, pas 0.", invalid);
        Assert.Null(changed);
        Assert.Equal(36, (await CampaignAsync(scenario.Campaign)).RetentionMonths);
        var entry = Assert.Single(await AuditAsync(id, PersonalDataPurge.RetentionAuditAction));
        Assert.Equal(("24 mois après la clôture de la campagne", "36 mois après la clôture de la campagne"), (entry.OldValue, entry.NewValue));
        Assert.Equal($"Les données personnelles de la campagne « {scenario.Campaign.Name} » sont déjà effacées : leur durée de conservation ne change plus.", afterErasure);
    }

    private Task<PurgeOutcome> PurgeAsync(int campaignId, bool early = false, bool dryRun = false) =>
        WithAsync<PersonalDataPurge, PurgeOutcome>(p => p.PurgeAsync(campaignId, Actor.Command, early, dryRun, Ct));

    private Task<DatabaseDump> DumpAsync() => WithDbAsync(db => DatabaseDump.ReadAsync(db, Ct));

    private Task<Dictionary<Type, string>> TablesAsync() => WithDbAsync(db => Task.FromResult(
        PersonalColumns.ToDictionary(e => e.Entity, e => db.Model.FindEntityType(e.Entity)!.GetTableName()!)));

    /// <summary>The id of the contributor of this name in a dump, or null.</summary>
    private static int? ContributorIdOf(DatabaseDump dump, Dictionary<Type, string> tables, string name) =>
        dump.Cells.Where(c => c.Table == tables[typeof(Contributor)] && c.Column == nameof(Contributor.Name) && c.Value == name)
            .Select(c => (int?)int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
}

public sealed class PersonalDataPurgeTests_Sqlite(SqliteStore store) : PersonalDataPurgeTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class PersonalDataPurgeTests_Postgres(PostgresStore store) : PersonalDataPurgeTests<PostgresStore>(store), IClassFixture<PostgresStore>;
