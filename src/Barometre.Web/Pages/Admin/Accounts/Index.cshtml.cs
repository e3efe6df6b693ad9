using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Accounts;

/// <summary>
/// The administrators' page of the operator accounts: invite one (role, names, campaigns; the one-time link is sent by
/// e-mail when SMTP is configured, else shown once here), change an account's role and campaigns, disable, enable,
/// send a new link, remove. The rules (last administrator, one's own rights, sessions ended) are <see cref="OperatorAccounts"/>'.
/// Also the keys of the operators' API, as <c>barometre apikey</c> manages them: create one (name, role, campaigns; its
/// secret shown once), revoke one.
/// </summary>
[OperatorAccess(OperatorRight.Administer)]
public sealed class AccountsModel(OperatorAccounts accounts, ApiKeys keys, CampaignQueries queries, WebOptions options, TimeProvider clock) : AdminPage
{
    public IReadOnlyList<OperatorAccount> Accounts { get; private set; } = [];

    /// <summary>The campaigns given to each account, by account id.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>> Grants { get; private set; } = new Dictionary<int, IReadOnlyList<int>>();

    /// <summary>Every campaign, to give.</summary>
    public IReadOnlyList<Campaign> Campaigns { get; private set; } = [];

    /// <summary>The account whose rights the page edits (<c>?compte=</c>), or null.</summary>
    [BindProperty(SupportsGet = true, Name = "compte")]
    public int? Selected { get; set; }

    public OperatorAccount? Editing => Accounts.FirstOrDefault(a => a.Id == Selected);

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? GivenName { get; set; }

    [BindProperty]
    public string? FamilyName { get; set; }

    /// <summary>The role chosen (<see cref="OperatorRoles.Name"/>); no default: the administrator chooses.</summary>
    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public List<int> CampaignIds { get; set; } = [];

    /// <summary>The API keys, the newest first.</summary>
    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    /// <summary>The campaigns given to each key, by key id.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>> KeyGrants { get; private set; } = new Dictionary<int, IReadOnlyList<int>>();

    /// <summary>The name of the key to create.</summary>
    [BindProperty]
    public string? KeyName { get; set; }

    /// <summary>The secret of the key just created, shown once, or null.</summary>
    public string? Secret { get; private set; }

