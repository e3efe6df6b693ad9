using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>What an operator's page, form or API call needs, checked by <see cref="OperatorPrincipal.May"/>.</summary>
public enum OperatorRight
{
    /// <summary>Accounts, API keys and the creation of campaigns: administrators only.</summary>
    Administer,

    /// <summary>
    /// Runs one campaign: panel, links, mail, follow-up, a collectivité's answers and their review, closing,
    /// publication, the audit trail and every download holding individual answers or scores.
    /// </summary>
    RunCampaign,

    /// <summary>The aggregated results of one campaign (the results page, the study): never an individual answer.</summary>
    ReadResults,
}

/// <summary>
/// Who acts, as the access rules see them: an operator account or an API key, with its role and the campaigns
/// it is given. The one home of the access rules: the pages, the API and the tests ask <see cref="May"/>.
/// </summary>
/// <param name="Role">The account's or key's role.</param>
/// <param name="Campaigns">The ids of the campaigns it is given (ignored for an administrator, who sees every campaign).</param>
public sealed record OperatorPrincipal(OperatorRole Role, IReadOnlySet<int> Campaigns)
{
    /// <summary>
    /// Whether the principal may do <paramref name="right"/> on campaign <paramref name="campaignId"/> (null for
    /// what concerns no campaign). A campaign that is not given is refused whether or not it exists: only
    /// administrators, who see them all, learn that an id is unknown (a 404).
    /// </summary>
    public bool May(OperatorRight right, int? campaignId = null) => Refusal(right, campaignId) is null;

    /// <summary>Why <see cref="May"/> refuses, in French, or null when it allows.</summary>
    public string? Refusal(OperatorRight right, int? campaignId = null)
    {
        if (Role == OperatorRole.Administrator)
        {
            return null;
        }
        if (right == OperatorRight.Administer)
        {
            return "Cette page est réservée aux administrateurs : comptes des opérateurs, clés d'API et création des campagnes.";
        }
        if (campaignId is { } id && !Campaigns.Contains(id))
        {
            return "Cette campagne ne vous est pas confiée : demandez à un administrateur de vous la confier.";
        }
        return right == OperatorRight.RunCampaign && Role != OperatorRole.CampaignManager
            ? "Votre rôle d'analyste ouvre les résultats agrégés des campagnes qui vous sont confiées et leurs exports, "
                + "jamais une réponse, un commentaire, une preuve, un contributeur ni le suivi d'une collectivité : "
                + "cette page est réservée aux gestionnaires de la campagne et aux administrateurs."
            : null;
    }

    /// <summary>Whether the principal sees campaign <paramref name="campaignId"/> at all (in the list of campaigns).</summary>
    public bool Sees(int campaignId) => May(OperatorRight.ReadResults, campaignId);

    /// <summary>The principal of an operator account, or null when there is no such active account.</summary>
    public static Task<OperatorPrincipal?> ForAccountAsync(BarometreDbContext db, int accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return OfAsync(
            db.Operators.AsNoTracking().Where(o => o.Id == accountId && o.DisabledAt == null).Select(o => (OperatorRole?)o.Role),
            db.CampaignAssignments.AsNoTracking().Where(a => a.OperatorAccountId == accountId), cancellationToken);
    }

    /// <summary>The principal of an API key, or null when there is no such active key.</summary>
    public static Task<OperatorPrincipal?> ForApiKeyAsync(BarometreDbContext db, int keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return OfAsync(
            db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId && k.RevokedAt == null).Select(k => (OperatorRole?)k.Role),
            db.CampaignAssignments.AsNoTracking().Where(a => a.ApiKeyId == keyId), cancellationToken);
    }

    /// <summary>The principal of the active holder <paramref name="role"/> finds (none: null), with the campaigns it is given.</summary>
    private static async Task<OperatorPrincipal?> OfAsync(IQueryable<OperatorRole?> role, IQueryable<CampaignAssignment> assignments, CancellationToken cancellationToken) =>
        await role.SingleOrDefaultAsync(cancellationToken) is { } known
            ? new OperatorPrincipal(known, await assignments.Select(a => a.CampaignId).ToHashSetAsync(cancellationToken))
            : null;
}

/// <summary>The roles' names in French: as pages show them, and as the command line takes them (<c>--role</c>).</summary>
public static class OperatorRoles
{
    /// <summary>The role's label (« administrateur », « gestionnaire de campagne », « analyste »).</summary>
    public static string Label(OperatorRole role) => role switch
    {
        OperatorRole.Administrator => "administrateur",
        OperatorRole.CampaignManager => "gestionnaire de campagne",
        OperatorRole.Analyst => "analyste",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>The role's one-word name (« administrateur », « gestionnaire », « analyste »): the command line's and the forms' value.</summary>
    public static string Name(OperatorRole role) => role switch
    {
        OperatorRole.CampaignManager => "gestionnaire",
        _ => Label(role),
    };

    /// <summary>Every role, the most powerful first.</summary>
    public static IReadOnlyList<OperatorRole> All { get; } = [OperatorRole.Administrator, OperatorRole.CampaignManager, OperatorRole.Analyst];

    /// <summary>The role a name (<see cref="Name"/>, any case) stands for, or null.</summary>
    public static OperatorRole? Parse(string? name) =>
        All.Cast<OperatorRole?>().FirstOrDefault(role => string.Equals(Name(role!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Why a name is not a role, in French.</summary>
    public static string Unknown(string? name) =>
        $"« {TextRules.Quote(name ?? "")} » n'est pas un rôle : {string.Join(", ", All.Select(Name))}.";
}
