using Barometre.Data.Campaigns;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>
/// The life of an operator account in <see cref="OperatorAccounts"/> and of an API key in <see cref="ApiKeys"/>:
/// invitation and its one-time link, role and campaigns (fewer rights end the sessions), the last administrator and
/// one's own rights, the operators' audit. Tests of one class run one after the other on one database.
/// </summary>
public abstract class OperatorAccountLifecycleTests<TStore>(TStore fixture) : CampaignTest<TStore>(fixture)
    where TStore : StoreFixture
{
    private const string Password = "une phrase de passe assez longue";

    [Fact]
    public async Task Invite_LinkChoosesThePasswordOnce_ThenTheAccountSignsIn()
    {
        var campaign = await SeedCampaignAsync(1);
        var email = NewEmail();

        var invited = Assert.IsType<InvitationOutcome.Invited>(await Accounts(a => a.InviteAsync(
            new AccountInvitation($" {email.ToUpperInvariant()}", OperatorRole.CampaignManager, " Marie ", "Curie", [campaign.Id]), Operator, Ct)));
        var beforeChoosing = await SignInAsync(email, Password);
        var opened = await Accounts(a => a.FindInvitationAsync(invited.Token, Ct));
        var tooShort = await Accounts(a => a.AcceptInvitationAsync(invited.Token, "court", Ct));
        var accepted = await Accounts(a => a.AcceptInvitationAsync(invited.Token, Password, Ct));
        var again = await Accounts(a => a.AcceptInvitationAsync(invited.Token, "un autre mot de passe", Ct));

        Assert.IsType<SignInOutcome.Failure>(beforeChoosing);
        Assert.Equal(email, opened?.Email);
        Assert.Equal("Le mot de passe doit compter au moins 12 caractères.", Assert.IsType<InvitationAcceptance.Refused>(tooShort).Reason);
        Assert.IsType<InvitationAcceptance.Accepted>(accepted);
        Assert.Equal(OperatorAccounts.UnknownInvitation, Assert.IsType<InvitationAcceptance.Refused>(again).Reason);
        var account = Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, Password)).Account;
        Assert.Equal((OperatorRole.CampaignManager, "Marie", "Curie", (string?)null, Now), (account.Role, account.GivenName, account.FamilyName, account.InvitationHash, account.LastSignInAt));
        Assert.Equal(new OperatorPrincipal(OperatorRole.CampaignManager, new HashSet<int> { campaign.Id }).Campaigns, (await PrincipalAsync(account.Id))!.Campaigns);
        Assert.Equal(["account.invite", "account.password"], await AuditAsync(email));
    }

    [Fact]
    public async Task Invite_RefusesAnExistingAccountAndAnUnknownCampaign_AndTheLinkExpires()
    {
        var email = NewEmail();
        Assert.Null(await Accounts(a => a.AddAsync(email, Password, OperatorRole.Analyst, cancellationToken: Ct)));
        var unknownCampaign = await WithDbAsync(db => db.Campaigns.MaxAsync(c => (int?)c.Id, Ct)) ?? 0;
        var other = NewEmail();

        var existing = await Accounts(a => a.InviteAsync(new AccountInvitation(email, OperatorRole.Analyst, null, null, []), Operator, Ct));
        var unknown = await Accounts(a => a.InviteAsync(new AccountInvitation(other, OperatorRole.Analyst, null, null, [unknownCampaign + 1000]), Operator, Ct));
        var renewed = Assert.IsType<InvitationOutcome.Invited>(await Accounts(a => a.RenewInvitationAsync(email, Operator, Ct)));
        Clock.Advance(OperatorAccounts.InvitationLifetime);

        Assert.StartsWith($"Le compte {email} existe déjà", Assert.IsType<InvitationOutcome.Refused>(existing).Reason, StringComparison.Ordinal);
        Assert.Equal($"La campagne n° {unknownCampaign + 1000} n'existe pas.", Assert.IsType<InvitationOutcome.Refused>(unknown).Reason);
        Assert.False(await WithDbAsync(db => db.Operators.AnyAsync(o => o.Email == other, Ct)));
        Assert.Null(await Accounts(a => a.FindInvitationAsync(renewed.Token, Ct)));
        Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, Password));
    }

    [Fact]
    public async Task RoleAndCampaigns_FewerRightsEndTheSessions_MoreKeepThem()
    {
        var (first, second) = (await SeedCampaignAsync(1), await SeedCampaignAsync(1));
        var email = NewEmail();
        Assert.Null(await Accounts(a => a.AddAsync(email, Password, OperatorRole.Analyst, cancellationToken: Ct)));
        var session = await SessionAsync(email);

        Assert.IsType<AccountChange.Done>(await Accounts(a => a.SetCampaignsAsync(email, [first.Id, second.Id], Operator, Ct)));
        var afterGrant = await IsCurrentAsync(session);
        Assert.IsType<AccountChange.Done>(await Accounts(a => a.SetRoleAsync(email, OperatorRole.CampaignManager, Operator, cancellationToken: Ct)));
        var afterPromotion = await IsCurrentAsync(session);
        Assert.IsType<AccountChange.Done>(await Accounts(a => a.SetCampaignsAsync(email, [second.Id], Operator, Ct)));
        var afterRevoke = await IsCurrentAsync(session);
        session = await SessionAsync(email);
        Assert.IsType<AccountChange.Done>(await Accounts(a => a.SetRoleAsync(email, OperatorRole.Analyst, Operator, cancellationToken: Ct)));

        Assert.Equal((true, true, false, false), (afterGrant, afterPromotion, afterRevoke, await IsCurrentAsync(session)));
        var principal = await PrincipalAsync(session.Id);
        Assert.Equal(OperatorRole.Analyst, principal!.Role);
        Assert.Equal([second.Id], principal.Campaigns);
        Assert.Equal(["account.add", "account.campaigns", "account.role", "account.campaigns", "account.role"], await AuditAsync(email));
        Assert.IsType<AccountChange.NotFound>(await Accounts(a => a.SetRoleAsync(NewEmail(), OperatorRole.Analyst, Operator, cancellationToken: Ct)));
        Assert.StartsWith("La campagne n° ", Assert.IsType<AccountChange.Refused>(await Accounts(a => a.SetCampaignsAsync(email, [int.MaxValue], Operator, Ct))).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastActiveAdministrator_StaysWhileOthersAreActive_AndNobodyLowersTheirOwnRights()
    {
        // Only this test's accounts are active: the others of the class are disabled first.
        await WithDbAsync(db => db.Operators.ExecuteUpdateAsync(set => set.SetProperty(o => o.DisabledAt, Now), Ct));
        var (admin, analyst, second) = (NewEmail(), NewEmail(), NewEmail());
        Assert.Null(await Accounts(a => a.AddAsync(admin, Password, OperatorRole.Administrator, cancellationToken: Ct)));
        Assert.Null(await Accounts(a => a.AddAsync(analyst, Password, OperatorRole.Analyst, cancellationToken: Ct)));
        var adminId = (await SessionAsync(admin)).Id;
        var last = $"{admin} est le dernier administrateur actif : nommez d'abord un autre administrateur.";

        Assert.Equal(last, Refusal(await Accounts(a => a.SetRoleAsync(admin, OperatorRole.CampaignManager, Operator, cancellationToken: Ct))));
        Assert.Equal(last, Refusal(await Accounts(a => a.DisableAsync(admin, Operator, actingAccountId: null, Ct))));
        Assert.Equal(last, Refusal(await Accounts(a => a.RemoveAsync(admin, Operator, actingAccountId: null, Ct))));
        Assert.False(await Accounts(a => a.DisableAsync(admin, Ct)));

        Assert.Null(await Accounts(a => a.AddAsync(second, Password, OperatorRole.Administrator, cancellationToken: Ct)));
        Assert.StartsWith("Vous ne pouvez pas retirer vos propres droits", Refusal(await Accounts(a => a.DisableAsync(admin, Operator, adminId, Ct))), StringComparison.Ordinal);
        Assert.IsType<AccountChange.Done>(await Accounts(a => a.DisableAsync(admin, Operator, actingAccountId: null, Ct)));
        Assert.Equal($"{second} est le dernier administrateur actif : nommez d'abord un autre administrateur.",
            Refusal(await Accounts(a => a.RemoveAsync(second, Operator, actingAccountId: null, Ct))));
        // Lowering an analyst's rights, or removing them, is never guarded.
        Assert.IsType<AccountChange.Done>(await Accounts(a => a.RemoveAsync(analyst, Operator, actingAccountId: null, Ct)));
        Assert.Equal(["account.add", "account.disable"], await AuditAsync(admin));
        Assert.Equal(["account.add", "account.remove"], await AuditAsync(analyst));
    }

    [Fact]
    public async Task ApiKey_CarriesItsRoleAndCampaigns_UntilRevoked()
    {
        var campaign = await SeedCampaignAsync(1);

        var created = Assert.IsType<ApiKeyOutcome.Created>(await WithAsync<ApiKeys, ApiKeyOutcome>(k => k.AddAsync("tableau de bord", OperatorRole.Analyst, [campaign.Id], Operator, Ct)));
        var refused = await WithAsync<ApiKeys, ApiKeyOutcome>(k => k.AddAsync("inconnue", OperatorRole.Analyst, [int.MaxValue], Operator, Ct));
        var principal = await WithDbAsync(db => OperatorPrincipal.ForApiKeyAsync(db, created.Key.Id, Ct));
        Assert.True(await WithAsync<ApiKeys, bool>(k => k.RevokeAsync(created.Key.Id, Operator, Ct)));

        Assert.Equal(OperatorRole.Analyst, principal!.Role);
        Assert.Equal([campaign.Id], principal.Campaigns);
        Assert.StartsWith("La campagne n° ", Assert.IsType<ApiKeyOutcome.Refused>(refused).Reason, StringComparison.Ordinal);
        Assert.Null(await WithDbAsync(db => OperatorPrincipal.ForApiKeyAsync(db, created.Key.Id, Ct)));
        var subject = $"clé n° {created.Key.Id} (tableau de bord)";
        Assert.Equal(["apikey.add", "apikey.revoke"], await WithDbAsync(db => db.OperatorAudit.Where(e => e.Subject == subject).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Ct)));
    }

    private static string NewEmail() => $"operateur-{Guid.NewGuid():N}@exemple.fr";

    private static string Refusal(AccountChange change) => Assert.IsType<AccountChange.Refused>(change).Reason;

    private Task<T> Accounts<T>(Func<OperatorAccounts, Task<T>> action) => WithAsync(action);

    private Task<SignInOutcome> SignInAsync(string email, string password) => Accounts(a => a.SignInAsync(email, password, Ct));

    private async Task<OperatorAccount> SessionAsync(string email) => Assert.IsType<SignInOutcome.Success>(await SignInAsync(email, Password)).Account;

    private Task<bool> IsCurrentAsync(OperatorAccount session) => Accounts(a => a.IsSessionCurrentAsync(session.Id, session.SecurityStamp, Ct));

    private Task<OperatorPrincipal?> PrincipalAsync(int accountId) => WithDbAsync(db => OperatorPrincipal.ForAccountAsync(db, accountId, Ct));

    private Task<List<string>> AuditAsync(string email) =>
        WithDbAsync(db => db.OperatorAudit.Where(e => e.Subject == email).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Ct));
}

public sealed class OperatorAccountLifecycleTests_Sqlite(SqliteStore store) : OperatorAccountLifecycleTests<SqliteStore>(store), IClassFixture<SqliteStore>;

public sealed class OperatorAccountLifecycleTests_Postgres(PostgresStore store) : OperatorAccountLifecycleTests<PostgresStore>(store), IClassFixture<PostgresStore>;
