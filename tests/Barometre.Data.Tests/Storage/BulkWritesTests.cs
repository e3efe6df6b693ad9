using Barometre.Data.Campaigns;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Storage;

/// <summary>The bulk writes of imports store what SaveChanges would, and never overwrite a newer answer.</summary>
public abstract class BulkWritesTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    [Fact]
    public async Task UpdateAnswers_AnAnswerChangedSinceItWasRead_WritesNothingAndSaysSo()
    {
        var campaign = await SeedCampaignAsync();
        await SavedAsync(campaign.A, "gouvernance.strategie", new AnswerInput(1, null, null));
        await SavedAsync(campaign.B, "gouvernance.strategie", new AnswerInput(1, null, null));
        var read = await StoredAnswersAsync(campaign);
        // B's answer changes after the import read it.
        await SavedAsync(campaign.B, "gouvernance.strategie", new AnswerInput(2, null, null));

        var refused = await WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            List<(Answer, int)> updates = [.. read.Select(answer => (Changed(answer), answer.Version))];
            return await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => BulkWrites.UpdateAnswersAsync(db, updates, Ct));
        });

        Assert.Contains("1 réponse(s) modifiée(s) pendant l'import", refused.Message, StringComparison.Ordinal);
        var stored = (await StoredAnswersAsync(campaign)).Select(a => new { a.Level, a.Version });
        Assert.Equal([new { Level = (int?)1, Version = 1 }, new { Level = (int?)2, Version = 2 }], stored);
    }

    [Fact]
    public async Task InsertAndUpdate_StoreTheValuesSaveChangesWould()
    {
        var campaign = await SeedCampaignAsync(issueLinks: false);
        // To the microsecond: PostgreSQL keeps no finer (nor does SaveChanges there).
        var at = new DateTime(2026, 3, 14, 15, 9, 26, 535, DateTimeKind.Utc).AddTicks(8970);

        await WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await BulkWrites.InsertAsync(db, [
                new Answer { ParticipantId = campaign.A.ParticipantId, QuestionId = "gouvernance.strategie", Level = 3, Version = 1, UpdatedAt = at, UpdatedBy = "opérateur « test »" },
                new Answer { ParticipantId = campaign.B.ParticipantId, QuestionId = "gouvernance.strategie", Mark = AnswerMark.NotConcerned, Version = 1, UpdatedAt = at, Comment = "l'été ; « ok »" },
            ], Ct);
            await transaction.CommitAsync(Ct);
            return true;
        });
        var inserted = await StoredAnswersAsync(campaign);
        await WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            var b = inserted[1];
            b.Level = 4;
            b.Mark = AnswerMark.None;
            b.Version = 2;
            b.UpdatedAt = at.AddDays(1);
            b.UpdatedBy = "opérateur";
            await BulkWrites.UpdateAnswersAsync(db, [(b, 1)], Ct);
            await transaction.CommitAsync(Ct);
            return true;
        });

        var stored = await StoredAnswersAsync(campaign);
        Assert.Equal((3, AnswerMark.None, 1, at, DateTimeKind.Utc, "opérateur « test »", (string?)null),
            (stored[0].Level, stored[0].Mark, stored[0].Version, stored[0].UpdatedAt, stored[0].UpdatedAt.Kind, stored[0].UpdatedBy, stored[0].Comment));
        Assert.Equal((4, AnswerMark.None, 2, at.AddDays(1), "opérateur", "l'été ; « ok »"),
            (stored[1].Level, stored[1].Mark, stored[1].Version, stored[1].UpdatedAt, stored[1].UpdatedBy, stored[1].Comment));
        // EF's own queries compare the bulk-written timestamps as it wrote them.
        Assert.Equal(1, await WithDbAsync(db => db.Answers.CountAsync(a => a.Participant!.CampaignId == campaign.Id && a.UpdatedAt == at, Ct)));
    }

    private Task<List<Answer>> StoredAnswersAsync(SeededCampaign campaign) =>
        WithDbAsync(db => db.Answers.AsNoTracking().Where(a => a.Participant!.CampaignId == campaign.Id).OrderBy(a => a.ParticipantId).ToListAsync(Ct));

    private static Answer Changed(Answer answer) => new()
    {
        Id = answer.Id, ParticipantId = answer.ParticipantId, QuestionId = answer.QuestionId,
        Level = 4, Mark = AnswerMark.None, Version = answer.Version + 1, UpdatedAt = answer.UpdatedAt.AddMinutes(1), UpdatedBy = "import",
    };
}

public sealed class BulkWritesTests_Sqlite(SqliteStore store) : BulkWritesTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class BulkWritesTests_Postgres(PostgresStore store) : BulkWritesTests<PostgresStore>(store), IClassFixture<PostgresStore>;
