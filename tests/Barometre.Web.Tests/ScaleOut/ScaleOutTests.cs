using System.Net;
using Barometre.Web.Tests.Infrastructure;

namespace Barometre.Web.Tests.ScaleOut;

/// <summary>
/// Two instances of the app on one PostgreSQL database, as behind a load balancer without sticky
/// sessions: one browser's requests land on either. Works because everything shared lives in the
/// database: answers and their versions, and the data-protection keys that sign cookies and
/// antiforgery tokens. PostgreSQL only (SQLite is one process's file).
/// </summary>
public sealed class ScaleOutTests_Postgres(PostgresDatabase database) : WebTest<PostgresDatabase>(database), IClassFixture<PostgresDatabase>
{
    private BarometreApp A => Database.Instance(0);

    private BarometreApp B => Database.Instance(1);

    [Fact]
    public async Task OperatorCookie_IssuedByInstanceA_IsAcceptedByInstanceB()
    {
        var credentials = await A.AddOperatorAsync(Ct);
        var browser = new CookieJar();
        using var a = A.CookielessClient();
        using var b = B.CookielessClient();
        var form = await browser.PageAsync(a, "/admin/connexion", Ct);

        using (var signedIn = await browser.PostFormAsync(a, "/admin/connexion",
            [new(Html.AntiforgeryField, Html.AntiforgeryToken(form)), new("Email", credentials.Email), new("Password", credentials.Password)], Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        Assert.Contains("barometre.operateur", browser.Cookies.Keys);

        using var onB = await browser.GetAsync(b, "/admin", Ct);

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Contains($"Se déconnecter ({credentials.Email})", (await Html.ParseAsync(onB, Ct)).QuerySelector("header")!.TextContent, StringComparison.Ordinal);
        using var anonymous = await new CookieJar().GetAsync(b, "/admin", Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task AntiforgeryToken_IssuedByA_IsAcceptedByB()
    {
        var campaign = await A.SeedCampaignAsync(cancellationToken: Ct);
        var browser = new CookieJar();
        using var a = A.CookielessClient();
        using var b = B.CookielessClient();

        // « Qui êtes-vous ? » shown by A, posted to B.
        var home = await browser.PageAsync(a, campaign.A.Home, Ct);
        var identify = home.QuerySelector("section[aria-labelledby=qui] form")!;
        var who = Html.Fields(identify);
        Html.Set(who, "Name", "Alice Martin");
        using (var identified = await browser.PostFormAsync(b, identify.GetAttribute("action")!, who, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, identified.StatusCode);
        }

        // A theme's form shown by B, posted to A, and the other way round.
        var theme = await browser.PageAsync(b, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(theme.QuerySelector("form#questionnaire")!);
        Html.Set(fields, "Posted[0].Choice", "3");
        fields.Add(new("Go", "save"));
        using (var saved = await browser.PostFormAsync(a, $"{campaign.A.Home}/theme/1", fields, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        var review = (await browser.PageAsync(a, $"{campaign.A.Home}/transmettre", Ct)).QuerySelector("main form")!;
        var confirmed = Html.Fields(review);
        Html.Tick(confirmed, review, "#confirm");
        using (var submitted = await browser.PostFormAsync(b, $"{campaign.A.Home}/transmettre", confirmed, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        var document = await b.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.Equal("submitted", document.Status);
        var answer = document.Answer("gouvernance.strategie");
        Assert.Equal((3, $"lien {campaign.A.Code} (Alice Martin)"), (answer.Level, answer.UpdatedBy));
    }

    [Fact]
    public async Task Answers_WrittenAlternatelyThroughAAndBWithIfMatch_AreAllStored()
    {
        var campaign = await A.SeedCampaignAsync(cancellationToken: Ct);
        using var a = A.CookielessClient();
        using var b = B.CookielessClient();
        var versions = campaign.QuestionIds.ToDictionary(q => q, _ => 0);

        for (var round = 0; round < 4; round++)
        {
            foreach (var (question, i) in campaign.QuestionIds.Select((q, i) => (q, i)))
            {
                var client = (round + i) % 2 == 0 ? a : b;
                using var response = await client.PutAnswerAsync(campaign.A.Token, question, new { level = round, comment = $"tour {round}" }, $"\"{versions[question]}\"", cancellationToken: Ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"round {round}, {question}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
                versions[question] = (await response.AnswerAsync(Ct)).Version;
            }
        }

        foreach (var client in new[] { a, b })
        {
            var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
            Assert.All(campaign.QuestionIds, q =>
            {
                var answer = document.Answer(q);
                Assert.Equal((3, "tour 3", 4), (answer.Level, answer.Comment, answer.Version));
            });
        }
        Assert.Equal(20, await A.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.AuditEntries, e => e.ParticipantId == campaign.A.ParticipantId && e.Action == "answer", Ct)));
    }

    [Fact]
    public async Task StaleVersion_AfterAWriteOnTheOtherInstance_Is412()
    {
        var campaign = await A.SeedCampaignAsync(cancellationToken: Ct);
        using var a = A.CookielessClient();
        using var b = B.CookielessClient();
        // B reads (and caches the campaign's model) first.
        Assert.Equal(0, (await b.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("services.mediation").Version);
        (await a.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 4 }, "\"0\"", cancellationToken: Ct)).Dispose();

        using var stale = await b.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 1 }, "\"0\"", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(4, (await stale.JsonAsync(Ct)).GetProperty("current").GetProperty("level").GetInt32());
    }

    [Fact]
    public async Task RevocationAndSubmission_OnOneInstance_TakeEffectOnTheOtherAtOnce()
    {
        var campaign = await A.SeedCampaignAsync(cancellationToken: Ct);
        using var a = A.CookielessClient();
        using var b = B.CookielessClient();
        Assert.Equal(campaign.A.Code, (await b.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Collectivite.Code);
        Assert.Equal(campaign.B.Code, (await b.ReadQuestionnaireAsync(campaign.B.Token, Ct)).Collectivite.Code);
        using (var before = await b.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 2 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);   // B now knows A's link
        }

        await A.RevokeAsync(campaign.A, Ct);
        (await a.SubmitAsync(campaign.B.Token, cancellationToken: Ct)).Dispose();

        using var revoked = await b.GetQuestionnaireAsync(campaign.A.Token, Ct);
        using var revokedPut = await b.PutAnswerAsync(campaign.A.Token, "services.mediation", new { level = 3 }, cancellationToken: Ct);
        using var afterSubmit = await b.PutAnswerAsync(campaign.B.Token, "services.mediation", new { level = 1 }, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revokedPut.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, afterSubmit.StatusCode);
    }
}
