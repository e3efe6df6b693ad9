namespace Barometre.Data.Campaigns;

/// <summary>
/// A person as the identity provider (ProConnect, or another OpenID Connect provider) vouches for them, once its
/// signed ID token and its userinfo have been checked.
/// </summary>
/// <param name="Issuer">The provider's issuer (<c>iss</c> of the ID token).</param>
/// <param name="Subject">The provider's stable identifier of the person (<c>sub</c>); ProConnect gives one per identity provider behind it.</param>
/// <param name="Email">The e-mail address the provider gives, or null.</param>
/// <param name="EmailVerified">The provider's <c>email_verified</c>, or null when it does not say (ProConnect does not).</param>
/// <param name="GivenName">The given name (<c>given_name</c>), or null.</param>
/// <param name="FamilyName">The family name (<c>usual_name</c> at ProConnect, <c>family_name</c> elsewhere), or null.</param>
public sealed record ExternalIdentity(string Issuer, string Subject, string? Email, bool? EmailVerified, string? GivenName, string? FamilyName);

/// <summary>Who may sign in through the identity provider, and what a first sign-in does.</summary>
/// <param name="AllowedDomains">
/// The e-mail domains allowed (« exemple.fr » allows « agent@exemple.fr », not « agent@service.exemple.fr »); « * »
/// allows every domain; an empty list lets nobody in.
/// </param>
/// <param name="CreateAccounts">Whether a person without an account gets one at their first sign-in.</param>
/// <param name="NewAccountRole">The role of the accounts so created.</param>
public sealed record ExternalSignInPolicy(IReadOnlyCollection<string> AllowedDomains, bool CreateAccounts, OperatorRole NewAccountRole)
{
    /// <summary>Whether <paramref name="email"/> (normalised, <see cref="OperatorAccounts.NormaliseEmail"/>) is in an allowed domain.</summary>
    public bool AllowsDomain(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var domain = email[(email.LastIndexOf('@') + 1)..];
        return AllowedDomains.Any(allowed => allowed.Trim() == "*" || string.Equals(allowed.Trim(), domain, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The result of a sign-in through the identity provider.</summary>
public abstract record ExternalSignInOutcome
{
    /// <summary>Signed in as <paramref name="Account"/>, found, linked or created as <paramref name="How"/> says.</summary>
    public sealed record Success(OperatorAccount Account, ExternalSignInKind How) : ExternalSignInOutcome;

    /// <summary>Refused; <paramref name="AccountId"/> is the account concerned, when there is one.</summary>
    public sealed record Refused(ExternalSignInRefusal Reason, int? AccountId = null) : ExternalSignInOutcome;
}

/// <summary>How a sign-in through the identity provider found its account.</summary>
public enum ExternalSignInKind
{
    /// <summary>The account was already linked to this issuer and subject.</summary>
    Linked,

    /// <summary>An account with the provider's e-mail address, linked now (a previous link, if any, is replaced).</summary>
    LinkedByEmail,

    /// <summary>A new account, created with the policy's role.</summary>
    Created,
}

/// <summary>Why a sign-in through the identity provider was refused (the page tells the person which).</summary>
public enum ExternalSignInRefusal
{
    /// <summary>The provider gave no usable e-mail address, or a subject that cannot be stored.</summary>
    NoEmail,

    /// <summary>The provider said the address is not verified (<c>email_verified</c> false): it neither links nor creates an account.</summary>
    EmailNotVerified,

    /// <summary>The address is not in an allowed domain.</summary>
    DomainNotAllowed,

    /// <summary>The account is disabled.</summary>
    Disabled,

    /// <summary>No account matches, and accounts are not created at first sign-in.</summary>
    NoAccount,
}
