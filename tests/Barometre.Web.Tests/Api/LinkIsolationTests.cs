using System.Net;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Api;

/// <summary>A link opens one collectivité's questionnaire and nothing else.</summary>
public abstract class LinkIsolationTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Answers_WrittenWithOneLink_AreInvisibleThroughAnother()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var other = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        foreach (var (question, level) in new[] { ("gouvernance.strategie", 4), ("gouvernance.pilotage", 3), ("services.demarches", 2) })
        {
            (await client.PutAnswerAsync(campaign.A.Token, question, new { level, comment = $"A {question}" }, cancellationToken: Ct)).Dispose();
        }
        (await client.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { status = "NC", comment = "B seulement" }, cancellationToken: Ct)).Dispose();

        var a = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        var b = await client.ReadQuestionnaireAsync(campaign.B.Token, Ct);
        var c = await client.ReadQuestionnaireAsync(campaign.C.Token, Ct);
        var otherA = await client.ReadQuestionnaireAsync(other.A.Token, Ct);
        Assert.Equal((campaign.A.Code, 3, "in_progress"), (a.Collectivite.Code, a.Answered, a.Status));
        Assert.Equal((4, "A gouvernance.strategie", 1), (a.Answer("gouvernance.strategie").Level, a.Answer("gouvernance.strategie").Comment, a.Answer("gouvernance.strategie").Version));
        Assert.Equal((campaign.B.Code, 1), (b.Collectivite.Code, b.Answered));
        Assert.Equal(("NC", "B seulement", 1), (b.Answer("gouvernance.strategie").Status, b.Answer("gouvernance.strategie").Comment, b.Answer("gouvernance.strategie").Version));
        Assert.Null(b.Answer("gouvernance.pilotage").Level);
        Assert.Equal((0, "not_started"), (c.Answered, c.Status));
        Assert.Equal((0, "not_started"), (otherA.Answered, otherA.Status));

        var rows = await App.WithDbAsync(db => db.Answers.AsNoTracking()
            .Where(x => x.Participant!.CampaignId == campaign.Id || x.Participant!.CampaignId == other.Id)
            .Select(x => new { x.ParticipantId, x.QuestionId, x.Level, x.Comment }).ToListAsync(Ct));
        Assert.Equal(4, rows.Count);
        Assert.All(rows.Where(r => r.Comment!.StartsWith("A ", StringComparison.Ordinal)), r => Assert.Equal(campaign.A.ParticipantId, r.ParticipantId));
        Assert.Equal(campaign.B.ParticipantId, Assert.Single(rows, r => r.Comment == "B seulement").ParticipantId);
    }

    [Fact]
    public async Task Version_OfAnotherLinksAnswer_DoesNotLetAWriteThroughOrConflict()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        for (var i = 0; i < 3; i++)
        {
            (await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = i }, cancellationToken: Ct)).Dispose();
        }

        // B's own answer is at version 0, whatever A's is.
        using var stale = await client.PutAnswerAsync(campaign.B.Token, "services.mediation", new { level = 1 }, "\"3\"", cancellationToken: Ct);
        using var fresh = await client.PutAnswerAsync(campaign.B.Token, "services.mediation", new { level = 1 }, "\"0\"", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal((1, 1), ((await fresh.AnswerAsync(Ct)).Level, (await client.ReadQuestionnaireAsync(campaign.B.Token, Ct)).Answer("services.mediation").Version));
        Assert.Equal((2, 3), ((await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("services.mediation").Level, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("services.mediation").Version));
    }

    [Fact]
    public async Task Contributor_OfAnotherCollectivite_IsNotTakenForTheirName()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var alice = await App.AddContributorAsync(campaign.A, "Alice Martin", Ct);
        var bruno = await App.AddContributorAsync(campaign.B, "Bruno Petit", Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2 }, contributor: bruno, cancellationToken: Ct);
        using var submit = await client.SubmitAsync(campaign.B.Token, alice, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"lien {campaign.A.Code}", (await response.AnswerAsync(Ct)).UpdatedBy);
        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
    }

    [Fact]
    public async Task Submit_OfOneLink_LeavesTheOthersOpen()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        (await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();

        Assert.Equal("submitted", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
        var b = await client.ReadQuestionnaireAsync(campaign.B.Token, Ct);
        Assert.Equal(("not_started", false), (b.Status, b.ReadOnly));
        using var put = await client.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 2 }, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Fact]
    public async Task Revoking_OneLink_LeavesTheOthersWorking()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        await App.RevokeAsync(campaign.A, Ct);

        using var a = await client.GetQuestionnaireAsync(campaign.A.Token, Ct);
        using var b = await client.GetQuestionnaireAsync(campaign.B.Token, Ct);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK), (a.StatusCode, b.StatusCode));
    }
}

public sealed class LinkIsolationTests_Sqlite(SqliteDatabase database) : LinkIsolationTests<SqliteDatabase>(database);

public sealed class LinkIsolationTests_Postgres(PostgresDatabase database) : LinkIsolationTests<PostgresDatabase>(database);
