using System.Net;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Api;

/// <summary>
/// One link cannot make other collectivités' saves fail: the group commit puts the saves waiting at a moment in one
/// transaction, and a save that the database refuses must fail alone.
/// </summary>
public abstract class WriterIsolationTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    /// <summary>The comment the test's trigger makes the database refuse (written again in its SQL).</summary>
    private const string Poison = "refusé par la base";

    [Fact]
    public async Task Put_SavesTheDatabaseRefusesBesideHonestOnes_OnlyTheRefusedFail()
    {
        // Validation now refuses what PostgreSQL refused (U+0000), so the poison is a trigger: the database alone refuses
        // these rows, as it would any value or constraint validation did not foresee. 8 poisoned writers beside 32 honest
        // ones, as in the issue (there, 92 % of the honest saves got 500 on PostgreSQL).
        const int honest = 32, poisoned = 8, rounds = 4;
        var campaign = await App.SeedCampaignAsync(collectivites: honest + poisoned, cancellationToken: Ct);
        var questions = campaign.QuestionIds;
        await InstallPoisonAsync();
        try
        {
            using var client = Client();
            for (var round = 0; round < rounds; round++)
            {
                var question = questions[round % questions.Count];
                var responses = await Task.WhenAll(campaign.Collectivites.Select((collectivite, i) => SendAsync(
                    client.PutAnswerAsync(collectivite.Token, question, new { level = round % 5, comment = i < poisoned ? Poison : $"honnête {i} tour {round}" }, cancellationToken: Ct))));

                var failedHonest = responses.Skip(poisoned).Where(r => r.Status != HttpStatusCode.OK).ToList();
                Assert.True(failedHonest.Count == 0,
                    $"Round {round}: {failedHonest.Count} of {honest} honest saves failed ({string.Join(", ", failedHonest.Select(r => (int)r.Status).Distinct())}).");
                Assert.All(responses.Take(poisoned), r =>
                {
                    Assert.True(r.Status == HttpStatusCode.BadRequest, $"{(int)r.Status}: {r.Body}");
                    Assert.Contains("La base de données a refusé cette réponse", r.Body, StringComparison.Ordinal);
                });
            }

            // Every acknowledged save is stored, every refused one left nothing.
            for (var i = 0; i < campaign.Collectivites.Count; i++)
            {
                var document = await client.ReadQuestionnaireAsync(campaign.Collectivites[i].Token, Ct);
                for (var round = 0; round < rounds; round++)
                {
                    var answer = document.Answer(questions[round % questions.Count]);
                    Assert.Equal(i < poisoned ? (null, null) : (round % 5, $"honnête {i} tour {round}"), (answer.Level, answer.Comment));
                }
            }
        }
        finally
        {
            await RemovePoisonAsync();
        }
    }

    [Fact]
    public async Task Put_OneRefusedSaveAlone_Returns400InFrenchAndTheNextSavesGoThrough()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        await InstallPoisonAsync();
        try
        {
            using var client = Client();

            using var refused = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1, comment = Poison }, cancellationToken: Ct);
            using var accepted = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1, comment = "acceptée" }, cancellationToken: Ct);

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.JsonAsync(Ct);
            Assert.Equal("Réponse invalide", problem.GetProperty("title").GetString());
            Assert.StartsWith("La base de données a refusé cette réponse", problem.GetProperty("errors").GetProperty("answer")[0].GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(1, (await accepted.AnswerAsync(Ct)).Version);
            Assert.Equal(1, await App.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.ParticipantId == campaign.A.ParticipantId && e.Action == "answer", Ct)));
        }
        finally
        {
            await RemovePoisonAsync();
        }
    }

    private Task<int> InstallPoisonAsync() => App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(Database.IsPostgresProvider
        ? """
          CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW."Comment" = 'refusé par la base' THEN RAISE EXCEPTION 'poisoned answer' USING ERRCODE = 'check_violation'; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON "Answers" FOR EACH ROW EXECUTE FUNCTION refuse_poison();
          """
        : """
          CREATE TRIGGER refuse_poison_insert BEFORE INSERT ON "Answers" WHEN NEW."Comment" = 'refusé par la base' BEGIN SELECT RAISE(ABORT, 'poisoned answer'); END;
          CREATE TRIGGER refuse_poison_update BEFORE UPDATE ON "Answers" WHEN NEW."Comment" = 'refusé par la base' BEGIN SELECT RAISE(ABORT, 'poisoned answer'); END;
          """, Ct));

    private Task<int> RemovePoisonAsync() => App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(Database.IsPostgresProvider
        ? """DROP TRIGGER refuse_poison ON "Answers"; DROP FUNCTION refuse_poison();"""
        : "DROP TRIGGER refuse_poison_insert; DROP TRIGGER refuse_poison_update;", CancellationToken.None));

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class WriterIsolationTests_Sqlite(SqliteDatabase database) : WriterIsolationTests<SqliteDatabase>(database);

public sealed class WriterIsolationTests_Postgres(PostgresDatabase database) : WriterIsolationTests<PostgresDatabase>(database);
