using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Api;

/// <summary>The questionnaire API: reading, saving one answer at a time, submitting, and every refusal.</summary>
public abstract class QuestionnaireApiTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string LinkNotFound = "Ce lien d'invitation est inconnu, révoqué ou expiré. Demandez un nouveau lien à l'organisateur du baromètre.";

    [Fact]
    public async Task Get_NewLink_ReturnsCollectiviteThemesQuestionsWithHelpAndEmptyAnswers()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.GetQuestionnaireAsync(campaign.A.Token, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.JsonAsync(Ct);
        Assert.Equal(campaign.A.Code, json.GetProperty("collectivite").GetProperty("code").GetString());
        Assert.Equal(campaign.A.Name, json.GetProperty("collectivite").GetProperty("nom").GetString());
        Assert.Equal(campaign.Name, json.GetProperty("campaign").GetProperty("name").GetString());
        Assert.Equal("open", json.GetProperty("campaign").GetProperty("status").GetString());
        Assert.Equal("not_started", json.GetProperty("status").GetString());
        Assert.False(json.GetProperty("readOnly").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("readOnlyReason").ValueKind);
        Assert.Equal(0, json.GetProperty("answered").GetInt32());
        Assert.Equal(5, json.GetProperty("questions").GetInt32());
        var scale = json.GetProperty("scale").EnumerateArray().Select(l => (l.GetProperty("level").GetInt32(), l.GetProperty("label").GetString())).ToList();
        Assert.Equal([(0, "Sujet non abordé"), (1, "Réflexion engagée"), (2, "Orientations formalisées"), (3, "Mise en œuvre engagée"), (4, "Mise en œuvre complète")], scale);

        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(["gouvernance", "services"], document.Themes.Select(t => t.Id));
        Assert.Equal(["Gouvernance numérique", "Services aux usagers"], document.Themes.Select(t => t.Title));
        Assert.Equal(campaign.QuestionIds, document.Themes.SelectMany(t => t.Questions).Select(q => q.Id));
        var strategie = document.Themes[0].Questions[0];
        Assert.Equal("La collectivité dispose d'une stratégie numérique formalisée.", strategie.Label);
        Assert.Equal(
            ["Aucune stratégie numérique n'existe.", "Une stratégie numérique est en réflexion.", "La stratégie numérique est rédigée et validée.",
             "La stratégie numérique est en cours de déploiement.", "La stratégie numérique est pleinement déployée et pilotée."],
            strategie.Help);
        Assert.All(document.Themes.SelectMany(t => t.Questions), q =>
        {
            Assert.Equal(5, q.Help.Count);
            Assert.Equal(q.Id, q.Answer.QuestionId);
            Assert.Equal(0, q.Answer.Version);
            Assert.Null(q.Answer.Level);
            Assert.Null(q.Answer.Status);
            Assert.Null(q.Answer.UpdatedAt);
        });
    }

    [Fact]
    public async Task Get_AsAnswersComeThenSubmit_StatusGoesNotStartedInProgressSubmitted()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        Assert.Equal("not_started", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);

        using (var put = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 2, comment = "Comité mensuel" }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var inProgress = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal("in_progress", inProgress.Status);
        Assert.Equal(1, inProgress.Answered);
        var answer = inProgress.Answer("gouvernance.pilotage");
        Assert.Equal((2, "Comité mensuel", 1), (answer.Level, answer.Comment, answer.Version));
        Assert.Equal(App.Now, answer.UpdatedAt);

        using (var submit = await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
            var body = await submit.JsonAsync(Ct);
            Assert.Equal("submitted", body.GetProperty("status").GetString());
            Assert.Equal(App.Now, body.GetProperty("submittedAt").GetDateTime().ToUniversalTime());
        }
        var submitted = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal("submitted", submitted.Status);
        Assert.True(submitted.ReadOnly);
        Assert.Equal("Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin.", submitted.ReadOnlyReason);
        Assert.Equal(2, submitted.Answer("gouvernance.pilotage").Level);
    }

    [Fact]
    public async Task Get_CommentOnly_CountsAsInProgressButNotAnswered()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var put = await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { comment = "À voir avec le CCAS" }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(("in_progress", 0), (document.Status, document.Answered));
    }

    [Fact]
    public async Task Get_UnknownRevokedExpiredOrMalformedToken_Returns404WithTheSameBody()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        // A token of the right form that was never issued.
        var unknown = InvitationTokens.Create().Token;
        Assert.Equal(1, await App.RevokeAsync(campaign.A, Ct));
        var revoked = campaign.A.Token;
        App.Clock.SetUtcNow(new DateTimeOffset(campaign.B.ExpiresAt, TimeSpan.Zero).AddSeconds(1));
        var expired = campaign.B.Token;
        string[] malformed = ["abc", new string('a', 42), new string('a', 44), campaign.C.Token[..42] + "!", campaign.C.Token + "x"];

        var bodies = new List<(string Case, string Body)>();
        foreach (var (label, token) in new[] { ("inconnu", unknown), ("révoqué", revoked), ("expiré", expired) }.Concat(malformed.Select(m => ("mal formé", m))))
        {
            using var response = await client.GetQuestionnaireAsync(Uri.EscapeDataString(token), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{label} {token}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            bodies.Add((label, WithoutTraceId(await response.Content.ReadAsStringAsync(Ct))));
        }

        var problem = JsonDocument.Parse(bodies[0].Body).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("Lien inconnu", problem.GetProperty("title").GetString());
        Assert.Equal(LinkNotFound, problem.GetProperty("detail").GetString());
        Assert.All(bodies, b => Assert.True(b.Body == bodies[0].Body, $"{b.Case}: {b.Body}\nunknown: {bodies[0].Body}"));
    }

    [Fact]
    public async Task PutAndSubmit_UnknownRevokedOrExpiredToken_Return404AndWriteNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        await App.RevokeAsync(campaign.A, Ct);
        App.Clock.SetUtcNow(new DateTimeOffset(campaign.B.ExpiresAt, TimeSpan.Zero));

        foreach (var token in new[] { campaign.A.Token, campaign.B.Token, InvitationTokens.Create().Token })
        {
            using var put = await client.PutAnswerAsync(token, "gouvernance.strategie", new { level = 1 }, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
            Assert.Equal(LinkNotFound, (await put.JsonAsync(Ct)).GetProperty("detail").GetString());
            using var submit = await client.SubmitAsync(token, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.NotFound, submit.StatusCode);
        }
        Assert.Equal(0, await App.WithDbAsync(db => db.Answers.CountAsync(a => a.Participant!.CampaignId == campaign.Id, Ct)));
        Assert.Equal(0, await App.WithDbAsync(db => db.Participants.CountAsync(p => p.CampaignId == campaign.Id && p.SubmittedAt != null, Ct)));
    }

    [Fact]
    public async Task Put_LinkUsedThenRevokedOrExpired_Returns404WhateverTheRequestAndWritesNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        // Both links save once first: the server now knows them without a query.
        foreach (var token in new[] { campaign.A.Token, campaign.B.Token })
        {
            using var first = await client.PutAnswerAsync(token, "gouvernance.strategie", new { level = 1 }, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await App.RevokeAsync(campaign.A, Ct);
        App.Clock.SetUtcNow(new DateTimeOffset(campaign.B.ExpiresAt, TimeSpan.Zero));

        foreach (var token in new[] { campaign.A.Token, campaign.B.Token })
        {
            using var valid = await client.PutAnswerAsync(token, "gouvernance.strategie", new { level = 3 }, cancellationToken: Ct);
            using var invalid = await client.PutAnswerAsync(token, "gouvernance.strategie", new { level = 9 }, cancellationToken: Ct);
            using var unknownQuestion = await client.PutAnswerAsync(token, "gouvernance.inexistante", new { level = 3 }, cancellationToken: Ct);
            using var unreadable = await client.PutRawAsync(token, "gouvernance.strategie", "{\"level\": ", "application/json", cancellationToken: Ct);
            using var staleVersion = await client.PutAnswerAsync(token, "gouvernance.strategie", new { level = 3 }, "\"7\"", cancellationToken: Ct);
            foreach (var response in new[] { valid, invalid, unknownQuestion, unreadable, staleVersion })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal(LinkNotFound, (await response.JsonAsync(Ct)).GetProperty("detail").GetString());
            }
        }
        var stored = await App.WithDbAsync(db => db.Answers.Where(a => a.Participant!.CampaignId == campaign.Id).Select(a => new { a.Level, a.Version }).ToListAsync(Ct));
        Assert.Equal(2, stored.Count);
        Assert.All(stored, a => Assert.Equal((1, 1), (a.Level, a.Version)));
    }

    [Fact]
    public async Task Get_ExpiryIsExact_LinkWorksUntilItsExpiryInstant()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        App.Clock.SetUtcNow(new DateTimeOffset(campaign.A.ExpiresAt, TimeSpan.Zero).AddSeconds(-1));
        using (var before = await client.GetQuestionnaireAsync(campaign.A.Token, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        using var at = await client.GetQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(HttpStatusCode.NotFound, at.StatusCode);
    }

    [Fact]
    public async Task Put_ValidAnswer_Returns200WithVersionAndETagAndIsDurablyStored()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie",
            new { level = 3, comment = "  Adoptée en conseil  ", evidenceUrl = "https://exemple.fr/strategie.pdf", evidenceText = "Délibération n°12" }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        var saved = await response.AnswerAsync(Ct);
        Assert.Equal("gouvernance.strategie", saved.QuestionId);
        Assert.Equal(3, saved.Level);
        Assert.Null(saved.Status);
        Assert.Equal("Adoptée en conseil", saved.Comment);
        Assert.Equal("https://exemple.fr/strategie.pdf", saved.EvidenceUrl);
        Assert.Equal("Délibération n°12", saved.EvidenceText);
        Assert.Equal(1, saved.Version);
        Assert.Equal(App.Now, saved.UpdatedAt);
        Assert.Equal($"lien {campaign.A.Code}", saved.UpdatedBy);

        Assert.Equal(saved, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie"));
        var row = await App.WithDbAsync(db => db.Answers.AsNoTracking().SingleAsync(a => a.ParticipantId == campaign.A.ParticipantId, Ct));
        Assert.Equal(("gouvernance.strategie", 3, AnswerMark.None, 1), (row.QuestionId, row.Level, row.Mark, row.Version));
        Assert.Equal(EvidenceReview.Pending, row.EvidenceReview);
        // Committed: a connection of its own, outside the app, sees it.
        await using var outside = Database.CreateContext();
        var committed = await outside.Answers.AsNoTracking().SingleAsync(a => a.ParticipantId == campaign.A.ParticipantId, Ct);
        Assert.Equal(("Adoptée en conseil", 1, DateTimeKind.Utc), (committed.Comment, committed.Version, committed.UpdatedAt.Kind));
        Assert.Equal(App.Now, committed.UpdatedAt);
    }

    [Theory]
    [InlineData("NSP", "NSP")]
    [InlineData("nc", "NC")]
    [InlineData(" Nsp ", "NSP")]
    public async Task Put_Status_IsStoredAsNspOrNc(string sent, string stored)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "services.demarches", new { level = (int?)null, status = sent }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((null, stored), ((await response.AnswerAsync(Ct)).Level, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("services.demarches").Status));
        Assert.Equal(1, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answered);
    }

    [Fact]
    public async Task Put_AllMembersNull_ClearsTheAnswer()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        (await client.PutAnswerAsync(campaign.A.Token, "services.demarches", new { level = 4, comment = "Tout en ligne" }, cancellationToken: Ct)).Dispose();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "services.demarches", new { level = (int?)null, status = (string?)null, comment = (string?)null }, "\"1\"", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cleared = await response.AnswerAsync(Ct);
        Assert.Equal((null, null, null, 2), (cleared.Level, cleared.Status, cleared.Comment, cleared.Version));
        Assert.Equal("not_started", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Theory]
    [InlineData("""{"level": 5}""", "level", "Le niveau doit être compris entre 0 et 4, pas 5.")]
    [InlineData("""{"level": -1}""", "level", "Le niveau doit être compris entre 0 et 4, pas -1.")]
    [InlineData("""{"status": "PEUT-ÊTRE"}""", "status", "Statut « PEUT-ÊTRE » inconnu : « NSP » (ne sait pas), « NC » (non concerné) ou rien.")]
    [InlineData("""{"level": 2, "status": "NSP"}""", "status", "Une réponse est soit un niveau, soit « NSP » ou « NC », pas les deux.")]
    [InlineData("""{"evidenceUrl": "javascript:alert(1)"}""", "evidenceUrl", "Le lien de justification doit être une adresse web complète (https://…).")]
    [InlineData("""{"evidenceUrl": "ftp://exemple.fr/a.pdf"}""", "evidenceUrl", "Le lien de justification doit être une adresse web complète (https://…).")]
    [InlineData("""{"evidenceUrl": "www.exemple.fr"}""", "evidenceUrl", "Le lien de justification doit être une adresse web complète (https://…).")]
    public async Task Put_InvalidAnswer_Returns400WithFrenchErrorsAndStoresNothing(string body, string field, string message)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", body, cancellationToken: Ct);

        await AssertValidationProblemAsync(response, field, message);
        await AssertNothingStoredAsync(client, campaign);
    }

    [Theory]
    [InlineData("comment", "Le commentaire dépasse 4000 caractères (4001).")]
    [InlineData("evidenceText", "La justification dépasse 4000 caractères (4001).")]
    [InlineData("evidenceUrl", "Le lien de justification dépasse 2000 caractères (2019).")]
    public async Task Put_TextTooLong_Returns400WithFrenchError(string field, string message)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var text = field == "evidenceUrl" ? "https://exemple.fr/" + new string('a', 2000) : new string('é', 4001);

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new JsonObject { ["level"] = 1, [field] = text }.ToJsonString(), cancellationToken: Ct);

        await AssertValidationProblemAsync(response, field, message);
        await AssertNothingStoredAsync(client, campaign);
    }

    [Theory]
    [InlineData("comment", 0x00, "Le commentaire contient un caractère de contrôle (U+0000, position 6) : seuls les tabulations et les retours à la ligne sont admis.")]
    [InlineData("comment", 0x1B, "Le commentaire contient un caractère de contrôle (U+001B, position 6) : seuls les tabulations et les retours à la ligne sont admis.")]
    [InlineData("evidenceText", 0x00, "La justification contient un caractère de contrôle (U+0000, position 6) : seuls les tabulations et les retours à la ligne sont admis.")]
    [InlineData("evidenceText", 0x85, "La justification contient un caractère de contrôle (U+0085, position 6) : seuls les tabulations et les retours à la ligne sont admis.")]
    [InlineData("evidenceUrl", 0x00, "Le lien de justification contient un caractère de contrôle (U+0000, position 20) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("evidenceUrl", 0x0A, "Le lien de justification contient un caractère de contrôle (U+000A, position 20) : il tient sur une ligne, sans caractère de contrôle.")]
    public async Task Put_ControlCharacter_Returns400WithFrenchErrorAndStoresNothing(string field, int character, string message)
    {
        // PostgreSQL refuses U+0000 (22021): before validation refused it, such a save failed with 500.
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var text = (field == "evidenceUrl" ? "https://exemple.fr/" : "Votée") + (char)character + "fin";

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new JsonObject { ["level"] = 1, [field] = text }.ToJsonString(), cancellationToken: Ct);

        await AssertValidationProblemAsync(response, field, message);
        await AssertNothingStoredAsync(client, campaign);
    }

    [Fact]
    public async Task Put_TabsAndLineBreaksInTexts_AreKept()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        const string comment = "Première ligne\r\nseconde\tcolonne\nfin";

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2, comment, evidenceText = comment }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal((comment, comment), (stored.Comment, stored.EvidenceText));
    }

    [Fact]
    public async Task Put_TextsAtTheirLimits_AreStoredWhole()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var comment = new string('é', 4000);
        var url = "https://exemple.fr/" + new string('a', 2000 - 19);

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 0, comment, evidenceUrl = url, evidenceText = comment }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal((comment, url, comment), (stored.Comment, stored.EvidenceUrl, stored.EvidenceText));
    }

    [Theory]
    [InlineData("""{"level": 3""", "application/json", "Corps JSON illisible")]
    [InlineData("""{"level": "trois"}""", "application/json", "Corps JSON illisible (à « $.level »)")]
    [InlineData("""{"level": 3, "niveau": 2}""", "application/json", "Corps JSON illisible")]
    [InlineData("""[3]""", "application/json", "Corps JSON illisible")]
    [InlineData("", "application/json", "Corps JSON illisible")]
    [InlineData("null", "application/json", "Corps vide : attendu un objet JSON")]
    [InlineData("""{"level": 3}""", "text/plain", "Le corps doit être du JSON (Content-Type: application/json).")]
    [InlineData("level=3", "application/x-www-form-urlencoded", "Le corps doit être du JSON (Content-Type: application/json).")]
    public async Task Put_UnreadableBody_Returns400WithReadableFrenchDetail(string body, string contentType, string detail)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutRawAsync(campaign.A.Token, "gouvernance.strategie", body, contentType, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal("Requête invalide", problem.GetProperty("title").GetString());
        Assert.StartsWith(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(client, campaign);
    }

    [Fact]
    public async Task Put_UnknownJsonMember_Returns400NamingIt()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", """{"level": 3, "niveau": 2}""", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.JsonAsync(Ct)).GetProperty("detail").GetString();
        Assert.Contains("niveau", detail, StringComparison.Ordinal);
        Assert.Contains("attendu {\"level\": 0..4 ou null", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("\"v1\"")]
    [InlineData("-1")]
    public async Task Put_UnreadableIfMatch_Returns400(string ifMatch)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1 }, ifMatch, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("En-tête If-Match illisible", (await response.JsonAsync(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(client, campaign);
    }

    [Theory]
    [InlineData("\"0\"")]
    [InlineData("W/\"0\"")]
    [InlineData("0")]
    [InlineData("*")]
    public async Task Put_IfMatchForms_AreAccepted(string ifMatch)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1 }, ifMatch, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.AnswerAsync(Ct)).Version);
    }

    [Theory]
    [InlineData("gouvernance.inconnue")]
    [InlineData("strategie.strategie")]
    [InlineData("GOUVERNANCE.STRATEGIE")]
    public async Task Put_UnknownQuestion_Returns404(string questionId)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, questionId, new { level = 1 }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal("Question inconnue", problem.GetProperty("title").GetString());
        Assert.Equal($"Le questionnaire n'a pas de question « {questionId} ».", problem.GetProperty("detail").GetString());
        await AssertNothingStoredAsync(client, campaign);
    }

    [Fact]
    public async Task PutAndSubmit_ByTheLongestContributorNameOfTheLongestCode_Succeed()
    {
        // The panel accepts codes of 100 characters and « Qui êtes-vous ? » names of 200: the answer's
        // author is « lien CODE (NAME) », 308 characters.
        var code = new string('C', 100);
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct, panel:
            [new(new Barometre.Core.Responses.Respondent(code, "Commune au code très long"), null), new(new Barometre.Core.Responses.Respondent("B", "Autre"), null)]);
        var name = new string('N', 200);
        var contributor = await App.AddContributorAsync(campaign.A, name, Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1 }, contributor: contributor, cancellationToken: Ct);
        using var submit = await client.SubmitAsync(campaign.A.Token, contributor, Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}");
        Assert.StartsWith($"lien {code}", (await response.AnswerAsync(Ct)).UpdatedBy, StringComparison.Ordinal);
        Assert.Equal(1, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie").Level);
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
    }

    [Fact]
    public async Task Put_IfMatchOldVersion_Returns412WithTheCurrentAnswerAndOverwritesNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var alice = await App.AddContributorAsync(campaign.A, "Alice Martin", Ct);
        var bruno = await App.AddContributorAsync(campaign.A, "Bruno Petit", Ct);
        using var client = Client();
        (await client.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 1 }, "\"0\"", alice, Ct)).Dispose();
        using (var second = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 3, comment = "Comité installé" }, "\"1\"", bruno, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using var stale = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 2 }, "\"1\"", alice, Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("\"2\"", stale.Headers.ETag?.ToString());
        var problem = await stale.JsonAsync(Ct);
        Assert.Equal("Réponse modifiée entre-temps", problem.GetProperty("title").GetString());
        Assert.Equal($"lien {campaign.A.Code} (Bruno Petit) a modifié cette réponse depuis la version 1 : la voici ; rien n'a été écrasé.", problem.GetProperty("detail").GetString());
        var current = problem.GetProperty("current");
        Assert.Equal(3, current.GetProperty("level").GetInt32());
        Assert.Equal("Comité installé", current.GetProperty("comment").GetString());
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal($"lien {campaign.A.Code} (Bruno Petit)", current.GetProperty("updatedBy").GetString());
        var stored = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.pilotage");
        Assert.Equal((3, "Comité installé", 2), (stored.Level, stored.Comment, stored.Version));

        // Based on the version it was sent: accepted.
        using var retried = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 2 }, "\"2\"", alice, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var accepted = await retried.AnswerAsync(Ct);
        Assert.Equal((2, 3), (accepted.Level, accepted.Version));
    }

    [Fact]
    public async Task Put_IfMatchNewerThanStored_Returns412()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.pilotage", new { level = 2 }, "\"7\"", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(0, (await response.JsonAsync(Ct)).GetProperty("current").GetProperty("version").GetInt32());
        await AssertNothingStoredAsync(client, campaign);
    }

    [Fact]
    public async Task Put_SameContentTwice_DoesNotBumpTheVersion()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        using var first = await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 2, comment = "Deux lieux" }, cancellationToken: Ct);
        var saved = await first.AnswerAsync(Ct);

        // The same content, with blanks that normalise away, with and without If-Match.
        using var again = await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 2, comment = " Deux lieux ", evidenceUrl = "", evidenceText = "  " }, "\"1\"", cancellationToken: Ct);
        using var third = await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 2, comment = "Deux lieux" }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal("\"1\"", third.Headers.ETag?.ToString());
        Assert.Equal(saved, await again.AnswerAsync(Ct));
        Assert.Equal(saved, await third.AnswerAsync(Ct));
        Assert.Equal(1, await App.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.ParticipantId == campaign.A.ParticipantId && e.Action == "answer", Ct)));
    }

    [Fact]
    public async Task Put_AfterSubmit_Returns409AndChangesNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        (await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 2 }, cancellationToken: Ct)).Dispose();
        (await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();

        using var response = await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 4 }, "\"1\"", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal("Questionnaire en lecture seule", problem.GetProperty("title").GetString());
        Assert.Equal("Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin.", problem.GetProperty("detail").GetString());
        Assert.Equal(2, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("services.mediation").Level);
    }

    [Fact]
    public async Task Submit_Twice_Returns409TheSecondTime()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        using var first = await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.JsonAsync(Ct);
        Assert.Equal("Déjà transmis", problem.GetProperty("title").GetString());
        Assert.Equal("Le questionnaire a déjà été transmis.", problem.GetProperty("detail").GetString());
        Assert.Equal(1, await App.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.ParticipantId == campaign.A.ParticipantId && e.Action == "questionnaire.submit", Ct)));
    }

    [Fact]
    public async Task Submit_ByAnotherContributorThanTheLead_Returns403()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var lead = await App.AddContributorAsync(campaign.A, "Alice Martin", Ct);
        var other = await App.AddContributorAsync(campaign.A, "Bruno Petit", Ct);
        var elsewhere = await App.AddContributorAsync(campaign.B, "Chloé Roux", Ct);
        using var client = Client();

        foreach (var contributor in new[] { other, null, elsewhere, "999999", lead + "x" })
        {
            using var refused = await client.SubmitAsync(campaign.A.Token, contributor, Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"X-Contributor {contributor}: {(int)refused.StatusCode}");
            var problem = await refused.JsonAsync(Ct);
            Assert.Equal("Transmission réservée", problem.GetProperty("title").GetString());
            Assert.Equal("Seul·e le ou la responsable désigné·e pour la collectivité peut transmettre le questionnaire.", problem.GetProperty("detail").GetString());
        }
        Assert.Equal("not_started", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);

        using var accepted = await client.SubmitAsync(campaign.A.Token, lead, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var participant = await App.WithDbAsync(db => db.Participants.AsNoTracking().SingleAsync(p => p.Id == campaign.A.ParticipantId, Ct));
        Assert.Equal(("Alice Martin", App.Now), (participant.SubmittedBy, participant.SubmittedAt));
    }

    [Fact]
    public async Task Submit_WithUnanswered_SubmitsOnlyWhenTheCountIsTheOneConfirmed()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        (await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2 }, cancellationToken: Ct)).Dispose();

        using var wrong = await client.PostAsync(new Uri($"{campaign.A.Api}/submit?unanswered=2", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        var problem = await wrong.JsonAsync(Ct);
        Assert.Equal("Questions sans réponse", problem.GetProperty("title").GetString());
        Assert.Equal("Le questionnaire compte 4 questions sans réponse, et non 2 : rien n'a été transmis.", problem.GetProperty("detail").GetString());
        Assert.Equal(4, problem.GetProperty("unanswered").GetInt32());
        Assert.Equal("in_progress", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
        using (var unreadable = await client.PostAsync(new Uri($"{campaign.A.Api}/submit?unanswered=quatre", UriKind.Relative), null, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
            Assert.Equal("application/problem+json", unreadable.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal("in_progress", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);

        using var right = await client.PostAsync(new Uri($"{campaign.A.Api}/submit?unanswered=4", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("submitted", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Fact]
    public async Task Submit_WithoutAnyContributor_IsAllowedAndRecordedAsTheLink()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("lien d'invitation", await App.WithDbAsync(db => db.Participants.Where(p => p.Id == campaign.A.ParticipantId).Select(p => p.SubmittedBy).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Put_DuringReviewWindow_IsAcceptedAndAfterIt_Returns409()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        (await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1 }, cancellationToken: Ct)).Dispose();
        (await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();
        var reviewEnds = App.Now.AddDays(7);
        await App.CloseAsync(campaign, reviewEnds, Ct);

        // In review: the submitted questionnaire may still be corrected, and the other collectivités too.
        var inReview = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(("review", false), (inReview.Campaign.Status, inReview.ReadOnly));
        using (var correction = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2 }, "\"1\"", cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, correction.StatusCode);
        }
        using (var late = await client.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 4 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        }

        App.Clock.SetUtcNow(new DateTimeOffset(reviewEnds, TimeSpan.Zero));
        using var after = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 3 }, "\"2\"", cancellationToken: Ct);
        using var afterB = await client.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 0 }, cancellationToken: Ct);
        using var submitB = await client.SubmitAsync(campaign.B.Token, cancellationToken: Ct);

        const string reason = "La période de relecture est terminée : les réponses sont figées.";
        foreach (var refused in new[] { after, afterB, submitB })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(reason, (await refused.JsonAsync(Ct)).GetProperty("detail").GetString());
        }
        var frozen = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal((true, reason, 2), (frozen.ReadOnly, frozen.ReadOnlyReason, frozen.Answer("gouvernance.strategie").Level));
        Assert.Equal(4, (await client.ReadQuestionnaireAsync(campaign.B.Token, Ct)).Answer("gouvernance.strategie").Level);
    }

    [Fact]
    public async Task Put_ClosedCampaign_Returns409()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        (await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1 }, cancellationToken: Ct)).Dispose();
        (await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();
        await App.CloseAsync(campaign, reviewEndsAt: null, Ct);

        using var response = await client.PutAnswerAsync(campaign.B.Token, "gouvernance.strategie", new { level = 1 }, cancellationToken: Ct);
        using var submit = await client.SubmitAsync(campaign.B.Token, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("La campagne est close : les réponses sont figées.", (await response.JsonAsync(Ct)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, submit.StatusCode);
        var document = await client.ReadQuestionnaireAsync(campaign.B.Token, Ct);
        Assert.Equal(("closed", true), (document.Campaign.Status, document.ReadOnly));
    }

    private static string WithoutTraceId(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal("Réponse invalide", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error on {field}: {errors}");
        Assert.Equal([message], messages.EnumerateArray().Select(m => m.GetString()));
    }

    private async Task AssertNothingStoredAsync(HttpClient client, SeededCampaign campaign)
    {
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.All(document.Themes.SelectMany(t => t.Questions), q => Assert.Equal(0, q.Answer.Version));
        Assert.Equal(0, await App.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.ParticipantId == campaign.A.ParticipantId && e.Action == "answer", Ct)));
    }
}

public sealed class QuestionnaireApiTests_Sqlite(SqliteDatabase database) : QuestionnaireApiTests<SqliteDatabase>(database);

public sealed class QuestionnaireApiTests_Postgres(PostgresDatabase database) : QuestionnaireApiTests<PostgresDatabase>(database);
