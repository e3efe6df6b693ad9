using System.Net;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// Behind a TLS-terminating reverse proxy on the same machine: X-Forwarded-Proto from loopback makes
/// the request HTTPS for the app (Secure cookies); from anywhere else it is ignored.
/// </summary>
public abstract class ReverseProxyTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task ContributorCookie_BehindAnHttpsProxyOnLoopback_IsSecure()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var jar = Proxied(https: true);
        using var client = App.CookielessClient();

        var cookie = await IdentifyAsync(jar, client, campaign.A);

        Assert.Contains("secure", Attributes(cookie));
        Assert.Contains("httponly", Attributes(cookie));
    }

    [Fact]
    public async Task ContributorCookie_OverPlainHttp_IsNotSecure()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = App.CookielessClient();

        var cookie = await IdentifyAsync(new CookieJar(), client, campaign.A);

        Assert.DoesNotContain("secure", Attributes(cookie));
    }

    [Fact]
    public async Task ForwardedProto_FromAnUntrustedAddress_IsIgnored()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var jar = Proxied(https: true);
        jar.Headers[BarometreApp.RemoteAddressHeader] = "198.51.100.7";
        using var client = App.CookielessClient();

        var cookie = await IdentifyAsync(jar, client, campaign.A);

        Assert.DoesNotContain("secure", Attributes(cookie));
    }

    [Fact]
    public async Task OperatorCookie_BehindAnHttpsProxy_IsSecure()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        var jar = Proxied(https: true);
        using var client = App.CookielessClient();
        var form = await jar.PageAsync(client, "/admin/connexion", Ct);

        using var response = await jar.PostFormAsync(client, "/admin/connexion",
            [new(Html.AntiforgeryField, Html.AntiforgeryToken(form)), new("Email", credentials.Email), new("Password", credentials.Password)], Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("barometre.operateur=", StringComparison.Ordinal));
        Assert.Contains("secure", Attributes(cookie));
        using var admin = await jar.GetAsync(client, "/admin", Ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task Redirects_BehindAnHttpsProxy_StayOnHttps()
    {
        var jar = Proxied(https: true);
        jar.Headers["X-Forwarded-Host"] = "barometre.exemple.fr";
        using var client = App.CookielessClient();

        using var response = await jar.GetAsync(client, "/admin", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://barometre.exemple.fr/admin/connexion?ReturnUrl=%2Fadmin", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task RealServer_OnLoopbackBehindAnHttpsProxy_SetsSecureCookies()
    {
        Database.RequireAvailable();
        // The app as `barometre serve` builds it, on Kestrel, so that the proxy's address is a real loopback peer.
        await using var server = await BarometreServer.BuildAsync(new ServerSettings(Database.DataDirectory, Database.ConnectionString, "http://127.0.0.1:0"));
        await server.StartAsync(Ct);
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var campaign = await Seeding.SeedCampaignAsync(server.Services, cancellationToken: Ct);
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(address) };

        var secure = await IdentifyAsync(Proxied(https: true), client, campaign.A);
        var plain = await IdentifyAsync(new CookieJar(), client, campaign.B);

        Assert.Contains("secure", Attributes(secure));
        Assert.DoesNotContain("secure", Attributes(plain));
        await server.StopAsync(Ct);
    }

    private static CookieJar Proxied(bool https)
    {
        var jar = new CookieJar();
        jar.Headers["X-Forwarded-Proto"] = https ? "https" : "http";
        jar.Headers["X-Forwarded-For"] = "203.0.113.42";
        return jar;
    }

    /// <summary>« Qui êtes-vous ? » through the jar; returns the contributor cookie's Set-Cookie header.</summary>
    private static async Task<string> IdentifyAsync(CookieJar jar, HttpClient client, SeededCollectivite collectivite)
    {
        var page = await jar.PageAsync(client, collectivite.Home, Ct);
        var form = page.QuerySelector("section[aria-labelledby=qui] form")!;
        var fields = Html.Fields(form);
        Html.Set(fields, "Name", "Alice Martin");
        using var response = await jar.PostFormAsync(client, form.GetAttribute("action")!, fields, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"barometre.contributeur.{collectivite.ParticipantId}=", StringComparison.Ordinal));
    }

    private static string[] Attributes(string setCookie) =>
        [.. setCookie.Split(';').Skip(1).Select(a => a.Trim().Split('=')[0].ToLowerInvariant())];
}

public sealed class ReverseProxyTests_Sqlite(SqliteDatabase database) : ReverseProxyTests<SqliteDatabase>(database);

public sealed class ReverseProxyTests_Postgres(PostgresDatabase database) : ReverseProxyTests<PostgresDatabase>(database);
