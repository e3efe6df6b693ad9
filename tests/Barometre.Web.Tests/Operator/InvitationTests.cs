using System.Net;
using Barometre.Web.Tests.Infrastructure;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>
/// /admin/campagnes/{id}/invitations: the links come once, as a mail-merge CSV; issuing again gives only
/// the collectivités without a link; re-issuing all revokes the old links.
/// </summary>
public abstract class InvitationTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task IssueMissing_ReturnsACsvOfLinksThatOpenTheQuestionnaires()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var codes = OperatorPages.NewCodes(3);
        var id = await OperatorPages.CreateCampaignAsync(client, "Invitations CSV", OperatorPages.PanelCsv(codes), TestModels.Small, cancellationToken: Ct);
        Assert.Equal("3", await LinkCountAsync(client, id, "sans lien actif (jamais émis, révoqué ou expiré)"));

        using var response = await OperatorPages.SubmitAsync(client, $"/admin/campagnes/{id}/invitations", "form[action$='handler=Missing']", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"liens-campagne-{id}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("code,nom,email,link\r\n", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        var links = OperatorPages.ReadLinks(text);
        Assert.Equal(codes, links.Select(l => l.Code));
        Assert.Equal(codes.Select(c => $"Commune {c}"), links.Select(l => l.Name));
        Assert.Equal(codes.Select(c => $"mairie{c}@exemple.fr"), links.Select(l => l.Email));
        Assert.All(links, l => Assert.Matches(@"^http://localhost/q/[A-Za-z0-9_-]{20,}$", l.Link));
        Assert.Equal(3, links.Select(l => l.Token).Distinct(StringComparer.Ordinal).Count());
        using var respondent = Client();
        foreach (var link in links)
        {
            var home = await Html.GetAsync(respondent, new Uri(link.Link).PathAndQuery, Ct);
            Assert.Equal(link.Name, home.QuerySelector("h1")!.TextContent.Trim());
            Assert.Equal(link.Code, (await respondent.ReadQuestionnaireAsync(link.Token, Ct)).Collectivite.Code);
        }
        Assert.Equal("3", await LinkCountAsync(client, id, "avec un lien actif"));
        Assert.Equal("0", await LinkCountAsync(client, id, "sans lien actif (jamais émis, révoqué ou expiré)"));
    }

    [Fact]
    public async Task IssueMissing_Again_GivesOnlyTheNewCollectivitesAndKeepsTheOldLinks()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var codes = OperatorPages.NewCodes(4);
        var id = await OperatorPages.CreateCampaignAsync(client, "Invitations en deux temps", OperatorPages.PanelCsv(codes[..2]), TestModels.Small, cancellationToken: Ct);
        var first = await OperatorPages.IssueMissingLinksAsync(client, id, Ct);

        // Nothing to issue: the page says so, its button is disabled, and a POST anyway gives no file.
        var page = await Html.GetAsync(client, $"/admin/campagnes/{id}/invitations", Ct);
        var missing = page.QuerySelector("section[aria-labelledby=manquants]")!;
        Assert.Contains("Chaque collectivité du panel a un lien actif : il n'y a rien à émettre.", missing.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("chacune des 0", missing.TextContent, StringComparison.Ordinal);
        Assert.True(missing.QuerySelector("button")!.HasAttribute("disabled"));
        using (var none = await OperatorPages.SubmitAsync(client, $"/admin/campagnes/{id}/invitations", "form[action$='handler=Missing']", cancellationToken: Ct))
        {
            Assert.Equal("text/html", none.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Aucun lien à émettre", Html.Text(await Html.ParseAsync(none, Ct)), StringComparison.Ordinal);
        }
        // Two more collectivités through the panel page (one of the first two updated, not duplicated).
        using (var imported = await OperatorPages.UploadAsync(client, $"/admin/campagnes/{id}/panel", "main form", new Dictionary<string, string>(),
            [new UploadedFile("PanelUpload", "ajout.csv", OperatorPages.PanelCsv(codes[1..]))], Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        }
        Assert.Contains("2 collectivité(s) ajoutée(s), 0 mise(s) à jour, 1 inchangée(s)", Html.Text(await Html.GetAsync(client, $"/admin/campagnes/{id}/panel", Ct)), StringComparison.Ordinal);

        var second = await OperatorPages.IssueMissingLinksAsync(client, id, Ct);

        Assert.Equal(codes[..2], first.Select(l => l.Code));
        Assert.Equal(codes[2..], second.Select(l => l.Code));
        using var respondent = Client();
        foreach (var link in first.Concat(second))
        {
            using var response = await respondent.GetQuestionnaireAsync(link.Token, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ReissueAll_RequiresConfirmationThenRevokesEveryOldLink()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var codes = OperatorPages.NewCodes(2);
        var id = await OperatorPages.CreateCampaignAsync(client, "Réémission", OperatorPages.PanelCsv(codes), TestModels.Small, cancellationToken: Ct);
        var old = await OperatorPages.IssueMissingLinksAsync(client, id, Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(old[0].Token, "gouvernance.strategie", new { level = 3, comment = "gardé" }, cancellationToken: Ct)).Dispose();

        using (var unconfirmed = await OperatorPages.SubmitAsync(client, $"/admin/campagnes/{id}/invitations", "form[action$='handler=All']", cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
            Assert.Contains("Cochez la case de confirmation", (await Html.ParseAsync(unconfirmed, Ct)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        }
        using (var stillValid = await respondent.GetQuestionnaireAsync(old[0].Token, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        using var response = await OperatorPages.SubmitAsync(client, $"/admin/campagnes/{id}/invitations", "form[action$='handler=All']",
            fields => Html.Set(fields, "Confirm", "true"), Ct);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var fresh = OperatorPages.ReadLinks(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(codes, fresh.Select(l => l.Code));
        foreach (var link in old)
        {
            using var gone = await respondent.GetQuestionnaireAsync(link.Token, Ct);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            using var put = await respondent.PutAnswerAsync(link.Token, "gouvernance.pilotage", new { level = 1 }, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
            using var page = await respondent.GetAsync(new Uri(new Uri(link.Link).PathAndQuery, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }
        // The answers stay with the collectivité: its new link sees them.
        var document = await respondent.ReadQuestionnaireAsync(fresh[0].Token, Ct);
        Assert.Equal((3, "gardé"), (document.Answer("gouvernance.strategie").Level, document.Answer("gouvernance.strategie").Comment));
    }

    /// <summary>A count of the invitations page's « État des liens » table, by its row's header.</summary>
    private static async Task<string> LinkCountAsync(HttpClient client, int campaignId, string row)
    {
        var page = await Html.GetAsync(client, $"/admin/campagnes/{campaignId}/invitations", Ct);
        return page.QuerySelectorAll("table.compact tr").Single(tr => tr.QuerySelector("th")!.TextContent.Trim() == row).QuerySelector("td")!.TextContent.Trim();
    }
}

public sealed class InvitationTests_Sqlite(SqliteDatabase database) : InvitationTests<SqliteDatabase>(database);

public sealed class InvitationTests_Postgres(PostgresDatabase database) : InvitationTests<PostgresDatabase>(database);
