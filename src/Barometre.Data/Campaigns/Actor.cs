namespace Barometre.Data.Campaigns;

/// <summary>Who makes a change, as the audit trail names them.</summary>
/// <param name="Name">The audit trail's text.</param>
/// <param name="IsOperator">Whether an operator (rather than a collectivité's link) acts.</param>
public sealed record Actor(string Name, bool IsOperator)
{
    /// <summary>An operator, by e-mail.</summary>
    public static Actor Operator(string email) => new($"opérateur {email}", true);

    /// <summary>A collectivité's link, with the contributor's name when known.</summary>
    public static Actor Link(string code, string? contributor) =>
        new(string.IsNullOrWhiteSpace(contributor) ? $"lien {code}" : $"lien {code} ({contributor})", false);

    /// <summary>A command run on the server (import, scripted operation) without a named operator.</summary>
    public static Actor Command { get; } = new("commande barometre", true);

    /// <summary>The server sending the reminders of a campaign's schedule by itself.</summary>
    public static Actor Reminders { get; } = new("relances automatiques", true);

    /// <summary>The delivery reports read from the bounce mailbox.</summary>
    public static Actor Bounces { get; } = new("retours de courriels", true);

    /// <summary>The server erasing the personal data of campaigns whose retention period is over, by itself.</summary>
    public static Actor Retention { get; } = new("effacement automatique (durée de conservation)", true);
}
