using System.Globalization;
using System.Linq.Expressions;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>An operator to invite: the account is created without a password, which the operator chooses with the link.</summary>
/// <param name="Email">The address (the sign-in name).</param>
/// <param name="Role">The account's role.</param>
/// <param name="GivenName">The given name, or null.</param>
/// <param name="FamilyName">The family name, or null.</param>
/// <param name="Campaigns">The ids of the campaigns given to the account.</param>
public sealed record AccountInvitation(string Email, OperatorRole Role, string? GivenName, string? FamilyName, IReadOnlyCollection<int> Campaigns);

/// <summary>The result of an invitation (<see cref="OperatorAccounts.InviteAsync"/>, <see cref="OperatorAccounts.RenewInvitationAsync"/>).</summary>
public abstract record InvitationOutcome
{
    /// <summary>Invited: <paramref name="Token"/> goes in the link (<c>/admin/invitation/{token}</c>), shown or sent once.</summary>
    public sealed record Invited(OperatorAccount Account, string Token) : InvitationOutcome;

    /// <summary>Refused, with the reason in French; nothing was written.</summary>
    public sealed record Refused(string Reason) : InvitationOutcome;
}

/// <summary>The result of choosing a password with an invitation's link.</summary>
public abstract record InvitationAcceptance
{
    /// <summary>The password is set; the account signs in with it.</summary>
    public sealed record Accepted(OperatorAccount Account) : InvitationAcceptance;

    /// <summary>Refused, with the reason in French; nothing was written.</summary>
    public sealed record Refused(string Reason) : InvitationAcceptance;
}

/// <summary>The result of a change to an operator account (role, campaigns, disabling, removal).</summary>
public abstract record AccountChange
{
    /// <summary>Done (or nothing to do), saved with its audit entry.</summary>
    public sealed record Done(OperatorAccount Account) : AccountChange;

    /// <summary>There is no such account; the message says so in French.</summary>
    public sealed record NotFound(string Reason) : AccountChange;

    /// <summary>Refused by a rule (the last administrator, one's own rights, an unknown campaign), in French; nothing was written.</summary>
    public sealed record Refused(string Reason) : AccountChange;
}

/// <summary>The campaigns given to an account or a key: checked, replaced and described the same way for both.</summary>
internal static class CampaignGrants
{
    /// <summary>Why these campaign ids cannot be given (one does not exist), in French; null when they can.</summary>
    public static async Task<string?> ProblemAsync(BarometreDbContext db, IReadOnlyCollection<int> campaigns, CancellationToken cancellationToken)
    {
        var ids = campaigns.Distinct().ToList();
        var known = await db.Campaigns.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        var unknown = ids.Except(known).Order().ToList();
        return unknown.Count == 0 ? null
            : unknown.Count == 1 ? $"La campagne n° {unknown[0].ToString(CultureInfo.InvariantCulture)} n'existe pas."
            : $"Les campagnes n° {Describe(unknown)} n'existent pas.";
    }

    /// <summary>Adds the assignments of <paramref name="wanted"/> missing from <paramref name="current"/> and removes the others (saved by the caller).</summary>
    public static void Replace(
        BarometreDbContext db, Expression<Func<CampaignAssignment, bool>> holder, IReadOnlySet<int> current, IReadOnlyCollection<int> wanted, Func<int, CampaignAssignment> create)
    {
        var keep = wanted.ToHashSet();
        var gone = current.Where(id => !keep.Contains(id)).ToList();
        if (gone.Count > 0)
        {
            db.CampaignAssignments.RemoveRange(db.CampaignAssignments.Where(holder).Where(a => gone.Contains(a.CampaignId)));
        }
        db.CampaignAssignments.AddRange(keep.Where(id => !current.Contains(id)).Order().Select(create));
    }

    /// <summary>« 3, 5, 8 » or « aucune ».</summary>
    public static string Describe(IEnumerable<int> campaigns)
    {
        var ids = campaigns.Order().Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        return ids.Count == 0 ? "aucune" : string.Join(", ", ids);
    }
}
