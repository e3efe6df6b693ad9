using System.Net;
using Barometre.Web.Api;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Barometre.Web.Tests.Api;

/// <summary>Several people answering at once through the same link: nothing lost, nothing overwritten, no 500.</summary>
public abstract class ConcurrencyTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Put_FortyDifferentQuestionsInParallel_AllSucceedAndAreAllStored()
    {
        var campaign = await App.SeedCampaignAsync(TestModels.Large(themes: 2, questionsPerTheme: 24), cancellationToken: Ct);
        var questions = campaign.QuestionIds.Take(40).ToList();
        using var client = Client();

        var responses = await Task.WhenAll(questions.Select((question, i) =>
            SendAsync(client.PutAnswerAsync(campaign.A.Token, question, new { level = i % 5, comment = $"réponse {i}" }, cancellationToken: Ct))));

        Assert.All(responses, r => Assert.True(r.Status == HttpStatusCode.OK, $"{r.Status}: {r.Body}"));
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(40, document.Answered);
        for (var i = 0; i < questions.Count; i++)
        {
            var answer = document.Answer(questions[i]);
            Assert.Equal((i % 5, $"réponse {i}", 1), (answer.Level, answer.Comment, answer.Version));
        }
        Assert.Equal(40, await App.WithDbAsync(db => db.Answers.CountAsync(a => a.ParticipantId == campaign.A.ParticipantId, Ct)));
        Assert.Equal(40, await App.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.ParticipantId == campaign.A.ParticipantId && a.Action == "answer", Ct)));
    }

    [Fact]
    public async Task Put_SameQuestionTwentyTimesInParallelWithIfMatch0_ExactlyOneWinsTheRestGet412()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            SendAsync(client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = i % 5, comment = $"version de la personne {i}" }, "\"0\"", cancellationToken: Ct))));

        Assert.All(responses, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.PreconditionFailed, $"{r.Status}: {r.Body}"));
        var winner = Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        var won = System.Text.Json.JsonSerializer.Deserialize<AnswerDto>(winner.Body, QuestionnaireCalls.Json)!;
        Assert.Equal(1, won.Version);
        Assert.Equal(19, responses.Count(r => r.Status == HttpStatusCode.PreconditionFailed));
        var stored = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal(won, stored);
        Assert.All(responses.Where(r => r.Status == HttpStatusCode.PreconditionFailed), r =>
            Assert.Contains($"\"comment\":\"{won.Comment}\"", r.Body, StringComparison.Ordinal));
        Assert.Equal(1, await App.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.ParticipantId == campaign.A.ParticipantId && a.Action == "answer", Ct)));
    }

    [Fact]
    public async Task Put_SameQuestionInParallelWithoutIfMatch_NeverFailsAndKeepsEveryChange()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        // First writes of a question nobody answered: every request may try to insert the row.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            SendAsync(client.PutAnswerAsync(campaign.A.Token, "services.demarches", new { level = i % 5, comment = $"écrit par {i}" }, cancellationToken: Ct))));

        Assert.All(responses, r => Assert.True(r.Status == HttpStatusCode.OK, $"{r.Status}: {r.Body}"));
        var stored = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("services.demarches");
        // Every change applied in turn (each on the version it read), the last one standing.
        Assert.Equal(20, stored.Version);
        var last = responses.Select(r => System.Text.Json.JsonSerializer.Deserialize<AnswerDto>(r.Body, QuestionnaireCalls.Json)!).Single(a => a.Version == 20);
        Assert.Equal(last, stored);
        Assert.Equal(20, await App.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.ParticipantId == campaign.A.ParticipantId && a.Action == "answer", Ct)));
        Assert.Equal(1, await App.WithDbAsync(db => db.Answers.CountAsync(a => a.ParticipantId == campaign.A.ParticipantId, Ct)));
    }

    [Fact]
    public async Task Put_FirstWritesInParallelAcrossLinksAndQuestions_NeverReturn500()
    {
        var campaign = await App.SeedCampaignAsync(collectivites: 4, cancellationToken: Ct);
        using var client = Client();

        var calls = from collectivite in campaign.Collectivites
                    from question in campaign.QuestionIds
                    from attempt in Enumerable.Range(0, 3)
                    select SendAsync(client.PutAnswerAsync(collectivite.Token, question, new { level = attempt }, cancellationToken: Ct));
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.True(r.Status == HttpStatusCode.OK, $"{r.Status}: {r.Body}"));
        Assert.Equal(20, await App.WithDbAsync(db => db.Answers.CountAsync(a => a.Participant!.CampaignId == campaign.Id, Ct)));
    }

    [Fact]
    public async Task Submit_TenTimesInParallel_SubmitsOnceAndAnswers409ToTheOthers()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => SendAsync(client.SubmitAsync(campaign.A.Token, cancellationToken: Ct))));

        Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.OK), r => Assert.True(r.Status == HttpStatusCode.Conflict, $"{r.Status}: {r.Body}"));
        Assert.Equal(1, await App.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.ParticipantId == campaign.A.ParticipantId && a.Action == "questionnaire.submit", Ct)));
    }

    [Fact]
    public async Task PutAndSubmit_Racing_NoAnswerChangesAfterTheSubmission()
    {
        var campaign = await App.SeedCampaignAsync(TestModels.Large(themes: 1, questionsPerTheme: 30), cancellationToken: Ct);
        using var client = Client();

        var puts = campaign.QuestionIds.Select(q => SendAsync(client.PutAnswerAsync(campaign.A.Token, q, new { level = 2 }, cancellationToken: Ct))).ToList();
        var submit = SendAsync(client.SubmitAsync(campaign.A.Token, cancellationToken: Ct));
        var responses = await Task.WhenAll(puts.Append(submit));

        Assert.All(responses, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{r.Status}: {r.Body}"));
        Assert.Equal(HttpStatusCode.OK, (await submit).Status);
        // The audit trail is in commit order (one writer at a time on SQLite; ids from a sequence on PostgreSQL):
        // no answer may be written after the submission.
        var trail = await App.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.ParticipantId == campaign.A.ParticipantId)
            .OrderBy(a => a.Id).Select(a => new { a.Id, a.Action, a.Subject }).ToListAsync(Ct));
        var submitted = trail.Single(a => a.Action == "questionnaire.submit").Id;
        var late = trail.Where(a => a.Action == "answer" && a.Id > submitted).Select(a => a.Subject).ToList();
        Assert.True(late.Count == 0, $"{late.Count} answer(s) written after the questionnaire was submitted: {string.Join(", ", late)}");
        var accepted = responses.Take(puts.Count).Count(r => r.Status == HttpStatusCode.OK);
        Assert.Equal(accepted, await App.WithDbAsync(db => db.Answers.CountAsync(a => a.ParticipantId == campaign.A.ParticipantId, Ct)));
    }

    protected static async Task<(HttpStatusCode Status, string Body)> SendAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class ConcurrencyTests_Sqlite(SqliteDatabase database) : ConcurrencyTests<SqliteDatabase>(database);

