using Barometre.Data.Campaigns;
using Barometre.Data.Storage;

namespace Barometre.Cli.Tests;

/// <summary>
/// <c>barometre admin add|list|disable|enable|remove</c>: operator accounts from the command line, checked through
/// the accounts service the sign-in page uses, on SQLite and on PostgreSQL.
/// </summary>
public abstract class AdminCommandTest : CliStoreTest
{
    private const string Password = "phrase de passe assez longue";

    /// <summary>The clock of the commands and of the sign-ins.</summary>
    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero));

    private Task<CliRun> RunAsync(params string[] args) => Cli.RunAsync([.. args, .. Store.Options], clock: Clock);

    private Task<CliRun> RunWithStdinAsync(string stdin, params string[] args) => Cli.RunAsync([.. args, .. Store.Options], stdin, Clock);

    private async Task AddAsync(string email)
    {
        var run = await RunWithStdinAsync(Password + "\n", "admin", "add", email, "--password-stdin");
        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Fact]
    public async Task Add_PasswordFromStdin_CreatesRefusesDuplicatesAndReplaces()
    {
        var tooShort = await RunWithStdinAsync("court\n", "admin", "add", "Alice@Exemple.fr", "--password-stdin");
        Assert.Equal((ExitCodes.InvalidInput, ""), (tooShort.ExitCode, tooShort.Out));
        Assert.StartsWith("barometre : ", tooShort.Error, StringComparison.Ordinal);
        Assert.Contains("12", tooShort.Error, StringComparison.Ordinal);

        var empty = await RunWithStdinAsync("", "admin", "add", "alice@exemple.fr", "--password-stdin");
        Assert.Equal((ExitCodes.InvalidInput, "barometre : mot de passe vide."), (empty.ExitCode, empty.Error.Trim()));

        var created = await RunWithStdinAsync(Password + "\n", "admin", "add", "Alice@Exemple.fr", "--password-stdin");
        Assert.Equal((0, "Compte opérateur alice@exemple.fr créé."), (created.ExitCode, created.Out.Trim()));

        var duplicate = await RunWithStdinAsync("une autre phrase de passe\n", "admin", "add", "alice@exemple.fr", "--password-stdin");
        Assert.Equal(ExitCodes.InvalidInput, duplicate.ExitCode);
        Assert.StartsWith("barometre : ", duplicate.Error, StringComparison.Ordinal);
        Assert.IsType<SignInOutcome.Success>(await SignInAsync("alice@exemple.fr", Password));

        var replaced = await RunWithStdinAsync("une autre phrase de passe\n", "admin", "add", "alice@exemple.fr", "--password-stdin", "--replace");
        Assert.Equal((0, "Compte opérateur alice@exemple.fr mis à jour : ses sessions sont fermées."), (replaced.ExitCode, replaced.Out.Trim()));
        Assert.IsType<SignInOutcome.Success>(await SignInAsync("alice@exemple.fr", "une autre phrase de passe"));
        Assert.IsType<SignInOutcome.Failure>(await SignInAsync("alice@exemple.fr", Password));
    }

    [Fact]
    public async Task Add_AnAddressWithAControlCharacter_IsRefusedAndQuoted()
    {
        var run = await RunWithStdinAsync(Password + "\n", "admin", "add", "alice\0@exemple.fr", "--password-stdin");

        Assert.Equal((ExitCodes.InvalidInput, "barometre : « aliceU+0000@exemple.fr » n'est pas une adresse électronique."), (run.ExitCode, run.Error.Trim()));
    }

    [Fact]
    public async Task List_ShowsEachAccountsAddressCreationAndState()
    {
        await AddAsync("claire@exemple.fr");
        await AddAsync("Bruno@Exemple.fr");
        await AddAsync("alice@exemple.fr");
        for (var attempt = 0; attempt < OperatorAccounts.MaxFailures; attempt++)
        {
            await SignInAsync("bruno@exemple.fr", "erroné");
        }
        Assert.Equal(0, (await RunAsync("admin", "disable", "claire@exemple.fr")).ExitCode);

        var list = await RunAsync("admin", "list");

        Assert.Equal((0, ""), (list.ExitCode, list.Error));
        Assert.Equal(
            [
                "alice@exemple.fr\t2026-12-07\tactif\tadministrateur\ttoutes",
                "bruno@exemple.fr\t2026-12-07\tbloqué jusqu'à 09:45 UTC\tadministrateur\ttoutes",
                "claire@exemple.fr\t2026-12-07\tdésactivé le 2026-12-07\tadministrateur\ttoutes",
            ],
            list.Out.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task List_WithoutAccounts_SaysSoOnStderr()
    {
        var list = await RunAsync("admin", "list");

        Assert.Equal((0, "", "Aucun compte opérateur (barometre admin add ADRESSE)."), (list.ExitCode, list.Out, list.Error.Trim()));
    }

    [Fact]
    public async Task DisableEnableRemove_ChangeTheAccountAndEndItsSessions()
    {
        await AddAsync("alice@exemple.fr");
        var session = Assert.IsType<SignInOutcome.Success>(await SignInAsync("alice@exemple.fr", Password)).Account;
        Assert.True(await SessionHoldsAsync(session));

        var disabled = await RunAsync("admin", "disable", "Alice@Exemple.fr");

        Assert.Equal((0, "Compte opérateur alice@exemple.fr désactivé : ses sessions sont fermées."), (disabled.ExitCode, disabled.Out.Trim()));
        Assert.False(await SessionHoldsAsync(session));
        Assert.Equal(new SignInOutcome.Failure(SignInRefusal.Disabled), await SignInAsync("alice@exemple.fr", Password));

        var enabled = await RunAsync("admin", "enable", "alice@exemple.fr");

        Assert.Equal((0, "Compte opérateur alice@exemple.fr réactivé."), (enabled.ExitCode, enabled.Out.Trim()));
        session = Assert.IsType<SignInOutcome.Success>(await SignInAsync("alice@exemple.fr", Password)).Account;
        Assert.True(await SessionHoldsAsync(session));

        var removed = await RunAsync("admin", "remove", "alice@exemple.fr");

        Assert.Equal((0, "Compte opérateur alice@exemple.fr supprimé : ses sessions sont fermées."), (removed.ExitCode, removed.Out.Trim()));
        Assert.False(await SessionHoldsAsync(session));
        Assert.Equal("", (await RunAsync("admin", "list")).Out);
        Assert.Equal(new SignInOutcome.Failure(SignInRefusal.WrongAddressOrPassword), await SignInAsync("alice@exemple.fr", Password));
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("enable")]
    [InlineData("remove")]
    public async Task UnknownAccount_IsAnInputErrorInFrench(string command)
    {
        await AddAsync("alice@exemple.fr");

        var run = await RunAsync("admin", command, "personne@exemple.fr");

        Assert.Equal((ExitCodes.InvalidInput, "", "barometre : aucun compte opérateur « personne@exemple.fr » (barometre admin list)."), (run.ExitCode, run.Out, run.Error.Trim()));
        Assert.Equal("alice@exemple.fr\t2026-12-07\tactif\tadministrateur\ttoutes", (await RunAsync("admin", "list")).Out.Trim());
    }

    [Fact]
    public async Task RolesAndCampaigns_InviteRoleGrantRevoke_AndTheLastAdministratorStays()
    {
        await AddAsync("alice@exemple.fr");
        var campaign = await CreateCampaignAsync();
        var analyst = await RunWithStdinAsync(Password + "\n", "admin", "add", "bruno@exemple.fr", "--password-stdin", "--role", "analyste", "--campaigns", campaign);
        var badRole = await RunWithStdinAsync(Password + "\n", "admin", "add", "chef@exemple.fr", "--password-stdin", "--role", "chef");
        var invited = await RunAsync("admin", "invite", "claire@exemple.fr", "--role", "gestionnaire", "--given-name", "Claire", "--base-url", "https://barometre.exemple.fr");
        var promoted = await RunAsync("admin", "role", "bruno@exemple.fr", "gestionnaire");
        var revoked = await RunAsync("admin", "revoke", "bruno@exemple.fr", campaign);
        var granted = await RunAsync("admin", "grant", "claire@exemple.fr", campaign);
        var unknown = await RunAsync("admin", "grant", "claire@exemple.fr", "9999");
        var lastAdministrator = await RunAsync("admin", "role", "alice@exemple.fr", "analyste");

        Assert.True(analyst.ExitCode == 0, analyst.Error);
        Assert.Equal(ExitCodes.UsageError, badRole.ExitCode);
        Assert.Contains("« chef » n'est pas un rôle : administrateur, gestionnaire, analyste.", badRole.Error, StringComparison.Ordinal);
        Assert.Equal(0, invited.ExitCode);
        Assert.Matches("^https://barometre.exemple.fr/admin/invitation/[A-Za-z0-9_-]{43}$", invited.Out.Trim());
        Assert.Equal((0, "Compte opérateur bruno@exemple.fr désormais gestionnaire de campagne."), (promoted.ExitCode, promoted.Out.Trim()));
        Assert.Equal((0, $"Compte opérateur bruno@exemple.fr : campagnes {campaign} retirées."), (revoked.ExitCode, revoked.Out.Trim()));
        Assert.Equal(0, granted.ExitCode);
        Assert.Equal((ExitCodes.InvalidInput, "barometre : La campagne n° 9999 n'existe pas."), (unknown.ExitCode, unknown.Error.Trim()));
        Assert.Equal((ExitCodes.InvalidInput, "barometre : alice@exemple.fr est le dernier administrateur actif : nommez d'abord un autre administrateur."),
            (lastAdministrator.ExitCode, lastAdministrator.Error.Trim()));
        Assert.Equal(
            [
                "alice@exemple.fr\t2026-12-07\tactif\tadministrateur\ttoutes",
                "bruno@exemple.fr\t2026-12-07\tactif\tgestionnaire\t",
                $"claire@exemple.fr\t2026-12-07\tinvité\tgestionnaire\t{campaign}",
            ],
            (await RunAsync("admin", "list")).Out.TrimEnd().Split('\n'));
    }

    /// <summary>A campaign to give, created through the command line; its number.</summary>
    private async Task<string> CreateCampaignAsync()
    {
        await using var db = new DatabaseSettings(Store.DataDirectory, Store.ConnectionString).CreateContext();
        db.Campaigns.Add(new Campaign { Name = "Baromètre à confier", ModelId = "m", ModelSource = "", CreatedAt = Clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(Ct);
        return db.Campaigns.Max(c => c.Id).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A sign-in through the accounts service, as the sign-in page makes it (from a browser not recognised).</summary>
    private async Task<SignInOutcome> SignInAsync(string email, string password)
    {
        await using var db = new DatabaseSettings(Store.DataDirectory, Store.ConnectionString).CreateContext();
        return await new OperatorAccounts(db, Clock).SignInAsync(email, password, Ct);
    }

    /// <summary>Whether a session opened by <paramref name="account"/>'s sign-in is still accepted.</summary>
    private async Task<bool> SessionHoldsAsync(OperatorAccount account)
    {
        await using var db = new DatabaseSettings(Store.DataDirectory, Store.ConnectionString).CreateContext();
        Assert.NotEqual("", account.SecurityStamp);
        return await new OperatorAccounts(db, Clock).IsSessionCurrentAsync(account.Id, account.SecurityStamp, Ct);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class AdminCommandTest_Sqlite : AdminCommandTest
{
    protected override bool Postgres => false;
}

public sealed class AdminCommandTest_Postgres : AdminCommandTest
{
    protected override bool Postgres => true;
}
