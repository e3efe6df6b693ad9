using System.Net;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>The operator's routes, « {c} » for a campaign's id and « {p} » for one of its collectivités.</summary>
internal static class OperatorRoutes
{
    private static readonly string[] PageRoutes =
    [
        "/admin",
        "/admin/campagnes/nouvelle",
        "/admin/campagnes/{c}",
        "/admin/campagnes/{c}/invitations",
        "/admin/campagnes/{c}/collectivites/{p}",
        "/admin/campagnes/{c}/courriels",
        "/admin/campagnes/{c}?handler=Csv",
        "/admin/campagnes/{c}/panel",
        "/admin/campagnes/{c}/reponses",
        "/admin/campagnes/{c}/reponses?handler=Template",
        "/admin/campagnes/{c}/cloture",
        "/admin/campagnes/{c}/resultats",
        "/admin/campagnes/{c}/resultats?handler=Json",
        "/admin/campagnes/{c}/resultats?handler=Csv",
        "/admin/campagnes/{c}/resultats?handler=Study",
        "/admin/campagnes/{c}/journal",
        "/admin/campagnes/{c}/journal?collectivite={p}",
        "/admin/comptes",
        "/admin/campagnes/{c}/donnees-personnelles",
        "/admin/registre",
        "/admin/registre?handler=Csv",
    ];

    private static readonly string[] PostRoutes =
    [
        "/admin/campagnes/nouvelle",
        "/admin/campagnes/{c}/invitations?handler=Missing",
        "/admin/campagnes/{c}/invitations?handler=All",
        "/admin/campagnes/{c}/collectivites/{p}?handler=Reissue",
        "/admin/campagnes/{c}/collectivites/{p}?handler=Revoke",
        "/admin/campagnes/{c}/collectivites/{p}?handler=Reopen",
        "/admin/campagnes/{c}/collectivites/{p}?handler=Review",
        "/admin/campagnes/{c}/collectivites/{p}?handler=Answer",
        "/admin/campagnes/{c}/collectivites/{p}?handler=Lead",
        "/admin/campagnes/{c}/collectivites/{p}?handler=Email",
        "/admin/campagnes/{c}/courriels?handler=Settings",
        "/admin/campagnes/{c}/courriels?handler=Preview",
        "/admin/campagnes/{c}/courriels?handler=Invitations",
        "/admin/campagnes/{c}/courriels?handler=Reminders",
        "/admin/campagnes/{c}/panel",
        "/admin/campagnes/{c}/reponses",
        "/admin/campagnes/{c}/cloture?handler=Close",
        "/admin/campagnes/{c}/cloture?handler=Freeze",
        "/admin/campagnes/{c}/resultats?handler=Publish",
        "/admin/campagnes/{c}/resultats?handler=Unpublish",
        "/admin/comptes?handler=Invite",
        "/admin/comptes?handler=Rights",
        "/admin/comptes?handler=Disable",
        "/admin/comptes?handler=Enable",
        "/admin/comptes?handler=Link",
        "/admin/comptes?handler=Remove",
        "/admin/comptes?handler=Key",
        "/admin/comptes?handler=RevokeKey",
        "/admin/campagnes/{c}/donnees-personnelles?handler=Retention",
        "/admin/campagnes/{c}/donnees-personnelles?handler=Purge",
    ];

    /// <summary>Every page.</summary>
    public static TheoryData<string> Pages => [.. PageRoutes];

    /// <summary>Every form's target.</summary>
    public static TheoryData<string> Posts => [.. PostRoutes];

    /// <summary>The pages and forms of one campaign (method, route).</summary>
    public static TheoryData<string, string> OfACampaign
    {
        get
        {
            var routes = new TheoryData<string, string>();
            foreach (var route in PageRoutes.Where(r => r.Contains("{c}", StringComparison.Ordinal)))
            {
                routes.Add("GET", route);
            }
            foreach (var route in PostRoutes.Where(r => r.Contains("{c}", StringComparison.Ordinal)))
            {
                routes.Add("POST", route);
            }
            return routes;
        }
    }

    /// <summary>Those that name a collectivité (method, route).</summary>
    public static TheoryData<string, string> OfACollectivite
    {
        get
        {
            var routes = new TheoryData<string, string>();
            foreach (var route in PageRoutes.Where(r => r.Contains("{p}", StringComparison.Ordinal)))
            {
                routes.Add("GET", route);
            }
            foreach (var route in PostRoutes.Where(r => r.Contains("{p}", StringComparison.Ordinal)))
            {
                routes.Add("POST", route);
            }
            return routes;
        }
    }
}

