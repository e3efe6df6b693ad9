using System.Globalization;
using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>
/// The accounts' life on the web (<c>/admin/comptes</c> and <c>/admin/invitation/{token}</c>): an administrator invites
/// (no mail server: the link is shown once), the invited person chooses a password and signs in to their campaigns
/// only; fewer rights end the sessions at once; disabling and removing; the administrator cannot lower their own rights.
/// </summary>
public abstract class AccountPagesTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string NewPassword = "ma toute nouvelle phrase de passe";

    [Fact]
    public async Task Invite_ChoosePassword_SignIn_SeesOnlyTheCampaignsGiven()
    {
        var (mine, theirs) = (await App.SeedCampaignAsync(cancellationToken: Ct), await App.SeedCampaignAsync(cancellationToken: Ct));
        using var administrator = await App.SignedInClientAsync(cancellationToken: Ct);
        var email = $"invitee-{Guid.NewGuid():N}@exemple.fr";

        using var invited = await OperatorPages.SubmitAsync(administrator, "/admin/comptes", "form[action*='handler=Invite']", fields =>
        {
            Html.Set(fields, "Email", email);
            Html.Set(fields, "GivenName", "Ada");
            Html.Set(fields, "Role", "gestionnaire");
            fields.Add(new("CampaignIds", Id(mine.Id)));
        }, Ct);
        var page = await Html.ParseAsync(invited, Ct);
        var link = new Uri(page.QuerySelector(".notice.warning code")!.TextContent.Trim());
        using var anonymous = App.Client();
        var choose = await Html.GetAsync(anonymous, link.PathAndQuery, Ct);
        using var mismatch = await OperatorPages.SubmitAsync(anonymous, link.PathAndQuery, "main form", fields =>
        {
            Html.Set(fields, "Password", NewPassword);
            Html.Set(fields, "Confirmation", "autre chose encore");
        }, Ct);
        using var chosen = await OperatorPages.SubmitAsync(anonymous, link.PathAndQuery, "main form", fields =>
        {
            Html.Set(fields, "Password", NewPassword);
            Html.Set(fields, "Confirmation", NewPassword);
        }, Ct);
        using var again = await anonymous.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative), Ct);
        using var manager = await App.SignedInClientAsync(new OperatorCredentials(email, NewPassword), Ct);
        var list = await Html.GetAsync(manager, "/admin", Ct);

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Contains(email, Html.Text(page), StringComparison.Ordinal);
        Assert.Contains("Bienvenue Ada", Html.Text(choose), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("Les deux saisies du mot de passe diffèrent.", Html.Text(await Html.ParseAsync(mismatch, Ct)), StringComparison.Ordinal);
        Assert.Equal("Mot de passe enregistré", (await Html.ParseAsync(chosen, Ct)).QuerySelector("main h1")?.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains(OperatorAccounts.UnknownInvitation, Html.Text(await Html.ParseAsync(again, Ct)), StringComparison.Ordinal);
        var names = list.QuerySelectorAll("table.campaigns th a").Select(a => a.TextContent).ToList();
        Assert.Equal([mine.Name], names);
        Assert.DoesNotContain(theirs.Name, names);
    }

    [Fact]
    public async Task FewerRights_EndTheSessionsAtOnce_DisableAndRemoveToo()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var administrator = await App.SignedInClientAsync(cancellationToken: Ct);
        var (manager, managerId) = await AccountAsync(OperatorRole.CampaignManager, campaign.Id);
        using var session = await App.SignedInClientAsync(manager, Ct);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}", UriKind.Relative), Ct)).StatusCode);

        using var demoted = await OperatorPages.SubmitAsync(administrator, $"/admin/comptes?compte={managerId}", "form[action*='handler=Rights']",
            fields => Html.Set(fields, "Role", "analyste"), Ct);
        using var afterDemotion = await session.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        using var again = await App.SignedInClientAsync(manager, Ct);
        using var analystsFollowUp = await again.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}", UriKind.Relative), Ct);
        using var disabled = await OperatorPages.SubmitAsync(administrator, $"/admin/comptes?compte={managerId}", "form[action*='handler=Disable']", cancellationToken: Ct);
        using var afterDisabling = await again.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        using var removed = await OperatorPages.SubmitAsync(administrator, $"/admin/comptes?compte={managerId}", "form[action*='handler=Remove']", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Redirect, demoted.StatusCode);
        Assert.Equal("/admin/connexion", PathOnly(afterDemotion));
        Assert.Equal(HttpStatusCode.Forbidden, analystsFollowUp.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, afterDisabling.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var listed = (await Html.GetAsync(administrator, "/admin/comptes", Ct)).QuerySelectorAll("tbody th").Select(th => th.TextContent.Trim());
        Assert.DoesNotContain(manager.Email, listed);
        Assert.Equal(["account.add", "account.campaigns", "account.role", "account.disable", "account.remove"],
            await App.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.OperatorAudit.Where(e => e.Subject == manager.Email).OrderBy(e => e.Id).Select(e => e.Action), Ct)));
    }

    [Fact]
    public async Task Administrator_CannotLowerTheirOwnRights()
    {
        var (self, selfId) = await AccountAsync(OperatorRole.Administrator);
        using var administrator = await App.SignedInClientAsync(self, Ct);

        using var response = await OperatorPages.SubmitAsync(administrator, $"/admin/comptes?compte={selfId}", "form[action*='handler=Disable']", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Vous ne pouvez pas retirer vos propres droits d'administrateur", Html.Text(await Html.ParseAsync(response, Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await administrator.GetAsync(new Uri("/admin/comptes", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task ApiKey_CreatedOnThePage_ShownOnce_OpensItsCampaignsOnly_RevokedStopsIt()
    {
        var (mine, theirs) = (await App.SeedCampaignAsync(cancellationToken: Ct), await App.SeedCampaignAsync(cancellationToken: Ct));
        using var administrator = await App.SignedInClientAsync(cancellationToken: Ct);
        var name = $"équipe data {Guid.NewGuid():N}";

        using var created = await OperatorPages.SubmitAsync(administrator, "/admin/comptes", "form[action*='handler=Key']", fields =>
        {
            Html.Set(fields, "KeyName", name);
            Html.Set(fields, "Role", "gestionnaire");
            fields.Add(new("CampaignIds", Id(mine.Id)));
        }, Ct);
        var page = await Html.ParseAsync(created, Ct);
        var secret = page.QuerySelector("section[aria-labelledby='cles'] .notice.warning code")!.TextContent.Trim();
        var row = page.QuerySelectorAll("section[aria-labelledby='cles'] tbody tr").Single(r => r.QuerySelector("th")?.TextContent == name);
        var reloaded = await Html.GetAsync(administrator, "/admin/comptes", Ct);
        using var api = App.Client();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        using var own = await api.GetAsync(new Uri($"/api/admin/campaigns/{mine.Id}", UriKind.Relative), Ct);
        using var other = await api.GetAsync(new Uri($"/api/admin/campaigns/{theirs.Id}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.StartsWith(ApiKeys.Prefix, secret, StringComparison.Ordinal);
        Assert.Contains("Gestionnaire de campagne", row.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(mine.Name, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("jamais", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, reloaded.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[ApiKeys.Prefix.Length..], reloaded.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var afterUse = await Html.GetAsync(administrator, "/admin/comptes", Ct);
        var listed = afterUse.QuerySelectorAll("section[aria-labelledby='cles'] tbody tr").Single(r => r.QuerySelector("th")?.TextContent == name);
        Assert.DoesNotContain("jamais", listed.TextContent, StringComparison.Ordinal);

        var keyId = listed.QuerySelector("td")!.TextContent.Trim();
        using var revoked = await OperatorPages.SubmitAsync(administrator, "/admin/comptes", $"form[action*='handler=RevokeKey'][action*='keyId={keyId}']", cancellationToken: Ct);
        using var afterRevocation = await api.GetAsync(new Uri($"/api/admin/campaigns/{mine.Id}", UriKind.Relative), Ct);
        var afterPage = await Html.GetAsync(administrator, "/admin/comptes", Ct);
        using var twice = await Html.PostFormAsync(administrator, $"/admin/comptes?handler=RevokeKey&keyId={keyId}",
            [new("__RequestVerificationToken", Html.AntiforgeryToken(afterPage))], Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, afterRevocation.StatusCode);
        Assert.Contains("révoquée le", afterPage.QuerySelectorAll("section[aria-labelledby='cles'] tbody tr").Single(r => r.QuerySelector("th")?.TextContent == name).TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
    }

    [Theory]
    [InlineData(" ", "gestionnaire", "Donnez un nom à la clé")]
    [InlineData("script", "", "Choisissez le rôle de la clé.")]
    [InlineData("script", "stagiaire", "stagiaire")]
    public async Task ApiKey_WithoutNameOrRole_IsRefusedWith400_AndCreatesNothing(string name, string role, string message)
    {
        using var administrator = await App.SignedInClientAsync(cancellationToken: Ct);
        await using var scope = App.Services.CreateAsyncScope();
        var before = (await scope.ServiceProvider.GetRequiredService<ApiKeys>().ListAsync(Ct)).Count;

        using var refused = await OperatorPages.SubmitAsync(administrator, "/admin/comptes", "form[action*='handler=Key']", fields =>
        {
            Html.Set(fields, "KeyName", name);
            Html.Set(fields, "Role", role);
        }, Ct);
        var page = await Html.ParseAsync(refused, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(message, page.QuerySelector(".notice.error")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("section[aria-labelledby='cles'] .notice.warning code"));
        Assert.Equal(before, (await scope.ServiceProvider.GetRequiredService<ApiKeys>().ListAsync(Ct)).Count);
    }

    /// <summary>A new account of <paramref name="role"/> given <paramref name="campaigns"/>, and its id.</summary>
    private async Task<(OperatorCredentials Credentials, int Id)> AccountAsync(OperatorRole role, params int[] campaigns)
    {
        var credentials = new OperatorCredentials($"compte-{Guid.NewGuid():N}@exemple.fr", Seeding.OperatorPassword);
        var id = await App.InScopeAsync(async services =>
        {
            var accounts = services.GetRequiredService<OperatorAccounts>();
            Assert.Null(await accounts.AddAsync(credentials.Email, credentials.Password, role, cancellationToken: Ct));
            return Assert.IsType<AccountChange.Done>(await accounts.SetCampaignsAsync(credentials.Email, campaigns, Seeding.Operator, Ct)).Account.Id;
        });
        return (credentials, id);
    }

    private static string PathOnly(HttpResponseMessage response) => response.Headers.Location is { } location ? new Uri(new Uri("http://localhost"), location).AbsolutePath : "";

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}

public sealed class AccountPagesTests_Sqlite(SqliteDatabase database) : AccountPagesTests<SqliteDatabase>(database);

public sealed class AccountPagesTests_Postgres(PostgresDatabase database) : AccountPagesTests<PostgresDatabase>(database);
