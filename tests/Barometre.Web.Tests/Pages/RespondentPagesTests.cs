using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Pages;

/// <summary>The respondent's pages without JavaScript: home, « Qui êtes-vous ? », a theme's form, submission.</summary>
public abstract class RespondentPagesTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Home_ShowsTheCollectiviteAndItsProgress()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        var fresh = await Html.GetAsync(client, campaign.A.Home, Ct);

        Assert.Equal("fr", fresh.DocumentElement.GetAttribute("lang"));
        Assert.Equal(campaign.A.Name, fresh.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains($"{campaign.A.Name} · {campaign.Name}", fresh.QuerySelector("header")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("5 questions en 2 thèmes", Html.Text(fresh), StringComparison.Ordinal);
        Assert.Equal("Avancement : 0 sur 5 questions Non commencé", Normalise(fresh.QuerySelector("#avancement")!.TextContent));
        Assert.Equal(["1. Gouvernance numérique 0 / 3", "2. Services aux usagers 0 / 2"], fresh.QuerySelectorAll("ol.themes li").Select(li => Normalise(li.TextContent)));
        Assert.Equal("Commencer le questionnaire", fresh.QuerySelector($"a.button[href='{campaign.A.Home}/theme/1']")!.TextContent.Trim());

        (await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2 }, cancellationToken: Ct)).Dispose();
        (await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { status = "NC" }, cancellationToken: Ct)).Dispose();
        var started = await Html.GetAsync(client, campaign.A.Home, Ct);

        Assert.Equal("Avancement : 2 sur 5 questions En cours", Normalise(started.QuerySelector("#avancement")!.TextContent));
        Assert.Equal(["1. Gouvernance numérique 1 / 3", "2. Services aux usagers 1 / 2"], started.QuerySelectorAll("ol.themes li").Select(li => Normalise(li.TextContent)));
        Assert.Equal("Reprendre le questionnaire", started.QuerySelector($"a.button[href='{campaign.A.Home}/theme/1']")!.TextContent.Trim());
    }

    [Fact]
    public async Task WhoAreYou_FirstContributorBecomesTheLeadAndIsRemembered()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var alice = Client();
        using var bruno = Client();

        var page = await Html.GetAsync(alice, campaign.A.Home, Ct);
        Assert.Equal("Qui êtes-vous ?", page.QuerySelector("#qui")!.TextContent);
        Assert.Contains("La première personne nommée sera la responsable qui transmet le questionnaire.", Html.Text(page), StringComparison.Ordinal);
        using var identified = await IdentifyAsync(alice, campaign.A, "  Alice Martin ", "alice@exemple.fr");

        Assert.Equal(HttpStatusCode.Redirect, identified.StatusCode);
        Assert.Equal(campaign.A.Home, identified.Headers.Location?.OriginalString);
        var cookie = Assert.Single(identified.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"barometre.contributeur.{campaign.A.ParticipantId}=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        var home = await Html.GetAsync(alice, campaign.A.Home, Ct);
        Assert.Null(home.QuerySelector("#qui"));
        Assert.Contains("Vous répondez en tant que Alice Martin, responsable de la transmission.", Html.Text(home), StringComparison.Ordinal);

        using (await IdentifyAsync(bruno, campaign.A, "Bruno Petit", null))
        {
        }
        var brunoHome = await Html.GetAsync(bruno, campaign.A.Home, Ct);
        Assert.Contains("Vous répondez en tant que Bruno Petit.", Html.Text(brunoHome), StringComparison.Ordinal);
        Assert.Equal(["Alice Martin — responsable de la transmission", "Bruno Petit"], brunoHome.QuerySelectorAll("section[aria-labelledby=contributeurs] li").Select(li => Normalise(li.TextContent)));

        var participant = await App.WithDbAsync(db => db.Participants.AsNoTracking().Include(p => p.Contributors).SingleAsync(p => p.Id == campaign.A.ParticipantId, Ct));
        var lead = participant.Contributors.Single(c => c.Id == participant.LeadContributorId);
        Assert.Equal(("Alice Martin", "alice@exemple.fr"), (lead.Name, lead.Email));
        Assert.Equal(2, participant.Contributors.Count);
        Assert.Empty(await App.WithDbAsync(db => db.Contributors.Where(c => c.Participant!.CampaignId == campaign.Id && c.ParticipantId != campaign.A.ParticipantId).ToListAsync(Ct)));
    }

    [Theory]
    [InlineData("", "", "Indiquez votre nom : il accompagne chacune de vos réponses.")]
    [InlineData("   ", "", "Indiquez votre nom : il accompagne chacune de vos réponses.")]
    [InlineData("N*201", "", "Le nom dépasse 200 caractères (201).")]
    [InlineData("Alice\u0007Martin", "", "Le nom contient un caractère de contrôle (U+0007, position 6) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("Alice\tMartin", "", "Le nom contient un caractère de contrôle (U+0009, position 6) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("Alice Martin", "alice\u001B@exemple.fr", "L'adresse électronique contient un caractère de contrôle (U+001B, position 6) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("Alice Martin", "@*321", "L'adresse électronique dépasse 320 caractères (321).")]
    public async Task WhoAreYou_InvalidNameOrEmail_ShowsAFrenchErrorAndNamesNobody(string name, string email, string message)
    {
        // Names had no limit but the form's, and took any character. (U+0000 never reaches the page: ASP.NET Core refuses a
        // url-encoded form holding it with a 400.)
        name = name == "N*201" ? new string('N', 201) : name;
        email = email == "@*321" ? new string('a', 300) + "@" + new string('b', 20) : email;
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await IdentifyAsync(client, campaign.A, name, email);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal(message, page.QuerySelector("[role=alert]")!.TextContent.Trim());
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("barometre.contributeur", StringComparison.Ordinal)));
        Assert.Equal(0, await App.WithDbAsync(db => db.Contributors.CountAsync(c => c.ParticipantId == campaign.A.ParticipantId, Ct)));
    }

    [Fact]
    public async Task Theme_ListsItsQuestionsWithEveryLevelsLabelAndHelp()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);

        Assert.Equal("1. Gouvernance numérique", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("La stratégie numérique et son pilotage.", page.QuerySelector("p.lead")!.TextContent.Trim());
        var theme = campaign.Model.Themes[0];
        var fieldsets = page.QuerySelectorAll("form#questionnaire fieldset.question");
        Assert.Equal(theme.Questions.Select(q => q.Id), fieldsets.Select(f => f.GetAttribute("data-question")));
        for (var i = 0; i < theme.Questions.Count; i++)
        {
            var question = theme.Questions[i];
            var fieldset = fieldsets[i];
            Assert.Equal(question.Label, fieldset.QuerySelector("legend")!.TextContent.Trim());
            var levels = fieldset.QuerySelectorAll(".levels label").ToList();
            Assert.Equal(
                campaign.Model.Scale.Levels.Select(l => $"{l.Level} — {l.Label}"),
                levels.Select(l => l.QuerySelector(".name")!.TextContent.Trim()));
            Assert.Equal(question.Help, levels.Select(l => l.QuerySelector(".help")!.TextContent.Trim()));
            Assert.Equal(["0", "1", "2", "3", "4", "NSP", "NC", ""], fieldset.QuerySelectorAll<IHtmlInputElement>("input[type=radio]").Select(r => r.Value));
            Assert.Equal(["Ne sait pas", "Non concerné", "Pas de réponse"], fieldset.QuerySelectorAll(".others label").Select(l => l.TextContent.Trim()));
            Assert.Equal("0", Input(fieldset, $"Posted[{i}].Version").Value);
            Assert.Equal(question.Id, Input(fieldset, $"Posted[{i}].Id").Value);
            Assert.False(fieldset.HasAttribute("disabled"));
        }
        Assert.NotEmpty(Html.AntiforgeryToken(page, "form#questionnaire"));
        Assert.Equal("Enregistrer et continuer →", page.QuerySelector("button[name=Go][value=next]")!.TextContent.Trim());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Theme_OutOfRange_RedirectsToTheHome(int number)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.GetAsync(new Uri($"{campaign.A.Home}/theme/{number}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(campaign.A.Home, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ThemeForm_Post_SavesTheChangedQuestionsAndRedirectsWithEnregistre()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        using (await IdentifyAsync(client, campaign.A, "Alice Martin", null))
        {
        }
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        Html.Set(fields, "Posted[0].Choice", "3");
        Html.Set(fields, "Posted[0].Comment", "Adoptée en conseil");
        Html.Set(fields, "Posted[1].Choice", "NSP");
        Html.Set(fields, "Posted[1].EvidenceUrl", "https://exemple.fr/pilotage.pdf");
        fields.Add(new("Go", "save"));

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{campaign.A.Home}/theme/1?enregistre=1", response.Headers.Location?.OriginalString);
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        var strategie = document.Answer("gouvernance.strategie");
        Assert.Equal((3, "Adoptée en conseil", 1, $"lien {campaign.A.Code} (Alice Martin)"), (strategie.Level, strategie.Comment, strategie.Version, strategie.UpdatedBy));
        var pilotage = document.Answer("gouvernance.pilotage");
        Assert.Equal(("NSP", "https://exemple.fr/pilotage.pdf", 1), (pilotage.Status, pilotage.EvidenceUrl, pilotage.Version));
        Assert.Equal(0, document.Answer("gouvernance.evaluation").Version);

        var saved = await Html.GetAsync(client, response.Headers.Location!.OriginalString, Ct);
        var first = saved.QuerySelector("fieldset[data-question='gouvernance.strategie']")!;
        Assert.Equal("3", first.QuerySelector<IHtmlInputElement>("input[type=radio]:checked")!.Value);
        Assert.Equal("1", Input(first, "Posted[0].Version").Value);
        Assert.Equal("Adoptée en conseil", first.QuerySelector<IHtmlTextAreaElement>("textarea")!.Value);
        Assert.Contains("par lien " + campaign.A.Code + " (Alice Martin)", first.QuerySelector("[data-role=state]")!.TextContent, StringComparison.Ordinal);
        // The page the form redirects to confirms the save.
        Assert.Equal("Vos réponses sont enregistrées.", saved.QuerySelector(".notice.success[role=status]")?.TextContent.Trim());
    }

    [Theory]
    [InlineData(1, "next", "/theme/2?enregistre=1")]
    [InlineData(2, "next", "/theme/2?enregistre=1")]
    [InlineData(2, "summary", "/transmettre")]
    public async Task ThemeForm_Buttons_LeadToTheNextStep(int theme, string go, string next)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/{theme}", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        Html.Set(fields, "Posted[0].Choice", "1");
        fields.Add(new("Go", go));

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/{theme}", fields, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(campaign.A.Home + next, response.Headers.Location?.OriginalString);
        Assert.Equal(1, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answered);
    }

    [Fact]
    public async Task ThemeForm_QuestionChangedMeanwhile_IsReportedAsAConflictAndNotOverwritten_TheOthersAreSaved()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var bruno = await App.AddContributorAsync(campaign.A, "Bruno Petit", Ct);
        using var client = Client();
        using (await IdentifyAsync(client, campaign.A, "Alice Martin", null))
        {
        }
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);

        // Meanwhile Bruno answers the first question through the API (the page's autosave).
        using (var meanwhile = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1, comment = "Pas encore votée" }, "\"0\"", bruno, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, meanwhile.StatusCode);
        }
        Html.Set(fields, "Posted[0].Choice", "4");
        Html.Set(fields, "Posted[1].Choice", "2");
        fields.Add(new("Go", "save"));
        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await Html.ParseAsync(response, Ct);
        Assert.Equal("Une réponse n'a pas pu être enregistrée : voir ci-dessous. Les autres le sont.", shown.QuerySelector(".notice.error")!.TextContent.Trim());
        var conflicted = shown.QuerySelector("fieldset[data-question='gouvernance.strategie']")!;
        Assert.StartsWith(
            $"Cette réponse a été modifiée entre-temps par lien {campaign.A.Code} (Bruno Petit) : 1 — Réflexion engagée (« Pas encore votée »). Votre choix, ci-dessus, n'a pas été enregistré",
            Normalise(conflicted.QuerySelector(".conflict")!.TextContent), StringComparison.Ordinal);
        // The form shows the person's own choice again, now based on Bruno's version.
        Assert.Equal("4", conflicted.QuerySelector<IHtmlInputElement>("input[type=radio]:checked")!.Value);
        Assert.Equal("1", Input(conflicted, "Posted[0].Version").Value);
        Assert.Null(shown.QuerySelector("fieldset[data-question='gouvernance.pilotage'] .conflict"));

        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        var strategie = document.Answer("gouvernance.strategie");
        Assert.Equal((1, "Pas encore votée", 1, $"lien {campaign.A.Code} (Bruno Petit)"), (strategie.Level, strategie.Comment, strategie.Version, strategie.UpdatedBy));
        Assert.Equal((2, 1), (document.Answer("gouvernance.pilotage").Level, document.Answer("gouvernance.pilotage").Version));

        // Saving again from the page shown keeps the person's choice, knowingly.
        var again = Html.Fields(shown.QuerySelector("form#questionnaire")!);
        again.Add(new("Go", "save"));
        using var resaved = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", again, Ct);
        Assert.Equal(HttpStatusCode.Redirect, resaved.StatusCode);
        var final = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal((4, 2), (final.Level, final.Version));
    }

    [Fact]
    public async Task ThemeForm_UntouchedQuestionChangedMeanwhile_IsLeftAsTheOtherPersonSetIt()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        (await client.PutAnswerAsync(campaign.A.Token, "gouvernance.evaluation", new { level = 4 }, cancellationToken: Ct)).Dispose();
        Html.Set(fields, "Posted[0].Choice", "2");
        fields.Add(new("Go", "save"));

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal((2, 4), (document.Answer("gouvernance.strategie").Level, document.Answer("gouvernance.evaluation").Level));
    }

    [Fact]
    public async Task ThemeForm_InvalidInput_IsShownInFrenchAndTheOthersAreSaved()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        Html.Set(fields, "Posted[0].Choice", "3");
        Html.Set(fields, "Posted[0].EvidenceUrl", "pas une adresse");
        Html.Set(fields, "Posted[1].Choice", "9");
        Html.Set(fields, "Posted[2].Choice", "1");
        fields.Add(new("Go", "save"));

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await Html.ParseAsync(response, Ct);
        Assert.StartsWith("2 réponses n'ont pas pu être enregistrées : voir ci-dessous.", shown.QuerySelector(".notice.error")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Le lien de justification doit être une adresse web complète (https://…).", shown.QuerySelector("fieldset[data-question='gouvernance.strategie'] .field-error")!.TextContent.Trim());
        Assert.Equal("Le niveau doit être compris entre 0 et 4, pas 9.", shown.QuerySelector("fieldset[data-question='gouvernance.pilotage'] .field-error")!.TextContent.Trim());
        Assert.Equal("pas une adresse", Input(shown.QuerySelector("fieldset[data-question='gouvernance.strategie']")!, "Posted[0].EvidenceUrl").Value);
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal((0, 0, 1), (document.Answer("gouvernance.strategie").Version, document.Answer("gouvernance.pilotage").Version, document.Answer("gouvernance.evaluation").Level));
    }

    [Fact]
    public async Task ThemeForm_ControlCharacterInAText_IsShownInFrenchAndTheOthersAreSaved()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        Html.Set(fields, "Posted[0].Choice", "3");
        Html.Set(fields, "Posted[0].Comment", "Vot\u001Bée");
        Html.Set(fields, "Posted[1].Choice", "2");
        Html.Set(fields, "Posted[1].EvidenceText", "Délibération\r\ndu 3 mars");
        fields.Add(new("Go", "save"));

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await Html.ParseAsync(response, Ct);
        Assert.Equal("Le commentaire contient un caractère de contrôle (U+001B, position 4) : seuls les tabulations et les retours à la ligne sont admis.",
            shown.QuerySelector("fieldset[data-question='gouvernance.strategie'] .field-error")!.TextContent.Trim());
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal(0, document.Answer("gouvernance.strategie").Version);
        Assert.Equal((2, "Délibération\r\ndu 3 mars"), (document.Answer("gouvernance.pilotage").Level, document.Answer("gouvernance.pilotage").EvidenceText));
    }

    [Fact]
    public async Task ThemeForm_PostingAQuestionOfAnotherTheme_SavesNothingForIt()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        Html.Set(fields, "Posted[0].Id", "services.demarches");
        Html.Set(fields, "Posted[0].Choice", "4");
        fields.Add(new("Go", "save"));

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answered);
    }

    [Fact]
    public async Task ThemeForm_WithoutAntiforgeryToken_Returns400AndSavesNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!).Where(f => f.Key != Html.AntiforgeryField).ToList();
        Html.Set(fields, "Posted[0].Choice", "3");

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);
        using var stranger = Client();
        var withoutCookie = Html.Fields(page.QuerySelector("form#questionnaire")!);
        Html.Set(withoutCookie, "Posted[0].Choice", "3");
        using var forged = await Html.PostFormAsync(stranger, $"{campaign.A.Home}/theme/1", withoutCookie, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Requête invalide", (await Html.ParseAsync(response, Ct)).QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answered);
    }

    [Fact]
    public async Task WhoAreYou_WithoutAntiforgeryToken_Returns400()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        await Html.GetAsync(client, campaign.A.Home, Ct);

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}?handler=Identify", [new("Name", "Mallory")], Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await App.WithDbAsync(db => db.Contributors.CountAsync(c => c.ParticipantId == campaign.A.ParticipantId, Ct)));
    }

    [Fact]
    public async Task Submit_ListsTheAnswersThenSubmitsOnceConfirmed_AndThePagesBecomeReadOnly()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        using (await IdentifyAsync(client, campaign.A, "Alice Martin", null))
        {
        }
        (await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 2 }, cancellationToken: Ct)).Dispose();
        (await client.PutAnswerAsync(campaign.A.Token, "services.demarches", new { status = "NSP" }, cancellationToken: Ct)).Dispose();
        (await client.PutAnswerAsync(campaign.A.Token, "services.mediation", new { comment = "Un commentaire n'est pas une réponse" }, cancellationToken: Ct)).Dispose();

        var review = await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct);

        Assert.Equal("Relire et transmettre", review.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("2 questions renseignées sur 5, 3 questions sans réponse : elles sont signalées ci-dessous.", review.QuerySelector("p.lead")!.TextContent.Trim());
        Assert.Equal(
            ["La stratégie numérique est évaluée régulièrement.", "Une instance pilote la transformation numérique.", "Une médiation numérique accompagne les usagers."],
            review.QuerySelectorAll("li.unanswered p.wording").Select(p => p.TextContent.Trim()).Order(StringComparer.Ordinal));
        var form = review.QuerySelector("main form")!;
        Assert.Equal("Transmettre le questionnaire", form.QuerySelector("button")!.TextContent.Trim());
        var confirmed = Html.Fields(form);
        Html.Tick(confirmed, form, "#confirm");

        using var submitted = await Html.PostFormAsync(client, $"{campaign.A.Home}/transmettre", confirmed, Ct);

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Equal(campaign.A.Home, submitted.Headers.Location?.OriginalString);
        var home = await Html.GetAsync(client, campaign.A.Home, Ct);
        Assert.StartsWith("Questionnaire transmis le", home.QuerySelector(".notice.success")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("par Alice Martin. Merci !", home.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Transmis", home.QuerySelector("#avancement .badge")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Consulter vos réponses", home.QuerySelector($"a.button[href='{campaign.A.Home}/transmettre']")!.TextContent.Trim());

        var theme = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        Assert.Equal("Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin.", theme.QuerySelector(".notice.warning")!.TextContent.Trim());
        Assert.All(theme.QuerySelectorAll("fieldset.question"), f => Assert.True(f.HasAttribute("disabled")));
        Assert.Null(theme.QuerySelector("button[type=submit][name=Go]"));
        Assert.Equal("false", theme.QuerySelector("form#questionnaire")!.GetAttribute("data-editable"));
        var after = await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct);
        Assert.Equal("Vos réponses", after.QuerySelector("h1")!.TextContent.Trim());
        Assert.Null(after.QuerySelector("main form"));
        Assert.Empty(after.QuerySelectorAll("p.edit"));
        Assert.Contains("par Alice Martin. Merci !", after.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThemeForm_PostedAfterSubmission_SavesNothingAndSaysWhy()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        (await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();
        Html.Set(fields, "Posted[0].Choice", "3");
        fields.Add(new("Go", "save"));

        using var response = await Html.PostFormAsync(client, $"{campaign.A.Home}/theme/1", fields, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await Html.ParseAsync(response, Ct);
        Assert.Equal("Le questionnaire a été transmis : il est en lecture seule. L'opérateur peut le rouvrir si besoin.",
            shown.QuerySelector("fieldset[data-question='gouvernance.strategie'] .conflict")!.TextContent.Trim());
        Assert.Equal(0, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answered);
    }

    [Fact]
    public async Task Submit_ByAContributorWhoIsNotTheLead_IsRefusedWithTheLeadsName()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var alice = Client();
        using var bruno = Client();
        using (await IdentifyAsync(alice, campaign.A, "Alice Martin", null))
        {
        }
        using (await IdentifyAsync(bruno, campaign.A, "Bruno Petit", null))
        {
        }

        var review = await Html.GetAsync(bruno, $"{campaign.A.Home}/transmettre", Ct);
        Assert.Null(review.QuerySelector("main form"));
        Assert.Contains("La transmission est confiée à Alice Martin, responsable pour la collectivité.", Html.Text(review), StringComparison.Ordinal);
        var token = Html.AntiforgeryToken(await Html.GetAsync(bruno, $"{campaign.A.Home}/theme/1", Ct));
        using var forced = await Html.PostFormAsync(bruno, $"{campaign.A.Home}/transmettre", [new(Html.AntiforgeryField, token)], Ct);

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal("Seul·e Alice Martin peut transmettre le questionnaire.", (await Html.ParseAsync(forced, Ct)).QuerySelector("[role=alert]")!.TextContent.Trim());
        Assert.Equal("not_started", (await bruno.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Fact]
    public async Task Pages_UnknownRevokedExpiredOrMalformedLink_Show404PageInFrench()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        await App.RevokeAsync(campaign.A, Ct);
        App.Clock.SetUtcNow(new DateTimeOffset(campaign.B.ExpiresAt, TimeSpan.Zero));
        using var client = Client();
        var tokens = new[] { InvitationTokens.Create().Token, campaign.A.Token, campaign.B.Token, "abc" };

        foreach (var token in tokens)
        {
            foreach (var path in new[] { $"/q/{token}", $"/q/{token}/theme/1", $"/q/{token}/transmettre" })
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
                var page = await Html.ParseAsync(response, Ct);
                Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
                Assert.Equal("Ce lien n'ouvre aucun questionnaire", page.QuerySelector("h1")!.TextContent.Trim());
                Assert.Contains("Le lien d'invitation est inconnu, a été révoqué ou a expiré.", Html.Text(page), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Pages_PostWithAValidFormToAnUnknownLink_Show404Page()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var token = Html.AntiforgeryToken(await Html.GetAsync(client, campaign.A.Home, Ct));
        var unknown = InvitationTokens.Create().Token;

        using var identify = await Html.PostFormAsync(client, $"/q/{unknown}?handler=Identify", [new(Html.AntiforgeryField, token), new("Name", "Mallory")], Ct);
        using var submit = await Html.PostFormAsync(client, $"/q/{unknown}/transmettre", [new(Html.AntiforgeryField, token)], Ct);

        Assert.Equal(HttpStatusCode.NotFound, identify.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, submit.StatusCode);
        Assert.Equal("Ce lien n'ouvre aucun questionnaire", (await Html.ParseAsync(submit, Ct)).QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task UnknownAddress_Shows404PageInFrench()
    {
        using var client = Client();

        using var response = await client.GetAsync(new Uri("/nulle-part", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal("Page introuvable", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
    }

    private static async Task<HttpResponseMessage> IdentifyAsync(HttpClient client, SeededCollectivite collectivite, string name, string? email)
    {
        var page = await Html.GetAsync(client, collectivite.Home, Ct);
        var form = page.QuerySelector("section[aria-labelledby=qui] form")!;
        var fields = Html.Fields(form);
        Html.Set(fields, "Name", name);
        Html.Set(fields, "Email", email ?? "");
        return await Html.PostFormAsync(client, form.GetAttribute("action")!, fields, Ct);
    }

    private static IHtmlInputElement Input(IElement scope, string name) =>
        scope.QuerySelector<IHtmlInputElement>($"input[name='{name}']") ?? throw new InvalidOperationException($"No input {name}.");

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

public sealed class RespondentPagesTests_Sqlite(SqliteDatabase database) : RespondentPagesTests<SqliteDatabase>(database);

public sealed class RespondentPagesTests_Postgres(PostgresDatabase database) : RespondentPagesTests<PostgresDatabase>(database);
