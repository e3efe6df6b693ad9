using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>
/// The follow-up page (/admin/campagnes/{id}) and a collectivité's page (…/collectivites/{participantId}):
/// statuses as the respondents' API calls leave them; re-issuing, revoking, reopening, reviewing evidence.
/// </summary>
public abstract class FollowUpTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task FollowUp_ShowsNotStartedInProgressAndSubmitted()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        var initial = await StatusesAsync(operatorClient, campaign.Id, null);
        Assert.All(initial.Values, s => Assert.Equal("Non commencé", s));

        (await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2 }, cancellationToken: Ct)).Dispose();
        (await respondent.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 4 }, cancellationToken: Ct)).Dispose();
        (await respondent.PutAnswerAsync(campaign.B.Token, "services.demarches", new { status = "NSP" }, cancellationToken: Ct)).Dispose();
        using (var submitted = await respondent.SubmitAsync(campaign.B.Token, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }

        var statuses = await StatusesAsync(operatorClient, campaign.Id, null);
        Assert.Equal("En cours", statuses[campaign.A.Code]);
        Assert.Equal("Transmis", statuses[campaign.B.Code]);
        Assert.Equal("Non commencé", statuses[campaign.C.Code]);
        var page = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}", Ct);
        Assert.Equal(["3 collectivités", "1 Non commencé 33 %", "1 En cours 33 %", "1 Transmis 33 %"],
            page.QuerySelectorAll("ul.counters li").Select(li => Normalise(li.TextContent)));
        var rowB = page.QuerySelectorAll("table.follow-up > tbody > tr").Single(tr => tr.QuerySelector("code")!.TextContent == campaign.B.Code);
        Assert.Equal("2 / 5", rowB.QuerySelector(".progress-cell > .num")!.TextContent.Trim());
        Assert.Equal($"/admin/campagnes/{campaign.Id}/collectivites/{campaign.B.ParticipantId}", rowB.QuerySelector("th a")!.GetAttribute("href"));

        Assert.Equal([campaign.B.Code], (await StatusesAsync(operatorClient, campaign.Id, "transmis")).Keys);
        Assert.Equal([campaign.A.Code], (await StatusesAsync(operatorClient, campaign.Id, "en-cours")).Keys);
        Assert.Equal([campaign.C.Code], (await StatusesAsync(operatorClient, campaign.Id, "non-commence")).Keys);
    }

    [Fact]
    public async Task Participant_Reissue_ShowsANewLinkOnceThatWorksAndTheOldOneStops()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 1 }, cancellationToken: Ct)).Dispose();
        var path = ParticipantPath(campaign, campaign.A);

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Reissue']", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Contains("Nouveau lien émis", page.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        var link = page.QuerySelector<IHtmlInputElement>("input#new-link")!.Value;
        Assert.StartsWith("http://localhost/q/", link, StringComparison.Ordinal);
        var token = link["http://localhost/q/".Length..];
        Assert.NotEqual(campaign.A.Token, token);
        var document = await respondent.ReadQuestionnaireAsync(token, Ct);
        Assert.Equal(1, document.Answer("gouvernance.pilotage").Level);
        using (var old = await respondent.GetQuestionnaireAsync(campaign.A.Token, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        }
        // Shown once: the page read again has no link, only its validity.
        var again = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Null(again.QuerySelector("input#new-link"));
        Assert.Contains("Un lien actif, émis le", Html.Text(again), StringComparison.Ordinal);
        Assert.DoesNotContain(token, again.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Participant_Revoke_StopsTheLinkAndKeepsTheAnswers()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 3 }, cancellationToken: Ct)).Dispose();
        var path = ParticipantPath(campaign, campaign.A);

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Revoke']", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(path, OperatorPages.PathOf(response.Headers.Location));
        var page = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Contains("Le lien est révoqué", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Aucun lien actif", Html.Text(page), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form[action$='handler=Revoke']"));
        Assert.Equal("Émettre un lien", page.QuerySelector("form[action$='handler=Reissue'] button")!.TextContent.Trim());
        using (var api = await respondent.GetQuestionnaireAsync(campaign.A.Token, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        }
        using (var home = await respondent.GetAsync(new Uri(campaign.A.Home, UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, home.StatusCode);
        }
        Assert.Contains("3 — Mise en œuvre engagée", Html.Text(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Participant_Reopen_LetsTheApiChangeAnswersAgain()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 2 }, cancellationToken: Ct)).Dispose();
        (await respondent.SubmitAsync(campaign.B.Token, cancellationToken: Ct)).Dispose();
        using (var locked = await respondent.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 3 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        }
        var path = ParticipantPath(campaign, campaign.B);
        Assert.Contains("Transmis le", Html.Text(await Html.GetAsync(operatorClient, path, Ct)), StringComparison.Ordinal);

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Reopen']", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Contains("Le questionnaire est rouvert", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("En cours", page.QuerySelector(".campaign-state .badge")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("form[action$='handler=Reopen']"));
        using (var put = await respondent.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 3 }, "\"1\"", cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var document = await respondent.ReadQuestionnaireAsync(campaign.B.Token, Ct);
        Assert.Equal(("in_progress", 3), (document.Status, document.Answer("gouvernance.strategie").Level));
        using (var resubmitted = await respondent.SubmitAsync(campaign.B.Token, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, resubmitted.StatusCode);
        }
    }

    [Fact]
    public async Task Participant_Reopen_WhenNotSubmitted_SaysSoAndChangesNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        var path = ParticipantPath(campaign, campaign.C);
        var page = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Null(page.QuerySelector("form[action$='handler=Reopen']"));

        // A stale form (the questionnaire was reopened elsewhere meanwhile) posted anyway.
        using var response = await Html.PostFormAsync(operatorClient, path + "?handler=Reopen", [new(Html.AntiforgeryField, Html.AntiforgeryToken(page))], Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Contains("Le questionnaire n'était pas transmis", after.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.ParticipantId == campaign.C.ParticipantId && a.Action == "questionnaire.reopen", Ct)));
    }

    [Fact]
    public async Task Participant_EvidenceReview_IsRecordedShownAndJournaled()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, "services.demarches",
            new { level = 4, evidenceUrl = "https://exemple.fr/demarches", evidenceText = "Portail ouvert en 2025" }, cancellationToken: Ct)).Dispose();
        var path = ParticipantPath(campaign, campaign.A);
        var page = await Html.GetAsync(operatorClient, path, Ct);
        var block = page.QuerySelector("#q-services-demarches")!;
        Assert.Equal("Non examiné", block.QuerySelector(".badge")!.TextContent.Trim());
        Assert.Equal("https://exemple.fr/demarches", block.QuerySelector("a[rel~=noopener]")!.GetAttribute("href"));
        Assert.Contains("1 justificatif(s) à examiner", page.QuerySelector(".campaign-state")!.TextContent, StringComparison.Ordinal);

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "#q-services-demarches form.review-form", fields =>
        {
            Html.Set(fields, "note", "Vérifié sur le portail");
            Html.Set(fields, "review", "douter");
        }, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(path + "#q-services-demarches", response.Headers.Location?.OriginalString);
        var after = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Contains("Justificatif de la question services.demarches : mis en doute.", after.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Mis en doute — Vérifié sur le portail", Normalise(after.QuerySelector("#q-services-demarches dd span.block.small")!.TextContent));
        var answer = await App.WithDbAsync(db => db.Answers.AsNoTracking().SingleAsync(a => a.ParticipantId == campaign.A.ParticipantId && a.QuestionId == "services.demarches", Ct));
        Assert.Equal((EvidenceReview.Questioned, "Vérifié sur le portail"), (answer.EvidenceReview, answer.EvidenceReviewNote));
        var journal = after.QuerySelectorAll("table.audit tbody tr").Select(tr => Normalise(tr.TextContent)).ToList();
        Assert.Contains(journal, row => row.Contains("Justificatif examiné evidence.review services.demarches", StringComparison.Ordinal)
            && row.Contains("avant : justification à examiner → après : justification mise en doute Vérifié sur le portail", StringComparison.Ordinal)
            && row.Contains("opérateur operateur-", StringComparison.Ordinal));
        Assert.DoesNotContain("justificatif(s) à examiner", after.QuerySelector(".campaign-state")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Vu\u001B", "La note contient un caractère de contrôle (U+001B, position 3) : il tient sur une ligne, sans caractère de contrôle. Rien n'a été enregistré.")]
    [InlineData("N*2001", "La note dépasse 2000 caractères (2001). Rien n'a été enregistré.")]
    public async Task Participant_EvidenceReviewNoteWithControlCharacterOrTooLong_IsRefusedAndChangesNothing(string note, string message)
    {
        note = note == "N*2001" ? new string('n', 2001) : note;
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, "services.demarches", new { level = 4, evidenceText = "Portail ouvert en 2025" }, cancellationToken: Ct)).Dispose();
        var path = ParticipantPath(campaign, campaign.A);

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "#q-services-demarches form.review-form", fields =>
        {
            Html.Set(fields, "note", note);
            Html.Set(fields, "review", "accepter");
        }, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await Html.GetAsync(operatorClient, OperatorPages.PathOf(response.Headers.Location), Ct);
        Assert.Equal(message, after.QuerySelector("[role=alert]")!.TextContent.Trim());
        var answer = await App.WithDbAsync(db => db.Answers.AsNoTracking().SingleAsync(a => a.ParticipantId == campaign.A.ParticipantId && a.QuestionId == "services.demarches", Ct));
        Assert.Equal((EvidenceReview.Pending, null), (answer.EvidenceReview, answer.EvidenceReviewNote));
    }

    [Fact]
    public async Task Participant_OperatorAnswer_IsSavedInTheOperatorsNameAndSeenByTheApi()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var credentials = await App.AddOperatorAsync(Ct);
        using var operatorClient = await App.SignedInClientAsync(credentials, Ct);
        var path = ParticipantPath(campaign, campaign.C) + "?question=services.mediation";

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "form.operator-answer", fields =>
        {
            Html.Set(fields, "Answer.Choice", "2");
            Html.Set(fields, "Answer.Comment", "Reçu par courrier");
        }, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var respondent = Client();
        var answer = (await respondent.ReadQuestionnaireAsync(campaign.C.Token, Ct)).Answer("services.mediation");
        Assert.Equal((2, "Reçu par courrier", $"opérateur {credentials.Email}"), (answer.Level, answer.Comment, answer.UpdatedBy));
    }

    private static string ParticipantPath(SeededCampaign campaign, SeededCollectivite collectivite) =>
        $"/admin/campagnes/{campaign.Id}/collectivites/{collectivite.ParticipantId}";

    /// <summary>The follow-up table (optionally filtered): status label by code.</summary>
    private static async Task<Dictionary<string, string>> StatusesAsync(HttpClient client, int campaignId, string? filter)
    {
        var page = await Html.GetAsync(client, $"/admin/campagnes/{campaignId}" + (filter is null ? "" : $"?statut={filter}"), Ct);
        return page.QuerySelectorAll("table.follow-up > tbody > tr").ToDictionary(
            tr => tr.QuerySelector("td code")!.TextContent,
            tr => tr.QuerySelector("td .badge")!.TextContent.Trim(),
            StringComparer.Ordinal);
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

public sealed class FollowUpTests_Sqlite(SqliteDatabase database) : FollowUpTests<SqliteDatabase>(database);

public sealed class FollowUpTests_Postgres(PostgresDatabase database) : FollowUpTests<PostgresDatabase>(database);