    /// <summary>Whether the key form was posted (its role and campaigns are then shown in it, not in the invitation's).</summary>
    public bool KeyFormPosted { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The link of an invitation to show once (no mail server, or the mail failed), or null.</summary>
    public Uri? Link { get; private set; }

    /// <summary>Whom the link was sent to by e-mail, or null.</summary>
    public string? SentTo { get; private set; }

    /// <summary>The signed-in administrator's own account id (their own rights cannot be lowered here).</summary>
    public int? Self => OperatorSessions.AccountId(User);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Invites an operator.</summary>
    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        if (OperatorRoles.Parse(Role) is not { } role)
        {
            return await RefuseAsync(string.IsNullOrWhiteSpace(Role) ? "Choisissez le rôle du compte." : OperatorRoles.Unknown(Role), cancellationToken);
        }
        switch (await accounts.InviteAsync(new AccountInvitation(Email ?? "", role, GivenName, FamilyName, CampaignIds), Operator, cancellationToken))
        {
            case InvitationOutcome.Invited invited:
                await DeliverAsync(invited, cancellationToken);
                Email = GivenName = FamilyName = Role = null;
                CampaignIds = [];
                await LoadAsync(cancellationToken);
                return Page();
            case InvitationOutcome.Refused refused:
                return await RefuseAsync(refused.Reason, cancellationToken);
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>Creates an API key; its secret is shown once, only its hash is kept.</summary>
    public async Task<IActionResult> OnPostKeyAsync(CancellationToken cancellationToken)
    {
        KeyFormPosted = true;
        if (OperatorRoles.Parse(Role) is not { } role)
        {
            return await RefuseAsync(string.IsNullOrWhiteSpace(Role) ? "Choisissez le rôle de la clé." : OperatorRoles.Unknown(Role), cancellationToken);
        }
        switch (await keys.AddAsync(KeyName ?? "", role, CampaignIds, Operator, cancellationToken))
        {
            case ApiKeyOutcome.Created created:
                // Shown by this response only: never through a redirect, whose message would travel in a cookie.
                Secret = created.Secret;
                KeyName = Role = null;
                CampaignIds = [];
                await LoadAsync(cancellationToken);
                return Page();
            case ApiKeyOutcome.Refused refused:
                return await RefuseAsync(refused.Reason, cancellationToken);
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>Revokes an API key: it opens nothing any more.</summary>
    public async Task<IActionResult> OnPostRevokeKeyAsync(int keyId, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(keyId, Operator, cancellationToken))
        {
            return NotFound();
        }
        Flash($"Clé n° {keyId} révoquée.");
        return Redirect("/admin/comptes#cles");
    }

    /// <summary>Sets an account's role and campaigns (fewer rights end its sessions).</summary>
    public async Task<IActionResult> OnPostRightsAsync(int accountId, CancellationToken cancellationToken)
    {
        if (await EmailOfAsync(accountId, cancellationToken) is not { } email)
        {
            return NotFound();
        }
        if (OperatorRoles.Parse(Role) is not { } role)
        {
            return await RefuseAsync(OperatorRoles.Unknown(Role), cancellationToken);
        }
        if (await accounts.SetRoleAsync(email, role, Operator, Self, cancellationToken) is AccountChange.Refused refused)
        {
            return await RefuseAsync(refused.Reason, cancellationToken);
        }
        if (await accounts.SetCampaignsAsync(email, CampaignIds, Operator, cancellationToken) is AccountChange.Refused unknown)
        {
            return await RefuseAsync(unknown.Reason, cancellationToken);
        }
        Flash($"Droits de {email} enregistrés : {OperatorRoles.Label(role)}.");
        return Redirect($"/admin/comptes?compte={accountId}");
    }

    /// <summary>Disables an account: no sign-in, its sessions end.</summary>
    public Task<IActionResult> OnPostDisableAsync(int accountId, CancellationToken cancellationToken) =>
        ChangeAsync(accountId, email => accounts.DisableAsync(email, Operator, Self, cancellationToken), "désactivé : ses sessions sont fermées", cancellationToken);

    /// <summary>Enables a disabled account.</summary>
    public Task<IActionResult> OnPostEnableAsync(int accountId, CancellationToken cancellationToken) =>
        ChangeAsync(accountId, email => accounts.EnableAsync(email, Operator, cancellationToken), "réactivé", cancellationToken);

    /// <summary>Removes an account.</summary>
    public Task<IActionResult> OnPostRemoveAsync(int accountId, CancellationToken cancellationToken) =>
        ChangeAsync(accountId, email => accounts.RemoveAsync(email, Operator, Self, cancellationToken), "supprimé", cancellationToken);

    /// <summary>A new one-time link for an account (lost, expired, or a forgotten password).</summary>
    public async Task<IActionResult> OnPostLinkAsync(int accountId, CancellationToken cancellationToken)
    {
        if (await EmailOfAsync(accountId, cancellationToken) is not { } email)
        {
            return NotFound();
        }
        if (await accounts.RenewInvitationAsync(email, Operator, cancellationToken) is InvitationOutcome.Invited invited)
        {
            await DeliverAsync(invited, cancellationToken);
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<IActionResult> ChangeAsync(int accountId, Func<string, Task<AccountChange>> change, string done, CancellationToken cancellationToken)
    {
        if (await EmailOfAsync(accountId, cancellationToken) is not { } email)
        {
            return NotFound();
        }
        switch (await change(email))
        {
            case AccountChange.Refused refused:
                return await RefuseAsync(refused.Reason, cancellationToken);
            case AccountChange.NotFound:
                return NotFound();
            default:
                Flash($"Compte {email} {done}.");
                return Redirect("/admin/comptes");
        }
    }

    /// <summary>Sends the link by e-mail when a mail server is configured; otherwise, or when it fails, shows it once.</summary>
    private async Task DeliverAsync(InvitationOutcome.Invited invited, CancellationToken cancellationToken)
    {
        var link = new Uri(SiteRoot, $"admin/invitation/{invited.Token}");
        if (options.Smtp.IsConfigured)
        {
            try
            {
                await using var transport = new SmtpMailTransport(options.Smtp);
                var reply = await OperatorInvitationMail.SendAsync(transport, options.Smtp, invited.Account, link, clock.GetUtcNow(), cancellationToken);
                if (reply.Accepted)
                {
                    SentTo = invited.Account.Email;
                    return;
                }
                Error = $"Le serveur de courriel a refusé le message ({reply.Reply}) : transmettez vous-même le lien ci-dessous.";
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.Security.AuthenticationException or TimeoutException)
            {
                Error = $"Le serveur de courriel est injoignable ({e.Message}) : transmettez vous-même le lien ci-dessous.";
            }
        }
        Link = link;
    }

    private async Task<string?> EmailOfAsync(int accountId, CancellationToken cancellationToken) =>
        (await accounts.ListAsync(cancellationToken)).FirstOrDefault(a => a.Id == accountId)?.Email;

    private async Task<IActionResult> RefuseAsync(string reason, CancellationToken cancellationToken)
    {
        Error = reason;
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        ViewData["Context"] = "Espace opérateur";
        Accounts = await accounts.ListAsync(cancellationToken);
        Grants = await accounts.CampaignsAsync(cancellationToken);
        Keys = await keys.ListAsync(cancellationToken);
        KeyGrants = await keys.CampaignsAsync(cancellationToken);
        Campaigns = await queries.ListAsync(cancellationToken);
    }
}
