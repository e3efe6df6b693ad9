using Barometre.Data.Campaigns;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>The operators' accounts of <see cref="OperatorAccounts"/>: creation, sign-in and its lock, sessions, disabling.</summary>
public abstract class OperatorAccountsTests<TStore>(TStore fixture) : StoreTest<TStore>(fixture)
    where TStore : StoreFixture
{
    private const string Password = "une phrase de passe assez longue";

    [Fact]
    public async Task Add_KeysTheAddressTrimmedInLowerCaseAndStoresOnlyAHash()
    {
        var email = NewEmail();

        var problem = await AddAsync($"  {email.ToUpperInvariant()} ", Password);

        Assert.Null(problem);
        var account = await AccountAsync(email);
        Assert.Equal((email, 0, (DateTime?)null, (DateTime?)null, Clock.GetUtcNow().UtcDateTime), (account.Email, account.FailedSignIns, account.LockedUntil, account.DisabledAt, account.CreatedAt));
        Assert.DoesNotContain(Password, account.PasswordHash, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", account.SecurityStamp);
    }

    [Fact]
    public async Task Add_RefusesAMalformedAddressAShortPasswordAndADuplicate_ReplaceSetsANewPassword()
    {
        var email = NewEmail();
        Assert.Null(await AddAsync(email, Password));
        var stamp = (await AccountAsync(email)).SecurityStamp;

        Assert.Equal("« pas une adresse » n'est pas une adresse électronique.", await AddAsync("pas une adresse", Password));
        Assert.Equal("Le mot de passe doit compter au moins 12 caractères.", await AddAsync(NewEmail(), "trop court"));
        Assert.Equal($"Le compte {email} existe déjà (pour changer son mot de passe : --replace).", await AddAsync(email, "un autre mot de passe"));
        Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, Password));

        Assert.Null(await WithAsync<OperatorAccounts, string?>(accounts => accounts.AddAsync(email, "un autre mot de passe", replace: true, Ct)));

        Assert.Equal(SignInRefusal.WrongAddressOrPassword, Assert.IsType<SignInOutcome.Failure>(await SignInAsync(email, Password)).Reason);
        Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, "un autre mot de passe"));
        Assert.NotEqual(stamp, (await AccountAsync(email)).SecurityStamp);
    }

    [Fact]
    public async Task SignIn_FiveFailuresLockTheAccountForFifteenMinutes_ThenItSignsInAgain()
    {
        var email = NewEmail();
        Assert.Null(await AddAsync(email, Password));

        var failures = new List<SignInRefusal>();
        for (var i = 0; i < 5; i++)
        {
            failures.Add(Assert.IsType<SignInOutcome.Failure>(await SignInAsync(email, "mauvais mot de passe")).Reason);
        }
        var whileLocked = await SignInAsync(email, Password);
        var lockedUntil = (await AccountAsync(email)).LockedUntil;
        Clock.Advance(OperatorAccounts.LockDuration);
        var afterTheLock = await SignInAsync(email, Password);

        Assert.Equal(Enumerable.Repeat(SignInRefusal.WrongAddressOrPassword, 5), failures);
        Assert.Equal(SignInRefusal.Locked, Assert.IsType<SignInOutcome.Failure>(whileLocked).Reason);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, lockedUntil);
        Assert.Equal(email, Assert.IsType<SignInOutcome.Success>(afterTheLock).Account.Email);
        var account = await AccountAsync(email);
        Assert.Equal((0, (DateTime?)null), (account.FailedSignIns, account.LockedUntil));
        Assert.Equal(SignInRefusal.WrongAddressOrPassword, Assert.IsType<SignInOutcome.Failure>(await SignInAsync(NewEmail(), Password)).Reason);
    }

    [Fact]
    public async Task Sessions_EndWithSignOutAndDisabling_DisabledAccountsCannotSignInUntilEnabled()
    {
        var email = NewEmail();
        Assert.Null(await AddAsync(email, Password));
        var session = Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, Password)).Account;
        Assert.True(await IsCurrentAsync(session));

        await WithAsync<OperatorAccounts, bool>(async accounts =>
        {
            await accounts.EndSessionsAsync(session.Id, Ct);
            return true;
        });
        var afterSignOut = await IsCurrentAsync(session);
        var again = Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, Password)).Account;
        var disabled = await WithAsync<OperatorAccounts, bool>(accounts => accounts.DisableAsync(email, Ct));
        var whileDisabled = await SignInAsync(email, Password);
        var enabled = await WithAsync<OperatorAccounts, bool>(accounts => accounts.EnableAsync(email, Ct));

        Assert.False(afterSignOut);
        Assert.True(disabled);
        Assert.False(await IsCurrentAsync(again));
        Assert.Equal(SignInRefusal.Disabled, Assert.IsType<SignInOutcome.Failure>(whileDisabled).Reason);
        Assert.True(enabled);
        Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, Password));
        Assert.True(await WithAsync<OperatorAccounts, bool>(accounts => accounts.RemoveAsync(email, Ct)));
        Assert.Equal((false, false, false), (
            await WithAsync<OperatorAccounts, bool>(accounts => accounts.RemoveAsync(email, Ct)),
            await WithAsync<OperatorAccounts, bool>(accounts => accounts.DisableAsync(email, Ct)),
            await WithAsync<OperatorAccounts, bool>(accounts => accounts.EnableAsync(email, Ct))));
    }

    private static string NewEmail() => $"operateur-{Guid.NewGuid():N}@exemple.fr";

    private Task<string?> AddAsync(string email, string password) =>
        WithAsync<OperatorAccounts, string?>(accounts => accounts.AddAsync(email, password, cancellationToken: Ct));

    private Task<SignInOutcome> SignInAsync(string email, string password) =>
        WithAsync<OperatorAccounts, SignInOutcome>(accounts => accounts.SignInAsync(email, password, Ct));

    private Task<bool> IsCurrentAsync(OperatorAccount session) =>
        WithAsync<OperatorAccounts, bool>(accounts => accounts.IsSessionCurrentAsync(session.Id, session.SecurityStamp, Ct));

    private Task<OperatorAccount> AccountAsync(string email) =>
        WithDbAsync(db => db.Operators.AsNoTracking().SingleAsync(o => o.Email == email, Ct));
}

public sealed class OperatorAccountsTests_Sqlite(SqliteStore store) : OperatorAccountsTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class OperatorAccountsTests_Postgres(PostgresStore store) : OperatorAccountsTests<PostgresStore>(store), IClassFixture<PostgresStore>;
