using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Barometre.Data.Mail;
using Barometre.Testing.Mail;
using Barometre.Web.Mail;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Mail;

/// <summary>
/// The campaign's « Courriels » page (templates, preview, sends counted before they are confirmed), the delivery status on
/// the follow-up page and in its CSV, and an address corrected and resent from the collectivité's page.
/// </summary>
public abstract class MailPagesTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Templates_DefaultText_Preview_Refusal_AndSave()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var url = $"/admin/campagnes/{campaign.Id}/courriels";
        var page = await Html.GetAsync(client, url, Ct);
        Assert.Equal(MailTemplate.Default(MailKind.Invitation).Subject, page.QuerySelector<IHtmlInputElement>("#Invitation-subject")!.Value);
        Assert.Contains("Aucun serveur de messagerie n'est configuré", Html.Text(page), StringComparison.Ordinal);
        var form = page.QuerySelector<IHtmlFormElement>("form:has(#Invitation-subject)")!;

        var fields = Html.Fields(form);
        Html.Set(fields, "Form.InvitationHtml", "<p>Bonjour {collectivite} : <a href=\"{lien}\">répondre</a> avant le {date_limite}.</p>");
        Html.Set(fields, "Form.Organiser", "Mission <numérique>");
        using var preview = await Html.PostFormAsync(client, url + "?handler=Preview", fields, Ct);
        var shown = await Html.ParseAsync(preview, Ct);
        var frame = shown.QuerySelector("iframe.preview-html")!;
        Assert.Equal("", frame.GetAttribute("sandbox"));
        Assert.Contains($"<p>Bonjour {campaign.A.Name} : <a href=\"http://localhost/q/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\">répondre</a> avant le ", frame.GetAttribute("srcdoc"), StringComparison.Ordinal);
        Assert.Contains("Mission <numérique> mène le baromètre", shown.QuerySelector(".preview-text")!.TextContent, StringComparison.Ordinal);

        Html.Set(fields, "Form.ReminderSubject", "Rappel pour {commune}");
        using var refused = await Html.PostFormAsync(client, url + "?handler=Settings", fields, Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("La relance : L'objet contient « {commune} », qui n'est pas un champ connu : {collectivite}, {lien}, {date_limite}, {organisateur}, {contact}.",
            Html.TextOf((await Html.ParseAsync(refused, Ct)).QuerySelector("[role=alert]")!));

        Html.Set(fields, "Form.ReminderSubject", "Rappel pour {collectivite}");
        Html.Set(fields, "Form.ReminderDays", "10, 2");
        using var saved = await Html.PostFormAsync(client, url + "?handler=Settings", fields, Ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await App.WithDbAsync(db => db.MailSettings.SingleAsync(s => s.CampaignId == campaign.Id, Ct));
        Assert.Equal(("Rappel pour {collectivite}", "10,2", "Mission <numérique>"), (stored.ReminderSubject, stored.ReminderDays, stored.Organiser));
        // The invitation's subject and text were left as the default's: only its HTML is the campaign's own.
        Assert.Equal(MailTemplate.Default(MailKind.Invitation).Subject, stored.InvitationSubject);
        Assert.StartsWith("<p>Bonjour {collectivite}", stored.InvitationHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_CountedThenConfirmed_DeliveryShownOnTheFollowUpAndInItsCsv_RefusedAddressCorrectedAndResent()
    {
        Database.RequireAvailable();
        await using var sink = await SmtpSink.StartAsync("inconnu@exemple.fr");
        await using var app = new BarometreApp(Database, sink.Settings());
        app.Start();
        using var client = await app.SignedInClientAsync(cancellationToken: Ct);
        var campaign = await app.SeedCampaignAsync(cancellationToken: Ct);
        await app.WithDbAsync(db => db.Participants.Where(p => p.Id == campaign.B.ParticipantId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Email, "inconnu@exemple.fr"), Ct));
        var url = $"/admin/campagnes/{campaign.Id}/courriels";

        var page = await Html.GetAsync(client, url, Ct);
        Assert.Contains("3 invitations partiront ; 0 collectivité ignorée.", Html.Text(page), StringComparison.Ordinal);
        // A count that no longer holds is not confirmed.
        using var stale = await OperatorPages.SubmitAsync(client, url, "form[action$='handler=Invitations']", fields => Html.Set(fields, "Expected", "2"), Ct);
        Assert.Contains("Le nombre de courriels a changé depuis l'affichage de la page (3 au lieu de 2)", Html.Text(await Html.ParseAsync(stale, Ct)), StringComparison.Ordinal);
        using var confirmed = await OperatorPages.SubmitAsync(client, url, "form[action$='handler=Invitations']", cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Contains("3 invitations mises en file d'attente", Html.Text(await Html.GetAsync(client, url, Ct)), StringComparison.Ordinal);
        await app.Services.GetRequiredService<MailDispatcher>().RunOnceAsync(Ct);

        Assert.Equal([$"dgs{Number(campaign.A)}@exemple.fr", $"dgs{Number(campaign.C)}@exemple.fr"], sink.Messages().Select(m => m.To.Mailboxes.Single().Address));
        var followUp = await Html.GetAsync(client, $"/admin/campagnes/{campaign.Id}", Ct);
        var cells = followUp.QuerySelectorAll("td.delivery").Select(Html.TextOf).ToList();
        Assert.StartsWith("invitation : envoyé le ", cells[0], StringComparison.Ordinal);
        Assert.StartsWith("invitation : envoyé le ", cells[2], StringComparison.Ordinal);
        Assert.Contains("invitation : refusé par le serveur", cells[1], StringComparison.Ordinal);
        Assert.Contains("550 5.1.1 Adresse inconnue", cells[1], StringComparison.Ordinal);
        using var csvResponse = await client.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}?handler=Csv", UriKind.Relative), Ct);
        var csv = (await csvResponse.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("code,nom,email,statut,repondues,questions,adresse_en_echec,dernier_courriel,etat_courriel,date_courriel,reponse_serveur,doutes_en_attente,doutes_reponse_recue,doutes_leves", csv[0]);
        var at = app.Now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Equal($"{campaign.B.Code},{campaign.B.Name},inconnu@exemple.fr,Non commencé,0,5,,invitation,refusé par le serveur,{at},550 5.1.1 Adresse inconnue,0,0,0", csv[2]);
        Assert.Equal($"{campaign.A.Code},{campaign.A.Name},dgs{Number(campaign.A)}@exemple.fr,Non commencé,0,5,,invitation,envoyé,{at},,0,0,0", csv[1]);
        // The same table as a workbook: the counts as numbers, the server's reply as text.
        Assert.NotNull(followUp.QuerySelector($"a[href='/admin/campagnes/{campaign.Id}?handler=Csv&format=xlsx']"));
        using (var workbook = new MemoryStream(await client.GetByteArrayAsync(new Uri($"/admin/campagnes/{campaign.Id}?handler=Csv&format=xlsx", UriKind.Relative), Ct)))
        {
            var rows = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToArray()).ToList();
            Assert.Equal(csv[0].Split(','), rows[0].Select(cell => (string)cell!));
            Assert.Equal(campaign.B.Code, rows[2][0]);
            Assert.Equal(5.0, rows[2][5]);
            Assert.Equal("550 5.1.1 Adresse inconnue", rows[2][10]);
        }

        // The operator corrects the address on the collectivité's page: the invitation goes again, with the same link.
        var participant = $"/admin/campagnes/{campaign.Id}/collectivites/{campaign.B.ParticipantId}";
        using var corrected = await OperatorPages.SubmitAsync(client, participant, "form[action$='handler=Email']", fields => Html.Set(fields, "email", "accueil@mairie.exemple.fr"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        Assert.Contains("invitation (envoi n° 2) mise en file d'attente pour accueil@mairie.exemple.fr", Html.Text(await Html.GetAsync(client, participant, Ct)), StringComparison.Ordinal);
        await app.Services.GetRequiredService<MailDispatcher>().RunOnceAsync(Ct);
        var last = sink.Messages()[^1];
        Assert.Equal("accueil@mairie.exemple.fr", last.To.Mailboxes.Single().Address);
        Assert.Contains($"http://localhost/q/{campaign.B.Token}", last.TextBody, StringComparison.Ordinal);
        var afterCorrection = Html.TextOf((await Html.GetAsync(client, participant, Ct)).QuerySelector("dd.delivery")!);
        Assert.StartsWith("invitation (envoi n° 2) : envoyé (", afterCorrection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bounce_ReadFromTheMailboxByTheServer_ShownOnTheFollowUpAndInItsCsv_AndTheAddressSkippedUntilCorrected()
    {
        Database.RequireAvailable();
        await using var sink = await SmtpSink.StartAsync();
        await using var mailbox = await ImapMailbox.StartAsync([]);
        await using var app = new BarometreApp(Database, new Dictionary<string, string?>(sink.Settings().Concat(mailbox.Settings())));
        app.Start();
        using var client = await app.SignedInClientAsync(cancellationToken: Ct);
        var campaign = await app.SeedCampaignAsync(cancellationToken: Ct);
        await app.InScopeAsync(services => services.GetRequiredService<MailOutbox>()
            .QueueAsync(campaign.Id, new MailRequest(MailKind.Invitation, MailAudience.All), new Uri("https://barometre.exemple.fr"), Seeding.Operator, Ct));
        var dispatcher = app.Services.GetRequiredService<MailDispatcher>();
        await dispatcher.RunOnceAsync(Ct);
        var toB = sink.Messages().Single(m => m.To.Mailboxes.Single().Address == $"dgs{Number(campaign.B)}@exemple.fr");

        // The report comes back; the server reads the mailbox at its next reading.
        await mailbox.DeliverAsync(ImapMailbox.DeliveryReport(toB, $"dgs{Number(campaign.B)}@exemple.fr"));
        app.Clock.Advance(MailDispatcher.BouncePeriod);
        await dispatcher.RunOnceAsync(Ct);

        var followUp = await Html.GetAsync(client, $"/admin/campagnes/{campaign.Id}", Ct);
        var cell = followUp.QuerySelectorAll("td.delivery").Select(Html.TextOf).ToList()[1];
        Assert.Contains("invitation : revenu en erreur", cell, StringComparison.Ordinal);
        Assert.Contains("User unknown in local recipient table", cell, StringComparison.Ordinal);
        using var csvResponse = await client.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}?handler=Csv", UriKind.Relative), Ct);
        var row = (await csvResponse.Content.ReadAsStringAsync(Ct)).Split("\r\n")[2].Split(',');
        var at = app.Now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Equal((campaign.B.Code, at, "revenu en erreur", at), (row[0], row[6], row[8], row[9]));
        var mail = Html.Text(await Html.GetAsync(client, $"/admin/campagnes/{campaign.Id}/courriels", Ct));
        Assert.Contains("adresse en échec depuis le", mail, StringComparison.Ordinal);
    }

    private static string Number(SeededCollectivite collectivite) => collectivite.Code[1..].TrimStart('0');
}

public sealed class MailPagesTests_Sqlite(SqliteDatabase database) : MailPagesTests<SqliteDatabase>(database);

public sealed class MailPagesTests_Postgres(PostgresDatabase database) : MailPagesTests<PostgresDatabase>(database);
