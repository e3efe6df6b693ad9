using System.Net;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Barometre.Core;
using Barometre.Web.Api;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>
/// An operator's doubt about an answer's evidence reaching the collectivité: shown with its note on the questionnaire's
/// home, theme page and API; replied to through the page (without JavaScript) or the API; read by the operator beside the
/// answer, then lifted; each step in the audit trail, the follow-up's counts and its CSV; another collectivité's link sees
/// none of it, and a questionnaire that takes no change takes no reply.
/// </summary>
public abstract class EvidenceDoubtTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string Question = "services.demarches";

    [Fact]
    public async Task Doubt_ReachesTheQuestionnaire_TheReplyReachesTheOperator_WhoLiftsIt()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        using var other = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, Question, new { level = 4, evidenceText = "Portail ouvert en 2025" }, cancellationToken: Ct)).Dispose();
        (await other.PutAnswerAsync(campaign.B.Token, Question, new { level = 2, evidenceText = "Portail en projet" }, cancellationToken: Ct)).Dispose();
        var participant = $"/admin/campagnes/{campaign.Id}/collectivites/{campaign.A.ParticipantId}";

        await ReviewAsync(operatorClient, participant, "douter", "Date de mise en ligne à confirmer");

        var home = await Html.GetAsync(respondent, campaign.A.Home, Ct);
        Assert.Equal("Une réponse mise en doute par l'organisateur", home.QuerySelector("#doutes")!.TextContent);
        Assert.Equal($"{campaign.A.Home}/theme/2#q-services-demarches", home.QuerySelector("section.doubts li a")!.GetAttribute("href"));
        Assert.Equal("En attente de réponse", home.QuerySelector("section.doubts li .badge")!.TextContent);
        var theme = await Html.GetAsync(respondent, $"{campaign.A.Home}/theme/2", Ct);
        var doubt = theme.QuerySelector("#q-services-demarches .doubt")!;
        Assert.StartsWith("L'organisateur met en doute la justification de cette réponse (le ", Html.TextOf(doubt), StringComparison.Ordinal);
        Assert.Equal("« Date de mise en ligne à confirmer »", doubt.QuerySelector(".doubt-note")!.TextContent);
        Assert.NotNull(theme.QuerySelector("form#reponse-services-demarches"));
        var api = await respondent.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        var awaiting = api.Themes.SelectMany(t => t.Questions).Single(q => q.Id == Question).Doubt!;
        Assert.Equal(("awaiting_reply", "Date de mise en ligne à confirmer", (string?)null), (awaiting.State, awaiting.Note, awaiting.Reply));

        // Another collectivité's link shows no doubt and has none to reply to.
        Assert.All((await other.ReadQuestionnaireAsync(campaign.B.Token, Ct)).Themes.SelectMany(t => t.Questions), q => Assert.Null(q.Doubt));
        Assert.Null((await Html.GetAsync(other, $"{campaign.B.Home}/theme/2", Ct)).QuerySelector(".doubt"));
        Assert.Null((await Html.GetAsync(other, campaign.B.Home, Ct)).QuerySelector("section.doubts"));
        using (var foreign = await PutReplyAsync(other, campaign.B.Token, Question, """{"reply": "Voici la pièce"}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, foreign.StatusCode);
        }

        // The reply, through the page without JavaScript.
        var form = theme.QuerySelector<IHtmlFormElement>("form#reponse-services-demarches")!;
        var fields = Html.Fields(form);
        Html.Set(fields, "Reply", "La délibération du 12 mai 2025 est en ligne :\nhttps://exemple.fr/deliberation.pdf");
        using var replied = await Html.PostFormAsync(respondent, form.GetAttribute("action")!, fields, Ct);
        Assert.Equal(HttpStatusCode.Redirect, replied.StatusCode);
        Assert.Equal($"{campaign.A.Home}/theme/2?reponse=1#q-services-demarches", replied.Headers.Location?.OriginalString);
        var after = await Html.GetAsync(respondent, $"{campaign.A.Home}/theme/2?reponse=1", Ct);
        Assert.Equal("Votre réponse est transmise à l'organisateur.", after.QuerySelector(".notice.success")!.TextContent.Trim());
        Assert.Equal("La délibération du 12 mai 2025 est en ligne :\nhttps://exemple.fr/deliberation.pdf", after.QuerySelector("#q-services-demarches .doubt-reply")!.TextContent);
        var answerVersion = api.Themes.SelectMany(t => t.Questions).Single(q => q.Id == Question).Answer.Version;
        var repliedApi = (await respondent.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Themes.SelectMany(t => t.Questions).Single(q => q.Id == Question);
        Assert.Equal(("replied", answerVersion), (repliedApi.Doubt!.State, repliedApi.Answer.Version));
        Assert.Equal(App.Now, repliedApi.Doubt.RepliedAt);

        // The operator reads it beside the answer, and the follow-up counts it.
        var operatorPage = await Html.GetAsync(operatorClient, participant, Ct);
        var facts = Html.TextOf(operatorPage.QuerySelector("#q-services-demarches .doubt-facts")!);
        Assert.StartsWith("Réponse reçue mis en doute (ou maintenu) le ", facts, StringComparison.Ordinal);
        Assert.True(facts.Contains(Normalise($"Réponse de la collectivité, le {ParisTime.DateAndTime(App.Now)} : La délibération du 12 mai 2025 est en ligne : https://exemple.fr/deliberation.pdf"), StringComparison.Ordinal), facts);
        Assert.Equal(["Lever le doute (accepter)", "Maintenir le doute"], operatorPage.QuerySelectorAll("#q-services-demarches form.review-form button").Select(b => b.TextContent));
        var followUp = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}", Ct);
        Assert.Equal("Doutes : 1 réponse reçue", Html.TextOf(followUp.QuerySelector(".doubts-summary")!));
        Assert.Equal(["1 réponse reçue", "—", "—"], followUp.QuerySelectorAll("table.follow-up > tbody > tr > td.doubts").Select(td => td.TextContent));
        var toRead = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}?statut=reponses-recues", Ct);
        Assert.Equal([campaign.A.Code], toRead.QuerySelectorAll("table.follow-up > tbody > tr td code").Select(c => c.TextContent));
        Assert.EndsWith(",0,1,0", (await FollowUpCsvAsync(operatorClient, campaign.Id))[1], StringComparison.Ordinal);

        await ReviewAsync(operatorClient, participant, "accepter", "Délibération vérifiée");

        var lifted = await Html.GetAsync(respondent, $"{campaign.A.Home}/theme/2", Ct);
        Assert.Equal(Normalise($"Doute levé le {ParisTime.Date(App.Now)} : l'organisateur accepte la justification de cette réponse. Sa note : « Délibération vérifiée »."),
            Html.TextOf(lifted.QuerySelector("#q-services-demarches .doubt")!));
        Assert.Null(lifted.QuerySelector("form#reponse-services-demarches"));
        Assert.Null((await Html.GetAsync(respondent, campaign.A.Home, Ct)).QuerySelector("section.doubts"));
        Assert.Equal("lifted", (await respondent.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Themes.SelectMany(t => t.Questions).Single(q => q.Id == Question).Doubt!.State);
        Assert.EndsWith(",0,0,1", (await FollowUpCsvAsync(operatorClient, campaign.Id))[1], StringComparison.Ordinal);
        Assert.Equal("Doutes : 1 levé", Html.TextOf((await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}", Ct)).QuerySelector(".doubts-summary")!));
        var audit = await App.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.ParticipantId == campaign.A.ParticipantId && a.Action.StartsWith("evidence.")).OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.Actor, a.NewValue }).ToListAsync(Ct));
        Assert.Equal(
            [("evidence.review", "justification mise en doute Date de mise en ligne à confirmer"), ("evidence.reply", "La délibération du 12 mai 2025 est en ligne :\nhttps://exemple.fr/deliberation.pdf"), ("evidence.review", "justification acceptée Délibération vérifiée")],
            audit.Select(a => (a.Action, a.NewValue!)));
        Assert.Equal($"lien {campaign.A.Code}", audit[1].Actor);
        var journal = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/journal", Ct);
        Assert.Contains(journal.QuerySelectorAll("table.audit tbody tr"), tr => Html.TextOf(tr).Contains($"Réponse au doute evidence.reply {Question}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reply_ThroughTheApi_IsStoredOrRefusedWithAFrenchProblem_AndLockedAfterSubmission()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, Question, new { level = 4, evidenceText = "Portail ouvert en 2025" }, cancellationToken: Ct)).Dispose();
        (await respondent.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 1 }, cancellationToken: Ct)).Dispose();
        var participant = $"/admin/campagnes/{campaign.Id}/collectivites/{campaign.A.ParticipantId}";
        await ReviewAsync(operatorClient, participant, "douter", "Date à confirmer");

        using var empty = await PutReplyAsync(respondent, campaign.A.Token, Question, """{"reply": "  "}""");
        using var unreadable = await PutReplyAsync(respondent, campaign.A.Token, Question, """{"text": "Voici"}""");
        using var control = await PutReplyAsync(respondent, campaign.A.Token, Question, """{"reply": "Vu\u001B"}""");
        using var notDoubted = await PutReplyAsync(respondent, campaign.A.Token, "services.mediation", """{"reply": "Voici"}""");
        using var unknownQuestion = await PutReplyAsync(respondent, campaign.A.Token, "services.inconnue", """{"reply": "Voici"}""");
        using var unknownLink = await PutReplyAsync(respondent, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Question, """{"reply": "Voici"}""");
        using var stored = await PutReplyAsync(respondent, campaign.A.Token, Question, """{"reply": " Mise en ligne le 3 mars. "}""");

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Écrivez votre réponse à l'organisateur avant de l'envoyer.", await empty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        Assert.Contains("La réponse contient un caractère de contrôle (U+001B, position 3)", await control.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, notDoubted.StatusCode);
        Assert.Contains("L'organisateur ne met pas en doute cette réponse", await notDoubted.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownQuestion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownLink.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        var doubt = (await stored.Content.ReadFromJsonAsync<EvidenceDoubtDto>(QuestionnaireCalls.Json, Ct))!;
        Assert.Equal(("replied", "Date à confirmer", "Mise en ligne le 3 mars.", App.Now), (doubt.State, doubt.Note, doubt.Reply, doubt.RepliedAt));

        using (var submitted = await respondent.SubmitAsync(campaign.A.Token, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }
        using var locked = await PutReplyAsync(respondent, campaign.A.Token, Question, """{"reply": "Autre réponse"}""");
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains("Le questionnaire a été transmis : il est en lecture seule.", await locked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var page = await Html.GetAsync(respondent, $"{campaign.A.Home}/theme/2", Ct);
        Assert.Null(page.QuerySelector("form#reponse-services-demarches"));
        Assert.Equal("Mise en ligne le 3 mars.", page.QuerySelector("#q-services-demarches .doubt-reply")!.TextContent);
        Assert.Equal(["Mise en ligne le 3 mars."], await App.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == "evidence.reply" && a.CampaignId == campaign.Id).Select(a => a.NewValue!).ToListAsync(Ct)));
    }

    [Fact]
    public async Task Reply_ThroughThePage_WithAnUnusableTextOrOnceSubmitted_ShowsWhyAndStoresNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, Question, new { level = 4, evidenceText = "Portail ouvert en 2025" }, cancellationToken: Ct)).Dispose();
        await ReviewAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/collectivites/{campaign.A.ParticipantId}", "douter", "Date à confirmer");
        var theme = await Html.GetAsync(respondent, $"{campaign.A.Home}/theme/2", Ct);
        var form = theme.QuerySelector<IHtmlFormElement>("form#reponse-services-demarches")!;
        var fields = Html.Fields(form);
        Html.Set(fields, "Reply", new string('r', 4001));

        using var tooLong = await Html.PostFormAsync(respondent, form.GetAttribute("action")!, fields, Ct);
        using (var submitted = await respondent.SubmitAsync(campaign.A.Token, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }
        Html.Set(fields, "Reply", "Voici la pièce");
        using var locked = await Html.PostFormAsync(respondent, form.GetAttribute("action")!, fields, Ct);

        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        var tooLongPage = await Html.ParseAsync(tooLong, Ct);
        Assert.Equal("La réponse dépasse 4000 caractères (4001).", tooLongPage.QuerySelector("#q-services-demarches .field-error")!.TextContent);
        Assert.Equal(4001, tooLongPage.QuerySelector<IHtmlTextAreaElement>("#r-services-demarches")!.Value.Length);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Le questionnaire a été transmis : il est en lecture seule.", Html.Text(await Html.ParseAsync(locked, Ct)), StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "evidence.reply" && a.CampaignId == campaign.Id, Ct)));
    }

    private static async Task ReviewAsync(HttpClient operatorClient, string participant, string review, string note)
    {
        using var response = await OperatorPages.SubmitAsync(operatorClient, participant, "#q-services-demarches form.review-form", fields =>
        {
            Html.Set(fields, "note", note);
            Html.Set(fields, "review", review);
        }, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> PutReplyAsync(HttpClient client, string token, string questionId, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/questionnaire/{token}/answers/{questionId}/reply", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        return await client.SendAsync(request, Ct);
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static async Task<string[]> FollowUpCsvAsync(HttpClient client, int campaignId)
    {
        using var response = await client.GetAsync(new Uri($"/admin/campagnes/{campaignId}?handler=Csv", UriKind.Relative), Ct);
        return (await response.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n");
    }
}

public sealed class EvidenceDoubtTests_Sqlite(SqliteDatabase database) : EvidenceDoubtTests<SqliteDatabase>(database);

public sealed class EvidenceDoubtTests_Postgres(PostgresDatabase database) : EvidenceDoubtTests<PostgresDatabase>(database);
