using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>/admin/campagnes/{id}/reponses: answers imported from the wide CSV, then seen through the API.</summary>
public abstract class AnswerImportTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string Header = "code;nom;gouvernance.strategie;gouvernance.pilotage;gouvernance.evaluation;services.demarches;services.mediation";

    [Fact]
    public async Task Import_WideCsv_AnswersAreVisibleThroughTheApiAndEmptyCellsKeepAnswers()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 1, comment = "en ligne" }, cancellationToken: Ct)).Dispose();
        var csv = $"{Header}\n{campaign.A.Code};{campaign.A.Name};3;NSP;;4;\n{campaign.B.Code};{campaign.B.Name};0;1;2;NC;4\n";

        using var response = await ImportAsync(operatorClient, campaign.Id, csv);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/reponses", Ct);
        Assert.Contains("« papier.csv » importé : 8 réponse(s) modifiée(s) pour 2 collectivité(s).", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var a = await respondent.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal((3, (string?)null), (a.Answer("gouvernance.strategie").Level, a.Answer("gouvernance.strategie").Status));
        Assert.Equal("NSP", a.Answer("gouvernance.pilotage").Status);
        Assert.Null(a.Answer("gouvernance.evaluation").Level);
        Assert.Equal(0, a.Answer("gouvernance.evaluation").Version);
        Assert.Equal(4, a.Answer("services.demarches").Level);
        // The empty cell left the respondent's own answer, comment included.
        Assert.Equal((1, "en ligne", 1), (a.Answer("services.mediation").Level, a.Answer("services.mediation").Comment, a.Answer("services.mediation").Version));
        Assert.Equal("in_progress", a.Status);
        var b = await respondent.ReadQuestionnaireAsync(campaign.B.Token, Ct);
        Assert.Equal([0, 1, 2, null, 4], b.Themes.SelectMany(t => t.Questions).Select(q => q.Answer.Level));
        Assert.Equal("NC", b.Answer("services.demarches").Status);
        Assert.StartsWith("opérateur ", b.Answer("services.demarches").UpdatedBy, StringComparison.Ordinal);
        Assert.Equal("in_progress", b.Status);
        Assert.Equal(8, await App.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.CampaignId == campaign.Id && e.Action == "answer.import", Ct)));

        // The same file again changes nothing.
        using var again = await ImportAsync(operatorClient, campaign.Id, csv);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("aucune réponse ne change", (await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/reponses", Ct)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ChangedCells_UpdateTheStoredAnswersAsASaveWould()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 1, comment = "en ligne" }, cancellationToken: Ct)).Dispose();
        (await ImportAsync(operatorClient, campaign.Id, $"{Header}\n{campaign.A.Code};{campaign.A.Name};3;NSP;;;\n")).Dispose();
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        var secondImport = App.Clock.GetUtcNow().UtcDateTime;

        using var response = await ImportAsync(operatorClient, campaign.Id, $"{Header}\n{campaign.A.Code};{campaign.A.Name};4;NSP;;;NC\n");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var a = await respondent.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal((4, 2), (a.Answer("gouvernance.strategie").Level, a.Answer("gouvernance.strategie").Version));
        Assert.Equal(("NSP", 1), (a.Answer("gouvernance.pilotage").Status, a.Answer("gouvernance.pilotage").Version));   // unchanged
        // The respondent's answer becomes NC; its comment stays.
        Assert.Equal(("NC", (int?)null, "en ligne", 2), (a.Answer("services.mediation").Status, a.Answer("services.mediation").Level, a.Answer("services.mediation").Comment, a.Answer("services.mediation").Version));
        var stored = await App.WithDbAsync(db => db.Answers.AsNoTracking().SingleAsync(x => x.ParticipantId == campaign.A.ParticipantId && x.QuestionId == "gouvernance.strategie", Ct));
        Assert.Equal((secondImport, DateTimeKind.Utc, AnswerMark.None), (stored.UpdatedAt, stored.UpdatedAt.Kind, stored.Mark));
        var audits = await App.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.CampaignId == campaign.Id && e.Action == "answer.import" && e.At == secondImport).OrderBy(e => e.Subject).ToListAsync(Ct));
        Assert.Equal([("gouvernance.strategie", "niveau 3", "niveau 4"), ("services.mediation", "niveau 1 ; commentaire « en ligne »", "NC ; commentaire « en ligne »")],
            audits.Select(e => (e.Subject, e.OldValue, e.NewValue)));
        Assert.All(audits, e => Assert.Equal(campaign.A.ParticipantId, e.ParticipantId));

        // The versions stored are those the questionnaire goes on from.
        using var stale = await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1 }, "\"1\"", cancellationToken: Ct);
        using var fresh = await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1 }, "\"2\"", cancellationToken: Ct);
        Assert.Equal((HttpStatusCode.PreconditionFailed, HttpStatusCode.OK), (stale.StatusCode, fresh.StatusCode));
    }

    [Fact]
    public async Task Import_FaultyFile_ListsEveryProblemAndImportsNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        var csv = $"{Header}\n{campaign.A.Code};{campaign.A.Name};3;7;;;\n{campaign.B.Code};{campaign.B.Name};1;;;oui;\n";

        using var response = await ImportAsync(operatorClient, campaign.Id, csv);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        var problems = page.QuerySelectorAll("ul.problems li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("papier.csv:2:4: colonne gouvernance.pilotage : valeur « 7 » invalide", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("papier.csv:3:6: colonne services.demarches : valeur « oui » invalide", problems[1], StringComparison.Ordinal);
        Assert.False(await App.WithDbAsync(db => db.Answers.AnyAsync(x => x.Participant!.CampaignId == campaign.Id, Ct)));
    }

    [Fact]
    public async Task Import_CollectiviteOutsideThePanel_IsRefusedWholly()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        var csv = $"{Header}\n{campaign.A.Code};{campaign.A.Name};3;;;;\n999999999;Inconnue;1;;;;\n";

        using var response = await ImportAsync(operatorClient, campaign.Id, csv);

        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal(["papier.csv: la collectivité « 999999999 » (Inconnue) n'est pas dans le panel de la campagne"],
            page.QuerySelectorAll("ul.problems li").Select(li => li.TextContent.Trim()));
        Assert.False(await App.WithDbAsync(db => db.Answers.AnyAsync(x => x.Participant!.CampaignId == campaign.Id, Ct)));
    }

    [Fact]
    public async Task Template_HasEveryCollectiviteAndTheCurrentAnswers()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.B.Token, "gouvernance.pilotage", new { level = 2 }, cancellationToken: Ct)).Dispose();

        using var response = await operatorClient.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}/reponses?handler=Template", UriKind.Relative), Ct);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Contains(campaign.B.Code, lines[2], StringComparison.Ordinal);
        Assert.Contains("gouvernance.pilotage", lines[0], StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, int campaignId, string csv) =>
        OperatorPages.UploadAsync(client, $"/admin/campagnes/{campaignId}/reponses", "main form[enctype='multipart/form-data']", new Dictionary<string, string>(),
            [new UploadedFile("ResponsesUpload", "papier.csv", csv)], Ct);
}

public sealed class AnswerImportTests_Sqlite(SqliteDatabase database) : AnswerImportTests<SqliteDatabase>(database);

public sealed class AnswerImportTests_Postgres(PostgresDatabase database) : AnswerImportTests<PostgresDatabase>(database);
