using Barometre.Data.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>The result of a sign-in attempt.</summary>
public abstract record SignInOutcome
{
    /// <summary>Signed in; <see cref="OperatorAccount.SecurityStamp"/> is the stamp the session must carry.</summary>
    public sealed record Success(OperatorAccount Account) : SignInOutcome;

    /// <summary>Refused. The reason is for the server's log: whoever signs in gets the same answer for all of them.</summary>
    public sealed record Failure(SignInRefusal Reason) : SignInOutcome;
}

/// <summary>Why a sign-in was refused (never shown to the person signing in).</summary>
public enum SignInRefusal
{
    /// <summary>No account has this address, or the password is wrong (the two are not told apart, even here).</summary>
    WrongAddressOrPassword,

    /// <summary>The account had <see cref="OperatorAccounts.MaxFailures"/> failures and its lock has not expired.</summary>
    Locked,

    /// <summary>The account is disabled (<c>barometre admin disable</c>).</summary>
    Disabled,
}

/// <summary>
/// Operator accounts: created from the command line (<c>barometre admin add</c>), passwords hashed with
/// ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, 100,000 iterations, per-password salt), locked
/// for a while after repeated failures, disabled or removed from the command line; also found, linked or created
/// when someone signs in through the identity provider (<see cref="SignInExternalAsync"/>). Each account's
/// <see cref="OperatorAccount.SecurityStamp"/> names its current sessions: changing it ends them all.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="clock">The clock (locks, creation and disabling times).</param>
/// <param name="hasher">The password hasher; Identity's PBKDF2 hasher when null (tests count its verifications).</param>
public sealed class OperatorAccounts(BarometreDbContext db, TimeProvider clock, IPasswordHasher<OperatorAccount>? hasher = null)
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumPasswordLength = 12;

    /// <summary>Failed attempts in a row that lock an account.</summary>
    public const int MaxFailures = 5;

    /// <summary>How long a lock lasts.</summary>
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<OperatorAccount> DefaultHasher = new();

    // Every refused attempt verifies the password against this instead of an account's hash: an unknown
    // address, a locked or a disabled account cost the same time as a wrong password.
    private static readonly OperatorAccount Decoy = new() { Email = "", PasswordHash = DefaultHasher.HashPassword(null!, "mot de passe leurre pour un compte absent") };

    private readonly IPasswordHasher<OperatorAccount> _hasher = hasher ?? DefaultHasher;

    /// <summary>How long an invitation's link lets the invited operator choose a password.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// Creates an administrator's account (what <c>barometre admin add</c> does without <c>--role</c>), or sets a new
    /// password on an existing one when <paramref name="replace"/> (which ends its sessions).
    /// </summary>
    /// <returns>null on success, else the reason in French.</returns>
    public Task<string?> AddAsync(string email, string password, bool replace = false, CancellationToken cancellationToken = default) =>
        AddAsync(email, password, OperatorRole.Administrator, replace, actor: null, cancellationToken);

    /// <summary>
    /// Creates an account with <paramref name="role"/> (no campaign given yet: <see cref="SetCampaignsAsync"/>), or sets a
    /// new password on an existing one when <paramref name="replace"/>, which keeps its role and ends its sessions.
    /// </summary>
    /// <param name="email">The address (the sign-in name).</param>
    /// <param name="password">The password, at least <see cref="MinimumPasswordLength"/> characters.</param>
    /// <param name="role">The new account's role.</param>
    /// <param name="replace">Whether to set a new password on an existing account.</param>
    /// <param name="actor">Who does it, for the operators' audit; the command line when null.</param>
    /// <param name="cancellationToken">Cancels the database calls.</param>
    /// <returns>null on success, else the reason in French.</returns>
    public async Task<string?> AddAsync(string email, string password, OperatorRole role, bool replace = false, Actor? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);
        var normalised = NormaliseEmail(email);
        if (normalised is null)
        {
            return $"« {TextRules.Quote(email)} » n'est pas une adresse électronique.";
        }
        if (password.Length < MinimumPasswordLength)
        {
            return $"Le mot de passe doit compter au moins {MinimumPasswordLength} caractères.";
        }
        var account = await db.Operators.SingleOrDefaultAsync(o => o.Email == normalised, cancellationToken);
        if (account is not null && !replace)
        {
            return $"Le compte {normalised} existe déjà (pour changer son mot de passe : --replace).";
        }
        if (account is null)
        {
            account = new OperatorAccount { Email = normalised, PasswordHash = "", Role = role, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Operators.Add(account);
            Audit(actor, "account.add", normalised, null, OperatorRoles.Label(role));
        }
        else
        {
            Audit(actor, "account.password", normalised, null, null);
        }
        account.PasswordHash = _hasher.HashPassword(account, password);
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        // A new password ends every session opened with the old one, and makes a pending invitation useless.
        account.SecurityStamp = NewStamp();
        account.InvitationHash = null;
        account.InvitationExpiresAt = null;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// Checks an address and a password. Each attempt first claims one of the <see cref="MaxFailures"/> guesses
    /// an account allows per <see cref="LockDuration"/> in a single UPDATE, so that parallel attempts cannot all
    /// read the same count: the attempt that reaches the limit sets the lock, and later ones find it. Every path
    /// — unknown address, locked, disabled, wrong or right password — runs the same query and one password
    /// verification, and every attempt from a browser that is not recognised the same UPDATE.
    /// </summary>
    /// <param name="email">The address typed.</param>
    /// <param name="password">The password typed.</param>
    /// <param name="trustedDevice">
    /// Whether the attempt comes from a browser this account signed in from before: such attempts ignore the
    /// account's lock (strangers' failures cannot keep the operator out) and are bounded by the caller instead.
    /// </param>
    /// <param name="cancellationToken">Cancels the database calls.</param>
    public async Task<SignInOutcome> SignInAsync(string email, string password, bool trustedDevice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);
        var now = clock.GetUtcNow().UtcDateTime;
        // A malformed address still runs both statements (matching nothing): its answer takes the same time.
        var address = NormaliseEmail(email) ?? "";
        var account = await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.Email == address, cancellationToken);
        var claimed = trustedDevice
            ? account is { DisabledAt: null }
            : await ClaimGuessAsync(address, now, cancellationToken) && account is not null;
        var against = claimed ? account! : Decoy;
        var verification = _hasher.VerifyHashedPassword(against, against.PasswordHash, password);
        if (account is null || !claimed || verification == PasswordVerificationResult.Failed)
        {
            return new SignInOutcome.Failure(
                account is null || (claimed && verification == PasswordVerificationResult.Failed) ? SignInRefusal.WrongAddressOrPassword
                : account.DisabledAt is not null ? SignInRefusal.Disabled
                : SignInRefusal.Locked);
        }
        var stamp = account.SecurityStamp.Length > 0 ? account.SecurityStamp : NewStamp();
        var rehash = verification == PasswordVerificationResult.SuccessRehashNeeded ? _hasher.HashPassword(account, password) : null;
        await db.Operators.Where(o => o.Id == account.Id).ExecuteUpdateAsync(set =>
        {
            set.SetProperty(o => o.FailedSignIns, 0).SetProperty(o => o.LockedUntil, (DateTime?)null).SetProperty(o => o.LastSignInAt, now)
                // Accounts made before stamps existed get one now; a stamp set meanwhile by a parallel sign-in stays.
                .SetProperty(o => o.SecurityStamp, o => o.SecurityStamp == "" ? stamp : o.SecurityStamp);
            if (rehash is not null)
            {
                set.SetProperty(o => o.PasswordHash, rehash);
            }
        }, cancellationToken);
        if (account.SecurityStamp.Length == 0)
        {
            account.SecurityStamp = await db.Operators.Where(o => o.Id == account.Id).Select(o => o.SecurityStamp).SingleAsync(cancellationToken);
        }
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        account.LastSignInAt = now;
        return new SignInOutcome.Success(account);
    }

    /// <summary>
    /// Whether an enabled account has this password, without counting a guess or touching the account: for local tools
    /// that kept a password they set (the demo), never for what a visitor types.
    /// </summary>
    public async Task<bool> HasPasswordAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        var address = NormaliseEmail(email);
        var account = address is null ? null : await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.Email == address, cancellationToken);
        return account is { DisabledAt: null } && _hasher.VerifyHashedPassword(account, account.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    /// <inheritdoc cref="SignInAsync(string, string, bool, CancellationToken)"/>
    public Task<SignInOutcome> SignInAsync(string email, string password, CancellationToken cancellationToken = default) =>
        SignInAsync(email, password, trustedDevice: false, cancellationToken);

    /// <summary>
    /// Counts one guess against an active, unlocked account, locking it when the count reaches
    /// <see cref="MaxFailures"/>; false when there is no such account (unknown, disabled or locked).
    /// A lock that has expired starts the count afresh. A successful sign-in resets it.
    /// </summary>
    private async Task<bool> ClaimGuessAsync(string address, DateTime now, CancellationToken cancellationToken)
    {
        var until = now + LockDuration;
        return await db.Operators
            .Where(o => o.Email == address && o.DisabledAt == null && (o.LockedUntil == null || o.LockedUntil <= now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.FailedSignIns, o => o.LockedUntil == null ? o.FailedSignIns + 1 : 1)
                .SetProperty(o => o.LockedUntil, o => (o.LockedUntil == null ? o.FailedSignIns + 1 : 1) >= MaxFailures ? until : (DateTime?)null),
                cancellationToken) == 1;
    }

    /// <summary>
    /// The account a person signed in through the identity provider opens: the one linked to their issuer and subject;
    /// else the one with their e-mail address, which is linked to them now; else a new one with the policy's role,
    /// when the policy creates accounts. Refused when the address is missing, unverified (for linking and creating) or
    /// outside the allowed domains — checked at every sign-in, so that narrowing the domains shuts linked accounts out
    /// too — and when the account is disabled. The names are refreshed from the provider's at each sign-in.
    /// </summary>
    public async Task<ExternalSignInOutcome> SignInExternalAsync(ExternalIdentity identity, ExternalSignInPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(policy);
        var email = identity.Email is null ? null : NormaliseEmail(identity.Email);
        if (email is null || !Storable(identity.Subject, FieldLimits.Name) || !Storable(identity.Issuer, FieldLimits.Url))
        {
            return new ExternalSignInOutcome.Refused(ExternalSignInRefusal.NoEmail);
        }
        if (!policy.AllowsDomain(email))
        {
            return new ExternalSignInOutcome.Refused(ExternalSignInRefusal.DomainNotAllowed);
        }
        try
        {
            return await SignInExternalOnceAsync(identity, email, policy, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A parallel first sign-in of the same person created or linked the account first (unique address, unique
            // issuer and subject): the second look finds it.
            db.ChangeTracker.Clear();
            return await SignInExternalOnceAsync(identity, email, policy, cancellationToken);
        }
    }

    private async Task<ExternalSignInOutcome> SignInExternalOnceAsync(ExternalIdentity identity, string email, ExternalSignInPolicy policy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var how = ExternalSignInKind.Linked;
        var account = await db.Operators.SingleOrDefaultAsync(o => o.ExternalIssuer == identity.Issuer && o.ExternalSubject == identity.Subject, cancellationToken);
        if (account is null)
        {
            if (identity.EmailVerified == false)
            {
                return new ExternalSignInOutcome.Refused(ExternalSignInRefusal.EmailNotVerified);
            }
            account = await db.Operators.SingleOrDefaultAsync(o => o.Email == email, cancellationToken);
            how = ExternalSignInKind.LinkedByEmail;
            if (account is null)
            {
                if (!policy.CreateAccounts)
                {
                    return new ExternalSignInOutcome.Refused(ExternalSignInRefusal.NoAccount);
                }
                // No password: the account signs in through the provider only (an empty hash verifies no password).
                account = new OperatorAccount { Email = email, PasswordHash = "", Role = policy.NewAccountRole, CreatedAt = now, SecurityStamp = NewStamp() };
                db.Operators.Add(account);
                how = ExternalSignInKind.Created;
            }
        }
        if (account.DisabledAt is not null)
        {
            return new ExternalSignInOutcome.Refused(ExternalSignInRefusal.Disabled, account.Id);
        }
        account.ExternalIssuer = identity.Issuer;
        account.ExternalSubject = identity.Subject;
        account.GivenName = Storable(identity.GivenName, FieldLimits.Name) ? identity.GivenName!.Trim() : account.GivenName;
        account.FamilyName = Storable(identity.FamilyName, FieldLimits.Name) ? identity.FamilyName!.Trim() : account.FamilyName;
        account.LastSignInAt = now;
        if (account.SecurityStamp.Length == 0)
        {
            account.SecurityStamp = NewStamp();
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ExternalSignInOutcome.Success(account, how);
    }

    /// <summary>Whether a value from the provider can be stored as it is: not blank, short enough, no control character.</summary>
    private static bool Storable(string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && TextRules.Problem(value.Trim(), "", maxLength, multiline: false) is null;

    /// <summary>
    /// Whether a session carrying <paramref name="stamp"/> for account <paramref name="id"/> is still valid:
    /// the account exists, is not disabled and still has that stamp. One query by primary key.
    /// </summary>
    public async Task<bool> IsSessionCurrentAsync(int id, string stamp, CancellationToken cancellationToken = default)
    {
        var current = await db.Operators.AsNoTracking().Where(o => o.Id == id && o.DisabledAt == null).Select(o => o.SecurityStamp).SingleOrDefaultAsync(cancellationToken);
        return current is { Length: > 0 } && string.Equals(current, stamp, StringComparison.Ordinal);
    }

    /// <summary>Ends every session of the account (sign-out ends them on every browser), by giving it a new stamp.</summary>
    public Task EndSessionsAsync(int id, CancellationToken cancellationToken = default)
    {
        var stamp = NewStamp();
        return db.Operators.Where(o => o.Id == id).ExecuteUpdateAsync(set => set.SetProperty(o => o.SecurityStamp, stamp), cancellationToken);
    }

    /// <summary>The accounts, by address.</summary>
    public async Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Operators.AsNoTracking().OrderBy(o => o.Email).ToListAsync(cancellationToken);

    /// <summary>
    /// Invites an operator: creates the account with its role, names and campaigns but no password, and a one-time link
    /// (valid <see cref="InvitationLifetime"/>) to choose one with <see cref="AcceptInvitationAsync"/>.
    /// </summary>
    /// <returns>The account and the link's token (shown or sent once: only its hash is kept), or why not.</returns>
    public async Task<InvitationOutcome> InviteAsync(AccountInvitation invitation, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var normalised = NormaliseEmail(invitation.Email);
        if (normalised is null)
        {
            return new InvitationOutcome.Refused($"« {TextRules.Quote(invitation.Email)} » n'est pas une adresse électronique.");
        }
        if (TextRules.Problem(invitation.GivenName?.Trim(), "Le prénom", FieldLimits.Name, multiline: false) is { } givenProblem)
        {
            return new InvitationOutcome.Refused(givenProblem);
        }
        if (TextRules.Problem(invitation.FamilyName?.Trim(), "Le nom", FieldLimits.Name, multiline: false) is { } familyProblem)
        {
            return new InvitationOutcome.Refused(familyProblem);
        }
        if (await db.Operators.AnyAsync(o => o.Email == normalised, cancellationToken))
        {
            return new InvitationOutcome.Refused($"Le compte {normalised} existe déjà : changez son rôle ou envoyez-lui un nouveau lien depuis sa fiche.");
        }
        if (await CampaignGrants.ProblemAsync(db, invitation.Campaigns, cancellationToken) is { } campaignProblem)
        {
            return new InvitationOutcome.Refused(campaignProblem);
        }
        var (token, hash) = InvitationTokens.Create();
        var now = clock.GetUtcNow().UtcDateTime;
        var account = new OperatorAccount
        {
            Email = normalised, PasswordHash = "", Role = invitation.Role, CreatedAt = now, SecurityStamp = NewStamp(),
            GivenName = Blank(invitation.GivenName), FamilyName = Blank(invitation.FamilyName),
            InvitationHash = hash, InvitationExpiresAt = now + InvitationLifetime,
        };
        // The account's id is known once saved: the two saves are one transaction, so that nothing is half-written.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Operators.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        CampaignGrants.Replace(db, holder => holder.OperatorAccountId == account.Id, new HashSet<int>(), invitation.Campaigns, id => new CampaignAssignment { CampaignId = id, OperatorAccountId = account.Id, CreatedAt = now });
        Audit(actor, "account.invite", normalised, null, $"{OperatorRoles.Label(invitation.Role)} ; campagnes : {CampaignGrants.Describe(invitation.Campaigns)}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new InvitationOutcome.Invited(account, token);
    }

    /// <summary>
    /// A new one-time link for an existing account (the first one expired or was lost, or the operator forgot their
    /// password): the current password keeps working until a new one is chosen with it.
    /// </summary>
    public async Task<InvitationOutcome> RenewInvitationAsync(string email, Actor actor, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(email, cancellationToken) is not { } account)
        {
            return new InvitationOutcome.Refused(NoSuchAccount(email));
        }
        var (token, hash) = InvitationTokens.Create();
        account.InvitationHash = hash;
        account.InvitationExpiresAt = clock.GetUtcNow().UtcDateTime + InvitationLifetime;
        Audit(actor, "account.link", account.Email, null, null);
        await db.SaveChangesAsync(cancellationToken);
        return new InvitationOutcome.Invited(account, token);
    }

    /// <summary>The active account an invitation's token opens, or null (unknown, used, expired or disabled: all alike).</summary>
    public async Task<OperatorAccount?> FindInvitationAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!InvitationTokens.IsWellFormed(token))
        {
            return null;
        }
        var hash = InvitationTokens.Hash(token!);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Operators.AsNoTracking()
            .SingleOrDefaultAsync(o => o.InvitationHash == hash && o.InvitationExpiresAt > now && o.DisabledAt == null, cancellationToken);
    }

    /// <summary>
    /// Sets the password an invited operator chose with their link, which then stops working; ends the account's
    /// other sessions. Refused (in French) when the link opens nothing or the password is too short.
    /// </summary>
    public async Task<InvitationAcceptance> AcceptInvitationAsync(string? token, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (await FindInvitationAsync(token, cancellationToken) is not { } found)
        {
            return new InvitationAcceptance.Refused(UnknownInvitation);
        }
        if (password.Length < MinimumPasswordLength)
        {
            return new InvitationAcceptance.Refused($"Le mot de passe doit compter au moins {MinimumPasswordLength} caractères.");
        }
        var account = await db.Operators.SingleAsync(o => o.Id == found.Id, cancellationToken);
        account.PasswordHash = _hasher.HashPassword(account, password);
        account.InvitationHash = null;
        account.InvitationExpiresAt = null;
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        account.SecurityStamp = NewStamp();
        Audit(Actor.Operator(account.Email), "account.password", account.Email, null, "choisi par le lien d'invitation");
        await db.SaveChangesAsync(cancellationToken);
        return new InvitationAcceptance.Accepted(account);
    }

    /// <summary>What an invitation page says to a link that opens nothing.</summary>
    public const string UnknownInvitation = "Ce lien d'invitation est inconnu, déjà utilisé ou expiré : demandez-en un nouveau à un administrateur.";

    /// <summary>
    /// Changes an account's role; a role with fewer rights ends its sessions. Refused for the last active administrator
    /// while other accounts are active, and for the administrator acting on their own account.
    /// </summary>
    /// <param name="email">The account's address.</param>
    /// <param name="role">Its new role.</param>
    /// <param name="actor">Who does it, for the operators' audit.</param>
    /// <param name="actingAccountId">The account of whoever does it (a signed-in administrator), or null from the command line.</param>
    /// <param name="cancellationToken">Cancels the database calls.</param>
    public Task<AccountChange> SetRoleAsync(string email, OperatorRole role, Actor actor, int? actingAccountId = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(email, actingAccountId, losesAdministration: account => account.Role == OperatorRole.Administrator && role != OperatorRole.Administrator, account =>
        {
            if (account.Role == role)
            {
                return false;
            }
            Audit(actor, "account.role", account.Email, OperatorRoles.Label(account.Role), OperatorRoles.Label(role));
            // Fewer rights end the sessions at once, before the next request is checked.
            var shrinks = role > account.Role;
            account.Role = role;
            return shrinks;
        }, cancellationToken);

    /// <summary>The ids of the campaigns an account is given, by account id.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<int>>> CampaignsAsync(CancellationToken cancellationToken = default) =>
        (await db.CampaignAssignments.AsNoTracking().Where(a => a.OperatorAccountId != null).Select(a => new { Account = a.OperatorAccountId!.Value, a.CampaignId }).ToListAsync(cancellationToken))
            .GroupBy(a => a.Account).ToDictionary(g => g.Key, g => (IReadOnlyList<int>)[.. g.Select(a => a.CampaignId).Order()]);

    /// <summary>
    /// Gives an account exactly <paramref name="campaigns"/> (an administrator sees every campaign whatever it is given);
    /// taking one away ends its sessions. Refused when a campaign does not exist.
    /// </summary>
    public async Task<AccountChange> SetCampaignsAsync(string email, IReadOnlyCollection<int> campaigns, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        if (await CampaignGrants.ProblemAsync(db, campaigns, cancellationToken) is { } problem)
        {
            return new AccountChange.Refused(problem);
        }
        var id = (await FindAsync(email, cancellationToken))?.Id;
        var current = await db.CampaignAssignments.Where(a => a.OperatorAccountId == id).Select(a => a.CampaignId).ToHashSetAsync(cancellationToken);
        return await ChangeAsync(email, actingAccountId: null, losesAdministration: _ => false, account =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (current.SetEquals(campaigns))
            {
                return false;
            }
            CampaignGrants.Replace(db, a => a.OperatorAccountId == account.Id, current, campaigns, id => new CampaignAssignment { CampaignId = id, OperatorAccountId = account.Id, CreatedAt = now });
            Audit(actor, "account.campaigns", account.Email, CampaignGrants.Describe(current), CampaignGrants.Describe(campaigns));
            return !current.IsSubsetOf(campaigns);
        }, cancellationToken);
    }

    /// <summary>Disables an account: no sign-in, and its sessions end. False when there is no such account or it may not be disabled.</summary>
    public async Task<bool> DisableAsync(string email, CancellationToken cancellationToken = default) =>
        await DisableAsync(email, Actor.Command, actingAccountId: null, cancellationToken) is AccountChange.Done;

    /// <summary>Disables an account: no sign-in, and its sessions end. Guarded as <see cref="SetRoleAsync"/> is.</summary>
    public Task<AccountChange> DisableAsync(string email, Actor actor, int? actingAccountId, CancellationToken cancellationToken = default) =>
        ChangeAsync(email, actingAccountId, losesAdministration: account => account.Role == OperatorRole.Administrator, account =>
        {
            if (account.DisabledAt is null)
            {
                account.DisabledAt = clock.GetUtcNow().UtcDateTime;
                Audit(actor, "account.disable", account.Email, null, null);
            }
            return true;
        }, cancellationToken);

    /// <summary>Enables a disabled account again, unlocked. False when there is no such account.</summary>
    public async Task<bool> EnableAsync(string email, CancellationToken cancellationToken = default) =>
        await EnableAsync(email, Actor.Command, cancellationToken) is AccountChange.Done;

    /// <summary>Enables a disabled account again, unlocked.</summary>
    public Task<AccountChange> EnableAsync(string email, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(email, actingAccountId: null, losesAdministration: _ => false, account =>
        {
            if (account.DisabledAt is not null)
            {
                Audit(actor, "account.enable", account.Email, null, null);
            }
            account.DisabledAt = null;
            account.FailedSignIns = 0;
            account.LockedUntil = null;
            return false;
        }, cancellationToken);

    /// <summary>Removes an account (its sessions end with it). False when there is no such account or it may not be removed.</summary>
    public async Task<bool> RemoveAsync(string email, CancellationToken cancellationToken = default) =>
        await RemoveAsync(email, Actor.Command, actingAccountId: null, cancellationToken) is AccountChange.Done;

    /// <summary>Removes an account and the campaigns it was given (its sessions end with it). Guarded as <see cref="SetRoleAsync"/> is.</summary>
    public Task<AccountChange> RemoveAsync(string email, Actor actor, int? actingAccountId, CancellationToken cancellationToken = default) =>
        ChangeAsync(email, actingAccountId, losesAdministration: account => account.Role == OperatorRole.Administrator, account =>
        {
            db.Operators.Remove(account);
            Audit(actor, "account.remove", account.Email, OperatorRoles.Label(account.Role), null);
            return false;
        }, cancellationToken);

    /// <summary>An account by address (tracked), or null.</summary>
    public Task<OperatorAccount?> FindAsync(string email, CancellationToken cancellationToken = default)
    {
        var address = NormaliseEmail(email ?? "") ?? "";
        return db.Operators.SingleOrDefaultAsync(o => o.Email == address, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to an account (true when its sessions must end) and saves it with its audit
    /// entries, unless it would leave the accounts without an active administrator or lock the acting one out.
    /// </summary>
    private async Task<AccountChange> ChangeAsync(
        string email, int? actingAccountId, Func<OperatorAccount, bool> losesAdministration, Func<OperatorAccount, bool> change, CancellationToken cancellationToken)
    {
        if (await FindAsync(email, cancellationToken) is not { } account)
        {
            return new AccountChange.NotFound(NoSuchAccount(email));
        }
        if (losesAdministration(account) && account.DisabledAt is null)
        {
            if (account.Id == actingAccountId)
            {
                return new AccountChange.Refused("Vous ne pouvez pas retirer vos propres droits d'administrateur (rôle, désactivation, suppression) : demandez-le à un autre administrateur.");
            }
            // The last active administrator stays while anyone else can sign in: nobody could manage their accounts on the web.
            var otherAdministrators = await db.Operators.CountAsync(o => o.Id != account.Id && o.DisabledAt == null && o.Role == OperatorRole.Administrator, cancellationToken);
            if (otherAdministrators == 0 && await db.Operators.AnyAsync(o => o.Id != account.Id && o.DisabledAt == null, cancellationToken))
            {
                return new AccountChange.Refused($"{account.Email} est le dernier administrateur actif : nommez d'abord un autre administrateur.");
            }
        }
        if (change(account))
        {
            account.SecurityStamp = NewStamp();
        }
        await db.SaveChangesAsync(cancellationToken);
        return new AccountChange.Done(account);
    }

    private static string NoSuchAccount(string? email) => $"Aucun compte opérateur « {TextRules.Quote(email ?? "")} ».";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Whether any operator account exists (the demo creates one when none does).</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => db.Operators.AnyAsync(cancellationToken);

    /// <summary>An address as accounts are keyed (trimmed, lower-case), or null when it is not an address.</summary>
    public static string? NormaliseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var trimmed = email.Trim().ToLowerInvariant();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < trimmed.Length - 1 && !trimmed.Any(char.IsWhiteSpace) && trimmed.Length <= FieldLimits.Email
            && TextRules.IndexOfForbidden(trimmed, multiline: false) < 0 ? trimmed : null;
    }

    private static string NewStamp() => InvitationTokens.Create().Token;

    /// <summary>Adds an entry to the operators' audit, saved with the change it records.</summary>
    private void Audit(Actor? actor, string action, string subject, string? oldValue, string? newValue) =>
        db.OperatorAudit.Add(new OperatorAuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime, Actor = (actor ?? Actor.Command).Name, Action = action, Subject = subject, OldValue = oldValue, NewValue = newValue,
        });
}