/// <summary>
/// Every operator route: anonymous requests go to sign-in; a POST without the antiforgery token is
/// refused (400) and changes nothing; a campaign or collectivité that does not exist, or a collectivité
/// of another campaign, is a 404.
/// </summary>
public abstract class OperatorAccessTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Theory]
    [MemberData(nameof(OperatorRoutes.Pages), MemberType = typeof(OperatorRoutes))]
    public async Task Page_Anonymous_RedirectsToSignIn(string route)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var url = Fill(route, campaign.Id, campaign.A.ParticipantId);
        using var client = Client();

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("http://localhost"), response.Headers.Location!);
        Assert.Equal("/admin/connexion", location.AbsolutePath);
        Assert.Equal("?ReturnUrl=" + Uri.EscapeDataString(url), location.Query);
    }

    [Theory]
    [MemberData(nameof(OperatorRoutes.Posts), MemberType = typeof(OperatorRoutes))]
    public async Task Post_Anonymous_RedirectsToSignInAndChangesNothing(string route)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var before = await AuditCountAsync();
        using var client = Client();
        var token = Html.AntiforgeryToken(await Html.GetAsync(client, "/admin/connexion", Ct));

        using var response = await Html.PostFormAsync(client, Fill(route, campaign.Id, campaign.A.ParticipantId), [new(Html.AntiforgeryField, token), .. Confirmed], Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/connexion", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
        Assert.Equal(before, await AuditCountAsync());
        await AssertLinkWorksAsync(campaign.A);
    }

    [Theory]
    [MemberData(nameof(OperatorRoutes.Posts), MemberType = typeof(OperatorRoutes))]
    public async Task Post_SignedInWithoutAntiforgeryToken_IsRefusedAndChangesNothing(string route)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        await SubmitAsync(campaign.A);
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await AuditCountAsync();

        using var response = await Html.PostFormAsync(client, Fill(route, campaign.Id, campaign.A.ParticipantId), Confirmed, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await AuditCountAsync());
        await AssertLinkWorksAsync(campaign.A);
    }

    [Theory]
    [MemberData(nameof(OperatorRoutes.Posts), MemberType = typeof(OperatorRoutes))]
    public async Task Post_SignedInWithAnotherSessionsToken_IsRefused(string route)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        using var other = await App.SignedInClientAsync(cancellationToken: Ct);
        var foreignToken = Html.AntiforgeryToken(await Html.GetAsync(other, "/admin", Ct));
        var before = await AuditCountAsync();

        using var response = await Html.PostFormAsync(client, Fill(route, campaign.Id, campaign.A.ParticipantId), [new(Html.AntiforgeryField, foreignToken), .. Confirmed], Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await AuditCountAsync());
    }

    [Theory]
    [MemberData(nameof(OperatorRoutes.OfACampaign), MemberType = typeof(OperatorRoutes))]
    public async Task Route_UnknownCampaign_IsNotFound(string method, string route)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var unknown = await App.WithDbAsync(db => db.Campaigns.MaxAsync(c => c.Id, Ct)) + 1000;
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);

        using var response = await SendAsync(client, method, Fill(route, unknown, campaign.A.ParticipantId));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(OperatorRoutes.OfACollectivite), MemberType = typeof(OperatorRoutes))]
    public async Task Route_CollectiviteOfAnotherCampaign_IsNotFoundAndChangesNothing(string method, string route)
    {
        var mine = await App.SeedCampaignAsync(cancellationToken: Ct);
        var theirs = await App.SeedCampaignAsync(cancellationToken: Ct);
        await SubmitAsync(theirs.A);
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await AuditCountAsync();

        using var response = await SendAsync(client, method, Fill(route, mine.Id, theirs.A.ParticipantId));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await AuditCountAsync());
        await AssertLinkWorksAsync(theirs.A);
    }

    [Theory]
    [MemberData(nameof(OperatorRoutes.OfACollectivite), MemberType = typeof(OperatorRoutes))]
    public async Task Route_UnknownCollectivite_IsNotFound(string method, string route)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var unknown = await App.WithDbAsync(db => db.Participants.MaxAsync(p => p.Id, Ct)) + 1000;
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);

        using var response = await SendAsync(client, method, Fill(route, campaign.Id, unknown));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Review_OfAnAnswerOfAnotherCollectivite_IsNotFound()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.B.Token, "services.demarches", new { level = 3, evidenceText = "Délibération" }, cancellationToken: Ct)).Dispose();
        var answerId = await App.WithDbAsync(db => db.Answers.Where(a => a.ParticipantId == campaign.B.ParticipantId).Select(a => a.Id).SingleAsync(Ct));
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var path = $"/admin/campagnes/{campaign.Id}/collectivites/{campaign.A.ParticipantId}";
        var token = Html.AntiforgeryToken(await Html.GetAsync(client, path, Ct));

        using var response = await Html.PostFormAsync(client, path + "?handler=Review",
            [new(Html.AntiforgeryField, token), new("answerId", answerId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("review", "accepter")], Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(Barometre.Data.Campaigns.EvidenceReview.Pending, await App.WithDbAsync(db => db.Answers.Where(a => a.Id == answerId).Select(a => a.EvidenceReview).SingleAsync(Ct)));
    }

    /// <summary>What the forms would confirm, so that a refused POST is refused for its token, not its fields.</summary>
    private static readonly KeyValuePair<string, string>[] Confirmed =
        [new("Confirm", "true"), new("Mode", "maintenant"), new("review", "accepter"), new("Answer.QuestionId", "gouvernance.strategie"), new("Answer.Choice", "4"), new("Name", "Intrusion")];

    private static string Fill(string route, int campaignId, int participantId) =>
        route.Replace("{c}", campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{p}", participantId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>A GET, or a POST with a valid antiforgery token and confirmed fields.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url)
    {
        if (method == "GET")
        {
            return await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        }
        var token = Html.AntiforgeryToken(await Html.GetAsync(client, "/admin", Ct));
        return await Html.PostFormAsync(client, url, [new(Html.AntiforgeryField, token), .. Confirmed], Ct);
    }

    private async Task SubmitAsync(SeededCollectivite collectivite)
    {
        using var client = Client();
        using var response = await client.SubmitAsync(collectivite.Token, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<int> AuditCountAsync() => App.WithDbAsync(db => db.AuditEntries.CountAsync(Ct));

    private async Task AssertLinkWorksAsync(SeededCollectivite collectivite)
    {
        using var client = Client();
        using var response = await client.GetQuestionnaireAsync(collectivite.Token, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class OperatorAccessTests_Sqlite(SqliteDatabase database) : OperatorAccessTests<SqliteDatabase>(database);

public sealed class OperatorAccessTests_Postgres(PostgresDatabase database) : OperatorAccessTests<PostgresDatabase>(database);
