namespace Barometre.Data.Campaigns;

/// <summary>
/// Whom the collectivités of a campaign ask about it — a question, a deadline, a correction after submitting: a name (a
/// person or a service) and an e-mail address, either of them optional. The questionnaire's home shows it.
/// </summary>
/// <param name="Name">The person or service, trimmed, or null.</param>
/// <param name="Email">The address, trimmed, or null.</param>
public sealed record CampaignContact(string? Name, string? Email)
{
    /// <summary>Why a campaign's contact cannot be stored, in French; null when it can (nothing given included).</summary>
    /// <param name="name">The person or service, as typed.</param>
    /// <param name="email">The address, as typed.</param>
    public static string? Problem(string? name, string? email)
    {
        if (TextRules.Problem(name?.Trim(), "Le nom du contact", FieldLimits.Name, multiline: false) is { } nameProblem)
        {
            return nameProblem;
        }
        var address = email?.Trim();
        return string.IsNullOrEmpty(address) || OperatorAccounts.NormaliseEmail(address) is not null ? null
            : $"L'adresse du contact « {TextRules.Quote(address)} » n'est pas une adresse électronique.";
    }

    /// <summary>The contact as typed, trimmed; null when neither a name nor an address is given.</summary>
    /// <exception cref="ArgumentException">The name or the address cannot be stored (<see cref="Problem"/>).</exception>
    public static CampaignContact? Of(string? name, string? email)
    {
        if (Problem(name, email) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
        var contact = new CampaignContact(NullIfEmpty(name), NullIfEmpty(email));
        return contact.Name is null && contact.Email is null ? null : contact;
    }

    /// <summary>« Mission numérique (numerique@exemple.fr) », the name alone or the address alone.</summary>
    public override string ToString() => (Name, Email) switch
    {
        ({ } name, { } email) => $"{name} ({email})",
        _ => Name ?? Email ?? "",
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
