using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Data.Privacy;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Privacy;

/// <summary>
/// Personal data on the web: the privacy notice (configured texts, linked from every footer and shown where names and
/// addresses are collected), a contributor's own page through the link (what is stored, the erasure, confirmed; another
/// collectivité's link reaches nothing), the campaign's retention and erasure for the operator, and the register entry.
/// </summary>
public abstract class PersonalDataPagesTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task PrivacyNotice_IsPublicFrenchAndConfigured_AndEveryFooterLinksIt()
    {
        Database.RequireAvailable();
        await using var app = new BarometreApp(Database, new Dictionary<string, string?>
        {
            ["Barometre:Privacy:Controller"] = "Métropole d'essai",
            ["Barometre:Privacy:ControllerContact"] = "donnees@metropole-essai.fr",
            ["Barometre:Privacy:DpoContact"] = "dpd@metropole-essai.fr",
        });
        using var client = app.Client();

        var page = await Html.GetAsync(client, "/donnees-personnelles", Ct);

        var text = Html.Text(page);
        Assert.Contains("mis en œuvre par Métropole d'essai", text, StringComparison.Ordinal);
        Assert.Contains("Base légale : Mission d'intérêt public (article 6, paragraphe 1, point e du RGPD).", text, StringComparison.Ordinal);
        Assert.Contains("24 mois après la clôture de la campagne par défaut", text, StringComparison.Ordinal);
        Assert.Contains("réclamation à la Commission nationale de l'informatique et des libertés (CNIL)", text, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='mailto:donnees@metropole-essai.fr']"));
        Assert.NotNull(page.QuerySelector("a[href='mailto:dpd@metropole-essai.fr']"));
        Assert.NotNull(page.QuerySelector("meta[name=description]"));
        var campaign = await app.SeedCampaignAsync(cancellationToken: Ct);
        foreach (var path in new[] { "/", "/resultats", "/admin/connexion", campaign.A.Home, "/q/inconnu" })
        {
            using var response = await client.GetAsync(path, Ct);
            var document = await Html.ParseAsync(response, Ct);
            Assert.True(document.QuerySelector("footer a[href='/donnees-personnelles']") is not null, path);
        }
    }

    [Fact]
    public async Task Notice_IsShownWhereNamesAndAddressesAreCollected()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var browser = Client();
        using var @operator = await App.SignedInClientAsync(cancellationToken: Ct);

        var home = await Html.GetAsync(browser, campaign.A.Home, Ct);
        var notice = home.QuerySelector("section[aria-labelledby=qui] #privacy-notice");

        Assert.NotNull(notice);
        Assert.Contains("Ils sont effacés 24 mois après la clôture de la campagne", notice.TextContent, StringComparison.Ordinal);
        Assert.NotNull(notice.QuerySelector("a[href='/donnees-personnelles']"));
        foreach (var path in new[] { "/admin/campagnes/nouvelle", $"/admin/campagnes/{campaign.Id}/panel" })
        {
            var page = await Html.GetAsync(@operator, path, Ct);
            Assert.True(page.QuerySelector(".privacy-notice a[href='/donnees-personnelles']") is not null, path);
        }
    }

    [Fact]
    public async Task OwnPage_ShowsWhatIsStored_ErasesOnlyOnceConfirmed_AndAnotherLinkReachesNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var browser = Client();
        var credential = await IdentifyAsync(browser, campaign.A, "Marie Dupont", "marie.dupont@mairie-exemple.fr");
        using (var saved = await browser.PutAnswerAsync(campaign.A.Token, campaign.QuestionIds[0], new { level = 2, comment = "Vu en conseil" }, contributor: credential, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        var ownPage = $"{campaign.A.Home}/mes-donnees";

        var shown = Html.Text(await Html.GetAsync(browser, ownPage, Ct));

        Assert.Contains("Marie Dupont", shown, StringComparison.Ordinal);
        Assert.Contains("marie.dupont@mairie-exemple.fr", shown, StringComparison.Ordinal);
        Assert.Contains(campaign.Model.Questions[0].Label, shown, StringComparison.Ordinal);
        Assert.Contains("Contributeur ajouté", shown, StringComparison.Ordinal);

        // Another collectivité's link, with her credential as its cookie: nobody is named there, nothing is erased.
        var jar = new CookieJar();
        jar.Set($"barometre.contributeur.{campaign.B.ParticipantId}", credential);
        using var stranger = App.CookielessClient();
        var foreign = await jar.PageAsync(stranger, $"{campaign.B.Home}/mes-donnees", Ct);
        Assert.Contains("Vous ne vous êtes pas nommé·e sur cet appareil", Html.Text(foreign), StringComparison.Ordinal);
        var token = Html.AntiforgeryToken(await jar.PageAsync(stranger, campaign.B.Home, Ct));
        using (var forced = await jar.PostFormAsync(stranger, $"{campaign.B.Home}/mes-donnees?handler=Erase", [new(Html.AntiforgeryField, token), new("Confirm", "true")], Ct))
        {
            Assert.Contains("rien n'a été effacé", Html.Text(await Html.ParseAsync(forced, Ct)), StringComparison.Ordinal);
        }
        // Not confirmed: nothing is erased.
        using (var unconfirmed = await OperatorPages.SubmitAsync(browser, ownPage, "form[action*=Erase]", cancellationToken: Ct))
        {
            Assert.Contains("Cochez la case de confirmation", Html.Text(await Html.ParseAsync(unconfirmed, Ct)), StringComparison.Ordinal);
        }
        Assert.Equal("Marie Dupont", (await ContributorAsync(campaign.A)).Name);

        using var erased = await OperatorPages.SubmitAsync(browser, ownPage, "form[action*=Erase]", fields => Html.Set(fields, "Confirm", "true"), Ct);

        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);
        Assert.Equal($"{ownPage}?efface=1", OperatorPages.PathOf(erased.Headers.Location));
        var contributor = await ContributorAsync(campaign.A);
        var neutral = PersonalData.NeutralName(contributor.Id);
        Assert.Equal((neutral, (string?)null), (contributor.Name, contributor.Email));
        var after = Html.Text(await Html.GetAsync(browser, $"{ownPage}?efface=1", Ct));
        Assert.Contains("Votre identité est effacée.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Marie Dupont", after, StringComparison.Ordinal);
        var audit = await App.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.CampaignId == campaign.Id).ToListAsync(Ct));
        Assert.DoesNotContain(audit, a => $"{a.Actor} {a.Subject} {a.OldValue} {a.NewValue}".Contains("Marie Dupont", StringComparison.Ordinal)
            || $"{a.Subject} {a.NewValue}".Contains("marie.dupont@", StringComparison.Ordinal));
        var entry = Assert.Single(audit, a => a.Action == ContributorErasure.AuditAction);
        Assert.Equal($"lien {campaign.A.Code} ({neutral})", entry.Actor);
        // She answers on under the neutral name.
        using var next = await browser.PutAnswerAsync(campaign.A.Token, campaign.QuestionIds[1], new { level = 1 }, contributor: credential, cancellationToken: Ct);
        Assert.Equal($"lien {campaign.A.Code} ({neutral})", (await next.AnswerAsync(Ct)).UpdatedBy);
    }

    [Fact]
    public async Task OperatorPage_ChangesTheRetention_ErasesEarlyOnlyOnceConfirmed_AndTheRegisterDownloads()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        await App.AddContributorAsync(campaign.A, "Paul Martin", Ct);
        await App.WithDbAsync(db => db.Participants.Where(p => p.Id == campaign.A.ParticipantId)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.SubmittedAt, App.Now).SetProperty(x => x.SubmittedBy, "Paul Martin"), Ct));
        await App.CloseAsync(campaign, null, Ct);
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var page = $"/admin/campagnes/{campaign.Id}/donnees-personnelles";

        using var retention = await OperatorPages.SubmitAsync(client, page, "form[action*=Retention]", fields => Html.Set(fields, "RetentionMonths", "36"), Ct);
        using var invalid = await OperatorPages.SubmitAsync(client, page, "form[action*=Retention]", fields => Html.Set(fields, "RetentionMonths", "500"), Ct);
        using var notConfirmed = await OperatorPages.SubmitAsync(client, page, "form[action*=Purge]", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Redirect, retention.StatusCode);
        Assert.Equal(36, (await App.WithDbAsync(db => db.Campaigns.SingleAsync(c => c.Id == campaign.Id, Ct))).RetentionMonths);
        Assert.Contains("entre 1 et 120 mois, pas 500", Html.Text(await Html.ParseAsync(invalid, Ct)), StringComparison.Ordinal);
        Assert.Contains("Cochez la case pour effacer avant l'échéance.", Html.Text(await Html.ParseAsync(notConfirmed, Ct)), StringComparison.Ordinal);
        var shown = Html.Text(await Html.GetAsync(client, page, Ct));
        Assert.Contains("contributeurs (nom et adresse) : 1", shown, StringComparison.Ordinal);
        Assert.Contains("adresses des collectivités : 3", shown, StringComparison.Ordinal);

        using var purged = await OperatorPages.SubmitAsync(client, page, "form[action*=Purge]", fields => Html.Set(fields, "Early", "true"), Ct);

        Assert.Equal(HttpStatusCode.Redirect, purged.StatusCode);
        var entry = Assert.Single(await App.WithDbAsync(db => db.AuditEntries.Where(a => a.CampaignId == campaign.Id && a.Action == PersonalDataPurge.AuditAction).ToListAsync(Ct)));
        Assert.StartsWith("opérateur ", entry.Actor, StringComparison.Ordinal);
        Assert.Equal(PersonalData.NeutralName((await ContributorAsync(campaign.A)).Id), (await App.WithDbAsync(db => db.Participants.SingleAsync(p => p.Id == campaign.A.ParticipantId, Ct))).SubmittedBy);

        var register = await Html.GetAsync(client, "/admin/registre", Ct);
        Assert.Contains($"{campaign.Name} (campagne n° {campaign.Id}) : 36 mois après la clôture de la campagne ; données personnelles effacées le", Html.Text(register), StringComparison.Ordinal);
        using var csv = await client.GetAsync("/admin/registre?handler=Csv&format=csv-fr", Ct);
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("rubrique;contenu", lines[0]);
        Assert.Contains(lines, line => line.StartsWith("Base légale;Mission d'intérêt public", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Responsable du traitement;\"à renseigner (Barometre:Privacy:Controller) ;", StringComparison.Ordinal));
    }

    private Task<Contributor> ContributorAsync(SeededCollectivite collectivite) =>
        App.WithDbAsync(db => db.Contributors.AsNoTracking().SingleAsync(c => c.ParticipantId == collectivite.ParticipantId, Ct));

    /// <summary>Names the person through the questionnaire's form, as a browser does; their credential (the cookie's value).</summary>
    private static async Task<string> IdentifyAsync(HttpClient browser, SeededCollectivite collectivite, string name, string email)
    {
        using var response = await OperatorPages.SubmitAsync(browser, collectivite.Home, "section[aria-labelledby=qui] form", fields =>
        {
            Html.Set(fields, "Name", name);
            Html.Set(fields, "Email", email);
        }, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"barometre.contributeur.{collectivite.ParticipantId}=", StringComparison.Ordinal));
        return cookie.Split(';')[0].Split('=', 2)[1];
    }
}

public sealed class PersonalDataPagesTests_Sqlite(SqliteDatabase database) : PersonalDataPagesTests<SqliteDatabase>(database);

public sealed class PersonalDataPagesTests_Postgres(PostgresDatabase database) : PersonalDataPagesTests<PostgresDatabase>(database);
