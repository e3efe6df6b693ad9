using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Pages;

/// <summary>
/// « Relire et transmettre » and what surrounds it, without JavaScript: every answer by theme with a link to change it,
/// the confirmation asked when questions are left unanswered, the pages once the questionnaire is transmitted, the
/// theme's counter and its links to the neighbouring themes, the deadline and the organiser's contact on the home.
/// </summary>
public abstract class SubmissionTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Review_ShowsEveryAnswerByThemeAsTheQuestionnaireDoes_WithALinkToChangeEach()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        await AnswerAsync(client, campaign.A, "gouvernance.strategie", new { level = 2, comment = "Adoptée en conseil", evidenceUrl = "https://exemple.fr/strategie.pdf" });
        await AnswerAsync(client, campaign.A, "gouvernance.pilotage", new { status = "NC" });
        await AnswerAsync(client, campaign.A, "services.demarches", new { status = "NSP", evidenceText = "Le service est réorganisé" });
        await AnswerAsync(client, campaign.A, "services.mediation", new { comment = "À voir avec le CCAS" });

        var review = await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct);

        Assert.Equal(
            ["1. Gouvernance numérique — 2 questions renseignées sur 3", "2. Services aux usagers — 1 question renseignée sur 2", "Transmission"],
            review.QuerySelectorAll("main h2").Select(Html.TextOf));
        var themes = review.QuerySelectorAll("section.review");
        Assert.Equal(
            [
                ["La collectivité dispose d'une stratégie numérique formalisée. | 2 — Orientations formalisées | Commentaire : « Adoptée en conseil » | Document : https://exemple.fr/strategie.pdf | Modifier",
                    "Une instance pilote la transformation numérique. | Non concerné | Modifier",
                    "La stratégie numérique est évaluée régulièrement. | Sans réponse | Répondre"],
                ["Les démarches courantes sont dématérialisées. | Ne sait pas | Justification : « Le service est réorganisé » | Modifier",
                    "Une médiation numérique accompagne les usagers. | Sans réponse | Commentaire : « À voir avec le CCAS » | Répondre"],
            ],
            themes.Select(theme => theme.QuerySelectorAll("li").Select(li => string.Join(" | ", li.Children.Select(Html.TextOf))).ToArray()));
        Assert.Equal(["gouvernance.evaluation", "services.mediation"], review.QuerySelectorAll("li.unanswered").Select(li => li.GetAttribute("data-question")));
        Assert.Equal("https://exemple.fr/strategie.pdf", review.QuerySelector("li[data-question='gouvernance.strategie'] p.evidence a")!.GetAttribute("href"));

        // Each link opens the question on its theme's page.
        Assert.Equal(
            [$"{campaign.A.Home}/theme/1#q-gouvernance-strategie", $"{campaign.A.Home}/theme/1#q-gouvernance-pilotage", $"{campaign.A.Home}/theme/1#q-gouvernance-evaluation",
                $"{campaign.A.Home}/theme/2#q-services-demarches", $"{campaign.A.Home}/theme/2#q-services-mediation"],
            review.QuerySelectorAll("p.edit a").Select(a => a.GetAttribute("href")));
        foreach (var link in review.QuerySelectorAll("p.edit a").Select(a => a.GetAttribute("href")!))
        {
            var theme = await Html.GetAsync(client, link[..link.IndexOf('#', StringComparison.Ordinal)], Ct);
            Assert.Equal("fieldset", theme.GetElementById(link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..])?.LocalName);
        }
    }

    [Fact]
    public async Task Submit_WithUnansweredQuestions_IsRefusedUntilConfirmed()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        await AnswerAsync(client, campaign.A, "gouvernance.strategie", new { level = 3 });
        var form = (await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct)).QuerySelector("main form")!;
        Assert.Equal("Je transmets le questionnaire avec 4 questions sans réponse", Html.TextOf(form.QuerySelector("label[for=confirm]")!));
        Assert.Equal("4", form.QuerySelector<IHtmlInputElement>("#confirm")!.Value);

        using var unconfirmed = await Html.PostFormAsync(client, $"{campaign.A.Home}/transmettre", Html.Fields(form), Ct);

        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Equal(
            "Le questionnaire compte 4 questions sans réponse : cochez la case « Je transmets le questionnaire avec 4 questions sans réponse » pour le transmettre ainsi, ou répondez d'abord à ces questions.",
            Html.TextOf((await Html.ParseAsync(unconfirmed, Ct)).QuerySelector("[role=alert]")!));
        Assert.Equal("in_progress", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);

        var confirmed = Html.Fields(form);
        Html.Tick(confirmed, form, "#confirm");
        using var submitted = await Html.PostFormAsync(client, $"{campaign.A.Home}/transmettre", confirmed, Ct);

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Equal("submitted", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Fact]
    public async Task Submit_OneQuestionUnanswered_SaysItInTheSingular()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        foreach (var question in campaign.QuestionIds.Skip(1))
        {
            await AnswerAsync(client, campaign.A, question, new { level = 1 });
        }

        var review = await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct);

        Assert.Equal("4 questions renseignées sur 5, 1 question sans réponse : elles sont signalées ci-dessous.", Html.TextOf(review.QuerySelector("p.lead")!));
        Assert.Equal("Je transmets le questionnaire avec 1 question sans réponse", Html.TextOf(review.QuerySelector("label[for=confirm]")!));
        Assert.Equal("1. Gouvernance numérique — 2 questions renseignées sur 3", Html.TextOf(review.QuerySelector("main h2")!));
    }

    [Fact]
    public async Task Submit_EveryQuestionAnswered_AsksNoConfirmation()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        foreach (var question in campaign.QuestionIds)
        {
            await AnswerAsync(client, campaign.A, question, new { status = "NSP" });
        }
        var review = await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct);
        Assert.Equal("5 questions renseignées sur 5 : toutes les questions ont une réponse.", Html.TextOf(review.QuerySelector("p.lead")!));
        Assert.Empty(review.QuerySelectorAll("li.unanswered"));
        var form = review.QuerySelector("main form")!;
        Assert.Null(form.QuerySelector("input[type=checkbox]"));

        using var submitted = await Html.PostFormAsync(client, $"{campaign.A.Home}/transmettre", Html.Fields(form), Ct);

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Equal("submitted", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Fact]
    public async Task Submit_AnswersChangedSinceTheConfirmation_IsRefusedWithTheNewCount()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        foreach (var question in campaign.QuestionIds.Take(3))
        {
            await AnswerAsync(client, campaign.A, question, new { level = 4 });
        }
        var form = (await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct)).QuerySelector("main form")!;
        var confirmed = Html.Fields(form);
        Html.Tick(confirmed, form, "#confirm");
        // Meanwhile a colleague clears an answer: three questions are now unanswered, not the two confirmed.
        await AnswerAsync(client, campaign.A, campaign.QuestionIds[0], new { level = (int?)null });

        using var refused = await Html.PostFormAsync(client, $"{campaign.A.Home}/transmettre", confirmed, Ct);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Html.ParseAsync(refused, Ct);
        Assert.Equal(
            "Les réponses ont changé depuis l'affichage de cette page : le questionnaire compte maintenant 3 questions sans réponse. Relisez-les ci-dessous, puis transmettez à nouveau. Rien n'a été transmis.",
            Html.TextOf(page.QuerySelector("[role=alert]")!));
        var box = page.QuerySelector<IHtmlInputElement>("#confirm")!;
        Assert.Equal(("3", false), (box.Value, box.IsChecked));
        Assert.Equal("in_progress", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Fact]
    public async Task AfterSubmission_ThePagesReadAsDone()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        await AnswerAsync(client, campaign.A, "gouvernance.strategie", new { level = 3 });
        var fresh = Html.Text(await Html.GetAsync(client, campaign.A.Home, Ct));
        Assert.Contains("Chaque réponse est enregistrée dès que vous la donnez", fresh, StringComparison.Ordinal);
        Assert.Contains("Date limite :", fresh, StringComparison.Ordinal);

        (await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();
        var home = await Html.GetAsync(client, campaign.A.Home, Ct);

        var text = Html.Text(home);
        Assert.DoesNotContain("enregistrée dès que vous la donnez", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Reprendre", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Commencer", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Date limite", text, StringComparison.Ordinal);
        Assert.Null(home.QuerySelector("section[aria-labelledby=qui]"));
        var notice = home.QuerySelector(".notice.success[role=status]")!;
        var paragraphs = notice.QuerySelectorAll("p").Select(Html.TextOf).ToList();
        Assert.Matches(@"^Questionnaire transmis le \d{1,2}(er)? \p{Ll}+ \d{4} par lien d'invitation\. Merci !$", paragraphs[0]);
        Assert.Equal(
            ["Vos réponses entreront dans les résultats du baromètre, établis à la clôture de la campagne. Voir votre comparatif : vos scores face au panel, à votre type de collectivité et à votre strate de population, et vos prochaines étapes.",
                "Une réponse à corriger ? Demandez à l'organisateur du baromètre de rouvrir votre questionnaire : vous pourrez alors le modifier, puis le transmettre à nouveau."],
            paragraphs.Skip(1));
        Assert.Equal($"{campaign.A.Home}/resultats", notice.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(
            [("Consulter vos réponses", $"{campaign.A.Home}/transmettre"), ("Télécharger vos réponses (CSV)", $"{campaign.A.Home}/resultats?handler=Answers")],
            home.QuerySelectorAll("section[aria-labelledby=avancement] .actions a").Select(a => (Html.TextOf(a), a.GetAttribute("href")!)));

        var theme = Html.Text(await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct));
        Assert.DoesNotContain("enregistrée dès que vous la donnez", theme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Theme_HeaderCountsTheAnsweredQuestionsInFrench()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var counts = new List<string>();
        async Task ReadAsync() => counts.Add(Html.TextOf((await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct)).QuerySelector("#answered")!));

        await ReadAsync();
        await AnswerAsync(client, campaign.A, "gouvernance.pilotage", new { comment = "Un commentaire n'est pas une réponse" });
        await ReadAsync();
        await AnswerAsync(client, campaign.A, "gouvernance.strategie", new { level = 0 });
        await ReadAsync();
        await AnswerAsync(client, campaign.A, "gouvernance.pilotage", new { status = "NC" });
        await ReadAsync();
        await AnswerAsync(client, campaign.A, "services.demarches", new { level = 4 });
        await ReadAsync();

        Assert.Equal(
            ["0 question renseignée sur 3", "0 question renseignée sur 3", "1 question renseignée sur 3", "2 questions renseignées sur 3", "2 questions renseignées sur 3"],
            counts);
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        Assert.Equal(["true", "true", "false"], page.QuerySelectorAll("fieldset.question").Select(f => f.GetAttribute("data-given")));
    }

    [Fact]
    public async Task Theme_LinksToThePreviousAndTheNextTheme()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        var first = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var last = await Html.GetAsync(client, $"{campaign.A.Home}/theme/2", Ct);

        Assert.Equal(
            $"← Retour au sommaire · thème 1 sur 2 · Thème suivant → · 0 question renseignée sur 3",
            Html.TextOf(first.QuerySelector("nav.theme-nav")!));
        Assert.Null(first.QuerySelector("a[rel=prev]"));
        Assert.Equal($"{campaign.A.Home}/theme/2", first.QuerySelector("nav.theme-nav a[rel=next]")!.GetAttribute("href"));
        Assert.Equal(
            $"← Retour au sommaire · ← Thème précédent · thème 2 sur 2 · 0 question renseignée sur 2",
            Html.TextOf(last.QuerySelector("nav.theme-nav")!));
        Assert.Equal($"{campaign.A.Home}/theme/1", last.QuerySelector("nav.theme-nav a[rel=prev]")!.GetAttribute("href"));
        Assert.Null(last.QuerySelector("a[rel=next]"));
        Assert.Equal("← Thème précédent", Html.TextOf(last.QuerySelector($".pager a[href='{campaign.A.Home}/theme/1']")!));
    }

    [Fact]
    public async Task Home_ShowsTheDeadlineAndTheContact_InParisTime_AndOneStartButton()
    {
        // 22 h 30 UTC on 6 April is already 7 April in Paris (UTC+2): the pages give Paris dates. Links last 120 days:
        // 4 August 2040 at 22 h 30 UTC, 5 August in Paris. No other test of this class moves the clock.
        var at = new DateTimeOffset(2040, 4, 6, 22, 30, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < at)
        {
            App.Clock.SetUtcNow(at);
        }
        Assert.Equal(at, App.Clock.GetUtcNow());
        var campaign = await App.SeedCampaignAsync(contact: CampaignContact.Of(" Mission numérique ", "numerique@exemple.fr"), cancellationToken: Ct);
        var withoutName = await App.SeedCampaignAsync(contact: CampaignContact.Of(null, "numerique@exemple.fr"), cancellationToken: Ct);
        var withoutContact = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        var home = await Html.GetAsync(client, campaign.A.Home, Ct);

        Assert.Equal("Date limite : 5 août 2040 — ce lien expire ce jour-là ; transmettez le questionnaire avant.", Html.TextOf(home.QuerySelector("p.deadline")!));
        Assert.Equal("Contact : Mission numérique (numerique@exemple.fr)", Html.TextOf(home.QuerySelector("p.contact")!));
        Assert.Equal("mailto:numerique@exemple.fr", home.QuerySelector("p.contact a")!.GetAttribute("href"));
        Assert.Equal("Contact : numerique@exemple.fr", Html.TextOf((await Html.GetAsync(client, withoutName.A.Home, Ct)).QuerySelector("p.contact")!));
        Assert.Null((await Html.GetAsync(client, withoutContact.A.Home, Ct)).QuerySelector("p.contact"));
        // « Qui êtes-vous ? » and the questionnaire: one « Commencer », the questionnaire's.
        Assert.Equal(["Commencer le questionnaire"], home.QuerySelectorAll("main a, main button").Select(Html.TextOf).Where(t => t.StartsWith("Commencer", StringComparison.Ordinal)));
        Assert.Equal("Enregistrer mon nom", Html.TextOf(home.QuerySelector("section[aria-labelledby=qui] button")!));

        await AnswerAsync(client, campaign.A, "gouvernance.strategie", new { level = 2 });
        var theme = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        Assert.Equal($"Enregistré le 7 avril 2040 par lien {campaign.A.Code}.", Html.TextOf(theme.QuerySelector("fieldset[data-question='gouvernance.strategie'] [data-role=state]")!));
        (await client.SubmitAsync(campaign.A.Token, cancellationToken: Ct)).Dispose();
        var done = await Html.GetAsync(client, campaign.A.Home, Ct);
        Assert.StartsWith("Questionnaire transmis le 7 avril 2040 par lien d'invitation.", Html.TextOf(done.QuerySelector(".notice.success")!), StringComparison.Ordinal);
        var review = await Html.GetAsync(client, $"{campaign.A.Home}/transmettre", Ct);
        Assert.Equal("Contact : Mission numérique (numerique@exemple.fr)", Html.TextOf(review.QuerySelector("p.contact")!));

        // During a review window the deadline is its end, when it comes before the link's expiry: 20 April 2040, 18 h in Paris.
        await App.CloseAsync(campaign, new DateTime(2040, 4, 20, 16, 0, 0, DateTimeKind.Utc), Ct);
        Assert.Equal("Date limite : 20 avril 2040 — fin de la période de relecture ; transmettez le questionnaire avant.",
            Html.TextOf((await Html.GetAsync(client, campaign.B.Home, Ct)).QuerySelector("p.deadline")!));

        // No date of the respondent's pages is written the ISO way.
        foreach (var page in new[] { done, review, theme, await Html.GetAsync(client, campaign.B.Home, Ct) })
        {
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", Html.Text(page));
        }
    }

    private static async Task AnswerAsync(HttpClient client, SeededCollectivite collectivite, string question, object body)
    {
        using var response = await client.PutAnswerAsync(collectivite.Token, question, body, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class SubmissionTests_Sqlite(SqliteDatabase database) : SubmissionTests<SqliteDatabase>(database);

public sealed class SubmissionTests_Postgres(PostgresDatabase database) : SubmissionTests<PostgresDatabase>(database);
