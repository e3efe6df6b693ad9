using System.Net;
using Barometre.Core;
using Barometre.Web.Tests.Infrastructure;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>/admin/campagnes/{id}/journal: every write, most recent first, with who, when and old → new.</summary>
public abstract class JournalTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    /// <summary>One row of the audit table as the operator reads it.</summary>
    private sealed record Row(string When, string Who, string Action, string Subject, string? Before, string After);

    [Fact]
    public async Task Journal_ListsEveryWriteWithWhoWhenAndOldToNew()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var operatorClient = await App.SignedInClientAsync(credentials, Ct);
        var codes = OperatorPages.NewCodes(2);
        var id = await OperatorPages.CreateCampaignAsync(operatorClient, "Campagne journalisée", OperatorPages.PanelCsv(codes), TestModels.Small, cancellationToken: Ct);
        var links = await OperatorPages.IssueMissingLinksAsync(operatorClient, id, Ct);
        var link = links[0];
        var alice = await App.AddContributorAsync(new SeededCollectivite(0, link.Code, link.Name, link.Token, default), "Alice Martin", Ct);
        using var respondent = Client();
        using (await respondent.PutAnswerAsync(link.Token, "gouvernance.strategie", new { level = 2 }, contributor: alice, cancellationToken: Ct))
        {
        }
        App.Clock.Advance(TimeSpan.FromMinutes(7));
        using (var second = await respondent.PutAnswerAsync(link.Token, "gouvernance.strategie", new { level = 3, comment = "revu en comité" }, "\"1\"", alice, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        var operatorName = $"opérateur {credentials.Email}";
        var who = $"lien {link.Code} (Alice Martin)";

        var rows = await RowsAsync(operatorClient, $"/admin/campagnes/{id}/journal");

        Assert.Equal(
            ["answer", "answer", "contributor.add", "invitation.issue", "invitation.issue", "campaign.create"],
            rows.Select(r => r.Action.Split(' ')[^1]));
        Assert.Equal(new Row(ParisTime.DateAndTime(App.Now), who, "Réponse answer", "gouvernance.strategie", "niveau 2", "niveau 3 ; commentaire « revu en comité »"), rows[0]);
        Assert.Equal(new Row(ParisTime.DateAndTime(App.Now.AddMinutes(-7)), who, "Réponse answer", "gouvernance.strategie", "—", "niveau 2"), rows[1]);
        Assert.Equal(("Contributeur ajouté contributor.add", "Alice Martin"), (rows[2].Action, rows[2].Subject));
        Assert.All(rows[3..], r => Assert.Equal(operatorName, r.Who));
        Assert.All(rows[2..], r => Assert.Equal(ParisTime.DateAndTime(App.Now.AddMinutes(-7)), r.When));
        Assert.Equal(("Lien émis invitation.issue", codes[1]), (rows[3].Action, rows[3].Subject));
        Assert.Equal($"lien valable jusqu'au {ParisTime.Date(App.Now.AddMinutes(-7).AddDays(120))}", rows[3].After);
        Assert.Equal(("Lien émis invitation.issue", codes[0]), (rows[4].Action, rows[4].Subject));
        Assert.Equal(("Création de la campagne campaign.create", "Campagne journalisée", (string?)null, "référentiel modele-test, 2 collectivités"), (rows[5].Action, rows[5].Subject, rows[5].Before, rows[5].After));
        var page = await Html.GetAsync(operatorClient, $"/admin/campagnes/{id}/journal", Ct);
        Assert.Contains("6 entrée(s)", page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        // A question's id breaks after its dot in a narrow column, never inside a word.
        Assert.Equal("gouvernance.<wbr>strategie", page.QuerySelector("table.audit tbody tr td.break")!.InnerHtml);

        // One collectivité's entries only.
        var participantId = await App.WithDbAsync(db => Task.FromResult(db.Participants.Single(p => p.CampaignId == id && p.Code == link.Code).Id));
        var own = await RowsAsync(operatorClient, $"/admin/campagnes/{id}/journal?collectivite={participantId}");
        Assert.Equal(["answer", "answer", "contributor.add", "invitation.issue"], own.Select(r => r.Action.Split(' ')[^1]));
        Assert.Equal($"Journal de Commune {link.Code}", (await Html.GetAsync(operatorClient, $"/admin/campagnes/{id}/journal?collectivite={participantId}", Ct)).QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Journal_FirstLinkIssued_RecordsNoRevokedLink()
    {
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        var codes = OperatorPages.NewCodes(1);
        var id = await OperatorPages.CreateCampaignAsync(operatorClient, "Premier lien", OperatorPages.PanelCsv(codes), TestModels.Small, cancellationToken: Ct);

        await OperatorPages.IssueMissingLinksAsync(operatorClient, id, Ct);

        var issue = Assert.Single(await RowsAsync(operatorClient, $"/admin/campagnes/{id}/journal"), r => r.Action.EndsWith("invitation.issue", StringComparison.Ordinal));
        // Nothing was revoked: the collectivité had no link before.
        Assert.Null(issue.Before);
    }

    [Fact]
    public async Task Journal_ReissuedLink_CountsTheOneLinkItRevoked()
    {
        var campaign = await App.SeedCampaignAsync(collectivites: 1, cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using (await OperatorPages.SubmitAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/collectivites/{campaign.A.ParticipantId}", "form[action$='handler=Reissue']", cancellationToken: Ct))
        {
        }

        var rows = await RowsAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/journal");

        var reissue = rows.First(r => r.Action.EndsWith("invitation.issue", StringComparison.Ordinal));
        Assert.StartsWith("opérateur operateur-", reissue.Who, StringComparison.Ordinal);
        Assert.Equal("1 lien(s) révoqué(s)", reissue.Before);
    }

    private static async Task<List<Row>> RowsAsync(HttpClient client, string url)
    {
        var page = await Html.GetAsync(client, url, Ct);
        return [.. page.QuerySelectorAll("table.audit tbody tr").Select(tr =>
        {
            var cells = tr.Children.ToList();
            var change = cells[4];
            string? Part(string selector) => change.QuerySelector(selector) is { } part
                ? Normalise(part.TextContent).Replace("avant : ", "", StringComparison.Ordinal).Replace("après : ", "", StringComparison.Ordinal)
                : null;
            return new Row(Normalise(cells[0].TextContent), Normalise(cells[1].TextContent), Normalise(cells[2].TextContent), Normalise(cells[3].TextContent), Part("del"), Part("ins")!);
        })];
    }

    /// <summary>Collapses the markup's layout whitespace, keeping the text's own no-break spaces (« 13 h 35 »).</summary>
    private static string Normalise(string text) => string.Join(' ', text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}

public sealed class JournalTests_Sqlite(SqliteDatabase database) : JournalTests<SqliteDatabase>(database);

public sealed class JournalTests_Postgres(PostgresDatabase database) : JournalTests<PostgresDatabase>(database);
