using System.Net;
using System.Security.Claims;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// Operators' sessions are checked on the server: a copied cookie stops working, on every instance, once the
/// operator signs out, gets a new password, or the account is disabled or removed.
/// </summary>
public abstract class OperatorSessionsTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string CookieName = "barometre.operateur";

    [Theory]
    [InlineData("sign-out")]
    [InlineData("new password")]
    [InlineData("disabled")]
    [InlineData("removed")]
    public async Task CopiedCookie_StopsWorkingOnEveryInstance(string ending)
    {
        var second = Database.Instance(1);
        var credentials = await App.AddOperatorAsync(Ct);
        using var browser = App.Browser();
        var cookie = await SignInAsync(browser, credentials);
        using var a = App.CookielessClient();
        using var b = second.CookielessClient();
        Assert.Equal(HttpStatusCode.OK, await AdminWithAsync(a, cookie));
        Assert.Equal(HttpStatusCode.OK, await AdminWithAsync(b, cookie));

        switch (ending)
        {
            case "sign-out":
                using (var signedOut = await OperatorPages.SubmitAsync(browser, "/admin/deconnexion", "main form", cancellationToken: Ct))
                {
                    Assert.Equal("/admin/connexion?deconnexion=1", OperatorPages.PathOf(signedOut.Headers.Location));
                }
                break;
            case "new password":
                Assert.Null(await Accounts(accounts => accounts.AddAsync(credentials.Email, "un tout nouveau mot de passe", replace: true, Ct)));
                break;
            case "disabled":
                Assert.True(await Accounts(accounts => accounts.DisableAsync(credentials.Email, Ct)));
                break;
            case "removed":
                Assert.True(await Accounts(accounts => accounts.RemoveAsync(credentials.Email, Ct)));
                break;
        }

        Assert.Equal(HttpStatusCode.Redirect, await AdminWithAsync(a, cookie));
        Assert.Equal(HttpStatusCode.Redirect, await AdminWithAsync(b, cookie));
    }

    [Fact]
    public async Task SignOut_EndsTheSessionsOfEveryBrowserAndSaysSo()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var laptop = App.Browser();
        using var phone = App.Browser();
        await SignInAsync(laptop, credentials);
        await SignInAsync(phone, credentials);
        var page = await Html.GetAsync(laptop, "/admin/deconnexion", Ct);
        Assert.Contains("toutes les sessions de votre compte", Html.Text(page), StringComparison.Ordinal);

        using (var signedOut = await OperatorPages.SubmitAsync(laptop, "/admin/deconnexion", "main form", cancellationToken: Ct))
        {
            var signIn = await Html.GetAsync(laptop, OperatorPages.PathOf(signedOut.Headers.Location), Ct);
            Assert.Equal("Vous êtes déconnecté, sur tous vos appareils : toutes les sessions de votre compte sont fermées.", signIn.QuerySelector("[role=status]")?.TextContent.Trim());
        }

        using var onPhone = await phone.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, onPhone.StatusCode);
        // Signing in again opens a new session.
        await SignInAsync(phone, credentials);
        using var again = await phone.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task AccountWithoutStamp_GetsOneAtItsNextSignIn()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        await App.WithDbAsync(db => db.Operators.Where(o => o.Email == credentials.Email).ExecuteUpdateAsync(set => set.SetProperty(o => o.SecurityStamp, ""), Ct));
        using var browser = App.Browser();

        await SignInAsync(browser, credentials);

        Assert.NotEqual("", await App.WithDbAsync(db => db.Operators.Where(o => o.Email == credentials.Email).Select(o => o.SecurityStamp).SingleAsync(Ct)));
        using var admin = await browser.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task CookieWithoutStamp_IsRefused()
    {
        // A session opened before stamps existed: a valid cookie with the account's id and address only.
        var credentials = await App.AddOperatorAsync(Ct);
        var id = await App.WithDbAsync(db => db.Operators.Where(o => o.Email == credentials.Email).Select(o => o.Id).SingleAsync(Ct));
        var options = App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(WebSetup.OperatorScheme);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, credentials.Email), new Claim(ClaimTypes.NameIdentifier, id.ToString(System.Globalization.CultureInfo.InvariantCulture))], WebSetup.OperatorScheme));
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = App.Clock.GetUtcNow().AddHours(1) }, WebSetup.OperatorScheme);
        using var client = App.CookielessClient();

        Assert.Equal(HttpStatusCode.Redirect, await AdminWithAsync(client, options.TicketDataFormat.Protect(ticket)));
    }

    private Task<T> Accounts<T>(Func<OperatorAccounts, Task<T>> action) =>
        App.InScopeAsync(services => action(services.GetRequiredService<OperatorAccounts>()));

    /// <summary>Signs in and returns the session cookie's value.</summary>
    private static async Task<string> SignInAsync(HttpClient browser, OperatorCredentials credentials)
    {
        using var response = await BarometreApp.PostSignInAsync(browser, credentials.Email, credentials.Password, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(CookieName + "=", StringComparison.Ordinal));
        return setCookie[(CookieName.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>GET /admin with only this session cookie: 200 when the session holds, a redirection to sign-in otherwise.</summary>
    private static async Task<HttpStatusCode> AdminWithAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin", UriKind.Relative));
        request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}

public sealed class OperatorSessionsTests_Sqlite(SqliteDatabase database) : OperatorSessionsTests<SqliteDatabase>(database);

public sealed class OperatorSessionsTests_Postgres(PostgresDatabase database) : OperatorSessionsTests<PostgresDatabase>(database);
