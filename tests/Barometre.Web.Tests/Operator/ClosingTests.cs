using System.Globalization;
using System.Net;
using System.Text.Json;
using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>
/// /admin/campagnes/{id}/cloture and …/resultats: closing with a review window (the API accepts changes
/// until its end, then 409), freezing, and the frozen results (JSON, study, answers).
/// </summary>
/// <remarks>The tests move the class's fake clock forward; each creates its campaign first and moves the clock relative to it.</remarks>
public abstract class ClosingTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Close_WithReviewWindow_RespondentsMayChangeAnswersUntilItsEndThenFreeze()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2 }, cancellationToken: Ct)).Dispose();
        (await respondent.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();
        (await respondent.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 1 }, cancellationToken: Ct)).Dispose();
        var end = App.Now.AddHours(3);
        end = end.AddTicks(-(end.Ticks % TimeSpan.TicksPerMinute));
        var endText = ParisTime.LocalText(end);
        var path = $"/admin/campagnes/{campaign.Id}/cloture";

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Close']", fields =>
        {
            Html.Set(fields, "Mode", "relecture");
            Html.Set(fields, "ReviewEnd", endText);
        }, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/campagnes/{campaign.Id}", OperatorPages.PathOf(response.Headers.Location));
        var followUp = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}", Ct);
        Assert.Contains($"jusqu'au {ParisTime.DateAndTime(end)}", followUp.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("En relecture", followUp.QuerySelector(".campaign-state .badge")!.TextContent.Trim());
        var stored = await App.WithDbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaign.Id, Ct));
        Assert.Equal((CampaignStatus.Review, end), (stored.Status, stored.ReviewEndsAt));

        // During the review, the submitted collectivité and the other one may still correct their answers.
        var document = await respondent.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(("review", false), (document.Campaign.Status, document.ReadOnly));
        using (var corrected = await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 3 }, "\"1\"", cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        }
        App.Clock.SetUtcNow(end.AddMinutes(-1));
        using (var lastMinute = await respondent.PutAnswerAsync(campaign.B.Token, "services.demarches", new { level = 4 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, lastMinute.StatusCode);
        }
        (await respondent.SubmitAsync(campaign.B.Token, cancellationToken: Ct)).Dispose();

        App.Clock.SetUtcNow(end.AddSeconds(1));
        using (var late = await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 4 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            Assert.Equal("La période de relecture est terminée : les réponses sont figées.", (await late.JsonAsync(Ct)).GetProperty("detail").GetString());
        }
        using (var lateSubmit = await respondent.SubmitAsync(campaign.C.Token, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, lateSubmit.StatusCode);
        }
        Assert.Contains("La période de relecture est terminée", Html.Text(await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}", Ct)), StringComparison.Ordinal);

        // Freezing needs the confirmation box.
        using (var unconfirmed = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Freeze']", cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
            Assert.Contains("Cochez la case de confirmation", (await Html.ParseAsync(unconfirmed, Ct)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        }
        using var frozen = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Freeze']", fields => Html.Set(fields, "Confirm", "true"), Ct);

        Assert.Equal(HttpStatusCode.Redirect, frozen.StatusCode);
        Assert.Equal($"/admin/campagnes/{campaign.Id}/resultats", OperatorPages.PathOf(frozen.Headers.Location));
        var results = await ResultsJsonAsync(operatorClient, campaign.Id);
        Assert.Equal(1, results.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(2, results.GetProperty("respondents").GetInt32());
        Assert.Equal("modele-test", results.GetProperty("referential").GetString());
        // The answers frozen are those corrected during the review.
        var csv = await (await operatorClient.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}/resultats?handler=Csv", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct);
        var rowA = csv.Split('\n').Single(l => l.StartsWith(campaign.A.Code, StringComparison.Ordinal));
        Assert.Contains(";3;", rowA.Replace(',', ';'), StringComparison.Ordinal);
        // The snapshot as a workbook: the same answers, read back by the responses import.
        using (var workbook = await operatorClient.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}/resultats?handler=Csv&format=xlsx", UriKind.Relative), Ct))
        {
            Assert.Equal($"reponses-campagne-{campaign.Id}.xlsx", workbook.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var model = Barometre.Data.Import.ModelFile.Read(new StringReader(TestModels.Small), "modele.yaml").GetValueOrThrow();
            var fromCsv = Barometre.Data.Import.ResponsesCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "reponses.csv", model).GetValueOrThrow();
            var fromWorkbook = Barometre.Data.Import.ResponsesCsv.Read(new MemoryStream(await workbook.Content.ReadAsByteArrayAsync(Ct)), "reponses.xlsx", model).GetValueOrThrow();
            Assert.Equal(fromCsv.Respondents, fromWorkbook.Respondents);
            Assert.Equal(fromCsv.Cells.ToArray(), fromWorkbook.Cells.ToArray());
        }
        using (var afterFreeze = await respondent.PutAnswerAsync(campaign.B.Token, "services.demarches", new { level = 0 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, afterFreeze.StatusCode);
        }
    }

    [Fact]
    public async Task Close_ReviewEndInThePastOrUnreadable_IsRefusedWithAFrenchError()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        var path = $"/admin/campagnes/{campaign.Id}/cloture";

        foreach (var (value, error) in new[]
        {
            (ParisTime.LocalText(App.Now.AddDays(-1)), "La fin de la relecture doit être dans le futur."),
            ("demain", "Date « demain » illisible : attendu par exemple 2026-12-15T18:00."),
            ("", "Indiquez la date et l'heure de fin de la relecture."),
        })
        {
            using var response = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Close']", fields =>
            {
                Html.Set(fields, "Mode", "relecture");
                Html.Set(fields, "ReviewEnd", value);
            }, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(error, (await Html.ParseAsync(response, Ct)).QuerySelector("[role=alert]")!.TextContent.Trim());
        }
        Assert.Equal(CampaignStatus.Open, await App.WithDbAsync(db => db.Campaigns.Where(c => c.Id == campaign.Id).Select(c => c.Status).SingleAsync(Ct)));
    }

    [Fact]
    public async Task CloseNow_WithoutSubmission_IsRefusedAndWithOne_OffersJsonAndStudy()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        var path = $"/admin/campagnes/{campaign.Id}/cloture";
        void Now(List<KeyValuePair<string, string>> fields)
        {
            Html.Set(fields, "Mode", "maintenant");
            Html.Set(fields, "Confirm", "true");
        }
        using (var unconfirmed = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Close']", fields => Html.Set(fields, "Mode", "maintenant"), Ct))
        {
            Assert.Contains("Cochez la case de confirmation", (await Html.ParseAsync(unconfirmed, Ct)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        }
        using (var nothing = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Close']", Now, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, nothing.StatusCode);
            Assert.Equal("Aucun questionnaire n'a été transmis : il n'y a rien à calculer.", (await Html.ParseAsync(nothing, Ct)).QuerySelector("[role=alert]")!.TextContent.Trim());
        }
        Assert.Equal(CampaignStatus.Open, await App.WithDbAsync(db => db.Campaigns.Where(c => c.Id == campaign.Id).Select(c => c.Status).SingleAsync(Ct)));
        using (var early = await operatorClient.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}/resultats?handler=Json", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }
        Assert.Contains("Les résultats apparaissent à la clôture", Html.Text(await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/resultats", Ct)), StringComparison.Ordinal);

        foreach (var (collectivite, level) in new[] { (campaign.A, 1), (campaign.B, 3), (campaign.C, 4) })
        {
            foreach (var question in campaign.QuestionIds)
            {
                (await respondent.PutAnswerAsync(collectivite.Token, question, new { level }, cancellationToken: Ct)).Dispose();
            }
        }
        (await respondent.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();
        (await respondent.SubmitAsync(campaign.B.Token, cancellationToken: Ct)).Dispose();

        using var closed = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Close']", Now, Ct);

        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var page = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/resultats", Ct);
        Assert.Contains("2 collectivité(s)", page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(
            ["?handler=Study", "?handler=Json", "?handler=Csv", "?handler=Csv&format=csv-fr", "?handler=Csv&format=xlsx"],
            page.QuerySelectorAll("ul.downloads a").Select(a => a.GetAttribute("href")));
        Assert.Equal(["Gouvernance numérique", "Services aux usagers"], page.QuerySelectorAll("#classement ~ table tbody th").Select(th => th.TextContent.Trim()).Order(StringComparer.Ordinal));

        var results = await ResultsJsonAsync(operatorClient, campaign.Id);
        Assert.Equal(1, results.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(2, results.GetProperty("respondents").GetInt32());
        Assert.Equal([campaign.A.Code, campaign.B.Code], results.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("code").GetString()).Order(StringComparer.Ordinal));

        using var study = await operatorClient.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}/resultats?handler=Study", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, study.StatusCode);
        Assert.Equal("text/html", study.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"etude-campagne-{campaign.Id}.html", study.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var html = await Html.ParseAsync(study, Ct);
        Assert.Equal("fr", html.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Gouvernance numérique", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(html.QuerySelectorAll("link[rel=stylesheet][href^=http], script[src]"));

        // Closed: the respondents' links are read-only, nothing reopens.
        using (var put = await respondent.PutAnswerAsync(campaign.C.Token, "services.demarches", new { level = 0 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        }
        Assert.Contains("La campagne est close", Html.Text(await Html.GetAsync(operatorClient, path, Ct)), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ResultsJsonAsync(HttpClient client, int campaignId)
    {
        using var response = await client.GetAsync(new Uri($"/admin/campagnes/{campaignId}/resultats?handler=Json", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"resultats-campagne-{campaignId.ToString(CultureInfo.InvariantCulture)}.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }
}

public sealed class ClosingTests_Sqlite(SqliteDatabase database) : ClosingTests<SqliteDatabase>(database);

public sealed class ClosingTests_Postgres(PostgresDatabase database) : ClosingTests<PostgresDatabase>(database);
