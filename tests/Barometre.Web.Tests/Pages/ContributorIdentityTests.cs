using System.Net;
using AngleSharp.Dom;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Pages;

/// <summary>
/// A contributor's identity cannot be forged: the contributor cookie and the API's X-Contributor carry a signed value
/// bound to the collectivité, not an id anyone holding the link could type; a name already taken is not handed out.
/// </summary>
public abstract class ContributorIdentityTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Api_ForgedAlteredOrForeignContributor_CountsAsNobody()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var aliceBrowser = Client();
        using var brunoBrowser = Client();
        var alice = await IdentifyAsync(aliceBrowser, campaign.A, "Alice Martin");
        var bruno = await IdentifyAsync(brunoBrowser, campaign.B, "Bruno Petit");
        var aliceId = await ContributorIdAsync(campaign.A, "Alice Martin");
        using var mallory = App.CookielessClient();
        string[] forged =
        [
            aliceId.ToString(System.Globalization.CultureInfo.InvariantCulture),   // what the header used to carry
            Altered(alice),
            alice[..(alice.Length / 2)],
            bruno,   // a real value, of another collectivité
            "",
        ];

        foreach (var value in forged)
        {
            using var saved = await mallory.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 1, comment = value }, contributor: value, cancellationToken: Ct);
            using var submit = await mallory.SubmitAsync(campaign.A.Token, value, Ct);

            Assert.True(saved.StatusCode == HttpStatusCode.OK, $"« {value} »: {(int)saved.StatusCode}");
            Assert.Equal($"lien {campaign.A.Code}", (await saved.AnswerAsync(Ct)).UpdatedBy);
            Assert.True(submit.StatusCode == HttpStatusCode.Forbidden, $"« {value} »: {(int)submit.StatusCode}");
        }
        Assert.Equal("in_progress", (await mallory.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
        var actors = await App.WithDbAsync(db => db.AuditEntries.Where(e => e.ParticipantId == campaign.A.ParticipantId && e.Action == "answer").Select(e => e.Actor).Distinct().ToListAsync(Ct));
        Assert.Equal([$"lien {campaign.A.Code}"], actors);
    }

    [Fact]
    public async Task Pages_ForgedOrForeignContributorCookie_CountsAsNobody()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var aliceBrowser = Client();
        using var brunoBrowser = Client();
        var alice = await IdentifyAsync(aliceBrowser, campaign.A, "Alice Martin");
        var bruno = await IdentifyAsync(brunoBrowser, campaign.B, "Bruno Petit");
        var aliceId = await ContributorIdAsync(campaign.A, "Alice Martin");
        var cookie = $"barometre.contributeur.{campaign.A.ParticipantId}";

        foreach (var value in new[] { aliceId.ToString(System.Globalization.CultureInfo.InvariantCulture), Altered(alice), bruno })
        {
            var jar = new CookieJar();
            jar.Set(cookie, value);
            using var client = App.CookielessClient();

            var home = await jar.PageAsync(client, campaign.A.Home, Ct);
            Assert.NotNull(home.QuerySelector("#qui"));
            Assert.DoesNotContain("Vous répondez en tant que", Html.Text(home), StringComparison.Ordinal);
            var review = await jar.PageAsync(client, $"{campaign.A.Home}/transmettre", Ct);
            Assert.Null(review.QuerySelector("main form"));
            var token = Html.AntiforgeryToken(await jar.PageAsync(client, $"{campaign.A.Home}/theme/1", Ct));
            using var forced = await jar.PostFormAsync(client, $"{campaign.A.Home}/transmettre", [new(Html.AntiforgeryField, token)], Ct);
            Assert.Equal("Seul·e Alice Martin peut transmettre le questionnaire.", (await Html.ParseAsync(forced, Ct)).QuerySelector("[role=alert]")!.TextContent.Trim());
        }
        using var reader = Client();
        Assert.Equal("not_started", (await reader.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Theory]
    [InlineData("Alice Martin")]
    [InlineData("  alice MARTIN ")]
    public async Task WhoAreYou_TheLeadsName_IsRefusedAndDoesNotMakeYouTheLead(string typed)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var lead = Client();
        await IdentifyAsync(lead, campaign.A, "Alice Martin");
        using var mallory = Client();

        using var response = await PostIdentifyAsync(mallory, campaign.A, typed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("barometre.contributeur", StringComparison.Ordinal)));
        var page = await Html.ParseAsync(response, Ct);
        Assert.StartsWith("« Alice Martin » répond déjà pour la collectivité", page.QuerySelector("[role=alert]")!.TextContent.Trim(), StringComparison.Ordinal);
        using var submit = await mallory.SubmitAsync(campaign.A.Token, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
        Assert.Equal(1, await App.WithDbAsync(db => db.Contributors.CountAsync(c => c.ParticipantId == campaign.A.ParticipantId, Ct)));
    }

    [Fact]
    public async Task Lead_SubmitsWithTheirOwnCookie()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var lead = Client();
        using var other = Client();
        await IdentifyAsync(lead, campaign.A, "Alice Martin");
        await IdentifyAsync(other, campaign.A, "Bruno Petit");

        var review = (await Html.GetAsync(lead, $"{campaign.A.Home}/transmettre", Ct)).QuerySelector("main form")!;
        var confirmed = Html.Fields(review);
        Html.Tick(confirmed, review, "#confirm");
        using var submitted = await Html.PostFormAsync(lead, $"{campaign.A.Home}/transmettre", confirmed, Ct);

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var participant = await App.WithDbAsync(db => db.Participants.AsNoTracking().SingleAsync(p => p.Id == campaign.A.ParticipantId, Ct));
        Assert.Equal("Alice Martin", participant.SubmittedBy);
    }

    [Fact]
    public async Task Lead_SubmitsThroughTheApiWithTheirValueInXContributor_AndTheBrowsersCookieNamesThemToo()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var browser = Client();
        var alice = await IdentifyAsync(browser, campaign.A, "Alice Martin");
        using var script = App.CookielessClient();

        // The page's autosave sends no header: the browser's contributor cookie names her.
        using var autosaved = await browser.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", new { level = 3 }, cancellationToken: Ct);
        using var submitted = await script.SubmitAsync(campaign.A.Token, alice, Ct);

        Assert.Equal($"lien {campaign.A.Code} (Alice Martin)", (await autosaved.AnswerAsync(Ct)).UpdatedBy);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var audit = await App.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.ParticipantId == campaign.A.ParticipantId && e.Action == "questionnaire.submit", Ct));
        Assert.Equal($"lien {campaign.A.Code} (Alice Martin)", audit.Actor);
    }

    [Fact]
    public async Task PersonalLink_OnAnotherDevice_NamesThePersonThere_AndAnotherCollectivitesIsRefused()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var first = Client();
        using var other = Client();
        await IdentifyAsync(first, campaign.A, "Alice Martin");
        await IdentifyAsync(other, campaign.B, "Bruno Petit");
        var home = await Html.GetAsync(first, campaign.A.Home, Ct);
        var personal = home.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#lien-personnel")?.Value ?? "";
        Assert.StartsWith($"http://localhost{campaign.A.Home}?contributeur=", personal, StringComparison.Ordinal);
        var foreign = (await Html.GetAsync(other, campaign.B.Home, Ct)).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#lien-personnel")?.Value ?? "";
        using var second = Client();
        using var third = Client();

        using var opened = await second.GetAsync(new Uri(new Uri(personal).PathAndQuery, UriKind.Relative), Ct);
        using var refused = await third.GetAsync(new Uri($"{campaign.A.Home}{new Uri(foreign).Query}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal(campaign.A.Home, opened.Headers.Location?.OriginalString);
        Assert.Contains("Vous répondez en tant que Alice Martin, responsable de la transmission.", Html.Text(await Html.GetAsync(second, campaign.A.Home, Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.StartsWith("Ce lien personnel n'est pas valable pour ce questionnaire", (await Html.ParseAsync(refused, Ct)).QuerySelector("[role=alert]")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    /// <summary>« Qui êtes-vous ? » in <paramref name="browser"/> (which keeps its cookie); the contributor cookie's value.</summary>
    private static async Task<string> IdentifyAsync(HttpClient browser, SeededCollectivite collectivite, string name)
    {
        using var response = await PostIdentifyAsync(browser, collectivite, name);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"barometre.contributeur.{collectivite.ParticipantId}=", StringComparison.Ordinal));
        return cookie.Split(';')[0].Split('=', 2)[1];
    }

    private static async Task<HttpResponseMessage> PostIdentifyAsync(HttpClient client, SeededCollectivite collectivite, string name)
    {
        var page = await Html.GetAsync(client, collectivite.Home, Ct);
        var form = page.QuerySelector("section[aria-labelledby=qui] form")!;
        var fields = Html.Fields(form);
        Html.Set(fields, "Name", name);
        return await Html.PostFormAsync(client, form.GetAttribute("action")!, fields, Ct);
    }

    private Task<int> ContributorIdAsync(SeededCollectivite collectivite, string name) =>
        App.WithDbAsync(db => db.Contributors.Where(c => c.ParticipantId == collectivite.ParticipantId && c.Name == name).Select(c => c.Id).SingleAsync(Ct));

    /// <summary>The value with one character changed in its middle.</summary>
    private static string Altered(string value)
    {
        var middle = value.Length / 2;
        return value[..middle] + (value[middle] == 'A' ? 'B' : 'A') + value[(middle + 1)..];
    }
}

public sealed class ContributorIdentityTests_Sqlite(SqliteDatabase database) : ContributorIdentityTests<SqliteDatabase>(database);

public sealed class ContributorIdentityTests_Postgres(PostgresDatabase database) : ContributorIdentityTests<PostgresDatabase>(database);