public sealed class ConcurrencyTests_Postgres(PostgresDatabase database) : ConcurrencyTests<PostgresDatabase>(database)
{
    // PostgreSQL only: it holds a PUT between its checks and its write with a table lock; SQLite has one lock for all writes.
    [Fact]
    public async Task Put_InFlightWhenSubmitted_LandsBeforeTheSubmission()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        await using var blocker = new NpgsqlConnection(Database.ConnectionString);
        await blocker.OpenAsync(Ct);
        await using var transaction = await blocker.BeginTransactionAsync(Ct);
        // Reads of Answers go on; writes wait: the PUT has checked the questionnaire and waits to write.
        await using (var lockAnswers = new NpgsqlCommand("LOCK TABLE \"Answers\" IN EXCLUSIVE MODE", blocker, transaction))
        {
            await lockAnswers.ExecuteNonQueryAsync(Ct);
        }

        var put = SendAsync(client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 3 }, "\"0\"", cancellationToken: Ct));
        await using (var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '\"Answers\"'::regclass", blocker, transaction))
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((long)(await waiting.ExecuteScalarAsync(Ct))! == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"The PUT never waited for the lock: {(put.IsCompleted ? (await put).Status : "still running")}");
                await Task.Delay(20, Ct);
            }
        }
        // The submission must wait for the save in flight rather than slip in between its check and its write.
        var submit = SendAsync(client.SubmitAsync(campaign.A.Token, cancellationToken: Ct));
        await Task.Delay(500, Ct);
        Assert.False(submit.IsCompleted, "The submission went through while a save of the same questionnaire was between its check and its write.");
        await transaction.RollbackAsync(Ct);
        var (putStatus, putBody) = await put;
        var (submitStatus, submitBody) = await submit;

        Assert.True(putStatus == HttpStatusCode.OK, $"PUT: {(int)putStatus} {putBody}");
        Assert.True(submitStatus == HttpStatusCode.OK, $"submit: {(int)submitStatus} {submitBody}");
        var stored = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal(1, stored.Version);
        var audit = await App.WithDbAsync(db => db.AuditEntries.Where(a => a.ParticipantId == campaign.A.ParticipantId).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
        Assert.True(audit.IndexOf("answer") < audit.IndexOf("questionnaire.submit"), $"audit order: {string.Join(", ", audit)}");
    }
}
