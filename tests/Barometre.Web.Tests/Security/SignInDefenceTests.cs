using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// The lockout counted atomically, one answer after the same work for every refusal, and the operator's own
/// browser kept out of reach of strangers' lockouts.
/// </summary>
public abstract class SignInDefenceTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const string Refused = "Connexion refusée : adresse ou mot de passe incorrect, ou compte momentanément bloqué après plusieurs essais infructueux.";

    [Fact]
    public async Task TwentyParallelWrongPasswords_CountExactlyFiveGuessesAndLockTheAccount()
    {
        using var hasher = new CountingHasher();
        await using var app = SecurityApps.With(App, hasher);
        var credentials = await Seeding.AddOperatorAsync(app.Services, Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Seeding.InScopeAsync(app.Services, services => services.GetRequiredService<OperatorAccounts>().SignInAsync(credentials.Email, $"erroné n° {i}", Ct)))));

        var account = await ReadAccountAsync(credentials.Email);
        Assert.Equal((OperatorAccounts.MaxFailures, App.Now + OperatorAccounts.LockDuration), (account.FailedSignIns, account.LockedUntil));
        // Twenty verifications (every refusal costs one), of which only five against the account's hash.
        Assert.Equal(20, hasher.Verified.Count);
        Assert.Equal(OperatorAccounts.MaxFailures, hasher.Verified.Count(email => email == credentials.Email));
        Assert.Equal(OperatorAccounts.MaxFailures, outcomes.Count(o => o is SignInOutcome.Failure { Reason: SignInRefusal.WrongAddressOrPassword }));
        Assert.Equal(20 - OperatorAccounts.MaxFailures, outcomes.Count(o => o is SignInOutcome.Failure { Reason: SignInRefusal.Locked }));
        var right = await Seeding.InScopeAsync(app.Services, services => services.GetRequiredService<OperatorAccounts>().SignInAsync(credentials.Email, credentials.Password, Ct));
        Assert.Equal(new SignInOutcome.Failure(SignInRefusal.Locked), right);
    }

    [Fact]
    public async Task TwentyParallelWrongSignInsFromTwentyClients_AreHeldByTheAddressLimitAndLockTheAccountExactly()
    {
        using var hasher = new CountingHasher();
        await using var app = SecurityApps.With(App, hasher);
        var credentials = await Seeding.AddOperatorAsync(app.Services, Ct);
        var browsers = Enumerable.Range(0, 20).Select(_ => app.Browser()).ToList();
        var tokens = new List<string>();
        foreach (var browser in browsers)
        {
            tokens.Add(Html.AntiforgeryToken(await Html.GetAsync(browser, "/admin/connexion", Ct)));
        }

        var responses = await Task.WhenAll(browsers.Select((browser, i) => Html.PostFormAsync(browser, "/admin/connexion",
            [new(Html.AntiforgeryField, tokens[i]), new("Email", credentials.Email), new("Password", $"erroné n° {i}")], Ct)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        // Ten attempts per address at once; of those that reached the check, five guesses, then the lock.
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= OperatorAccounts.MaxFailures, string.Join(", ", statuses));
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable }));
        var account = await ReadAccountAsync(credentials.Email);
        Assert.Equal((OperatorAccounts.MaxFailures, App.Now + OperatorAccounts.LockDuration), (account.FailedSignIns, account.LockedUntil));
        Assert.Equal(OperatorAccounts.MaxFailures, hasher.Verified.Count(email => email == credentials.Email));
        foreach (var response in responses)
        {
            response.Dispose();
        }
        foreach (var browser in browsers)
        {
            browser.Dispose();
        }
    }

    [Fact]
    public async Task EveryRefusal_UnknownWrongLockedOrDisabled_GetsTheSamePageAfterOnePasswordVerification()
    {
        using var hasher = new CountingHasher();
        await using var app = SecurityApps.With(App, hasher);
        var wrong = await Seeding.AddOperatorAsync(app.Services, Ct);
        var locked = await Seeding.AddOperatorAsync(app.Services, Ct);
        var disabled = await Seeding.AddOperatorAsync(app.Services, Ct);
        await Seeding.InScopeAsync(app.Services, async services =>
        {
            var accounts = services.GetRequiredService<OperatorAccounts>();
            for (var attempt = 0; attempt < OperatorAccounts.MaxFailures; attempt++)
            {
                await accounts.SignInAsync(locked.Email, "erroné", Ct);
            }
            return await accounts.DisableAsync(disabled.Email, Ct);
        });

        var pages = new List<string>();
        foreach (var (email, password) in new[]
        {
            ("personne-" + Guid.NewGuid().ToString("N") + "@exemple.fr", wrong.Password),
            (wrong.Email, "mauvais mot de passe"),
            (locked.Email, locked.Password),
            (disabled.Email, disabled.Password),
        })
        {
            using var browser = app.Browser();
            var form = await Html.GetAsync(browser, "/admin/connexion", Ct);
            var before = hasher.Verified.Count;
            using var response = await Html.PostFormAsync(browser, "/admin/connexion", [new(Html.AntiforgeryField, Html.AntiforgeryToken(form)), new("Email", email), new("Password", password)], Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, hasher.Verified.Count - before);
            Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("barometre.", StringComparison.Ordinal));
            var page = await Html.ParseAsync(response, Ct);
            Assert.Equal(Refused, page.QuerySelector("[role=alert]")?.TextContent.Trim());
            pages.Add(Html.Text(page));
        }
        Assert.Single(pages.Distinct());
    }

    [Fact]
    public async Task StrangerExhaustsTheAddress_TheOperatorsOwnBrowserStillSignsInButANewOneWaits()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var own = App.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await RemoteClients.SignInAsync(own, credentials.Email, credentials.Password, Ct)).Status);
        using (var signedOut = await OperatorPages.SubmitAsync(own, "/admin/deconnexion", "main form", cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        }

        // A stranger spends what is left of the address's ten attempts (the operator's sign-in took one), and locks
        // the account on the way.
        using var stranger = App.Browser();
        for (var attempt = 0; attempt < 9; attempt++)
        {
            Assert.Equal((HttpStatusCode.OK, Refused), await RemoteClients.SignInAsync(stranger, credentials.Email, $"devinette {attempt}", Ct));
        }
        using var another = App.Browser();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RemoteClients.SignInAsync(another, credentials.Email, credentials.Password, Ct)).Status);
        Assert.NotNull((await ReadAccountAsync(credentials.Email)).LockedUntil);

        var (status, _) = await RemoteClients.SignInAsync(own, credentials.Email, credentials.Password, Ct);

        Assert.Equal(HttpStatusCode.Redirect, status);
        using var admin = await own.GetAsync(new Uri("/admin", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Null((await ReadAccountAsync(credentials.Email)).LockedUntil);
    }

    [Fact]
    public async Task OwnBrowser_HasItsOwnLockOfFiveFailures()
    {
        var credentials = await App.AddOperatorAsync(Ct);
        using var own = App.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await RemoteClients.SignInAsync(own, credentials.Email, credentials.Password, Ct)).Status);
        using var signedOut = await OperatorPages.SubmitAsync(own, "/admin/deconnexion", "main form", cancellationToken: Ct);

        for (var attempt = 0; attempt < OperatorAccounts.MaxFailures; attempt++)
        {
            Assert.Equal((HttpStatusCode.OK, Refused), await RemoteClients.SignInAsync(own, credentials.Email, $"faute de frappe {attempt}", Ct));
        }
        var (status, _) = await RemoteClients.SignInAsync(own, credentials.Email, credentials.Password, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        // The browser's failures are its own: the account is not locked for the operator's other browsers.
        Assert.Null((await ReadAccountAsync(credentials.Email)).LockedUntil);
        using var other = App.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await RemoteClients.SignInAsync(other, credentials.Email, credentials.Password, Ct)).Status);
    }

    private Task<OperatorAccount> ReadAccountAsync(string email) =>
        App.WithDbAsync(db => db.Operators.AsNoTracking().SingleAsync(o => o.Email == email, Ct));
}

public sealed class SignInDefenceTests_Sqlite(SqliteDatabase database) : SignInDefenceTests<SqliteDatabase>(database);

public sealed class SignInDefenceTests_Postgres(PostgresDatabase database) : SignInDefenceTests<PostgresDatabase>(database);
