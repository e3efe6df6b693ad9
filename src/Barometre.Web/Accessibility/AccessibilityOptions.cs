using System.Globalization;

namespace Barometre.Web.Accessibility;

/// <summary>
/// What the operator of the site states about its accessibility (« Barometre:Accessibility »): who is responsible,
/// how to reach them, and the results of its own conformity audit if one was made. The automated checks' figures are
/// not here: they come from <see cref="AccessibilityRecord"/>.
/// </summary>
public sealed class AccessibilityOptions
{
    /// <summary>The body responsible for the site (« La communauté d'agglomération de … »), as the statement's first sentence names it.</summary>
    public string Entity { get; set; } = "L'organisateur de ce baromètre";

    /// <summary>An address to write to about an accessibility problem, or empty.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>A contact form's address (https://…), or empty.</summary>
    public string? ContactUrl { get; set; }

    /// <summary>The conformity audit against the RGAA's criteria, if one was made.</summary>
    public AccessibilityAudit Audit { get; set; } = new();

    /// <summary>Contents exempted for a disproportionate burden, each with its reason and its alternative.</summary>
    public string[] Derogations { get; set; } = [];

    /// <summary>Contents the accessibility obligation does not cover.</summary>
    public string[] NotSubject { get; set; } =
    [
        "Les documents vers lesquels renvoient les justifications des collectivités (liens vers d'autres sites), qui ne sont ni produits ni contrôlés par ce service.",
    ];

    /// <summary>Every problem of the settings, in French.</summary>
    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Entity))
        {
            yield return "Barometre:Accessibility:Entity ne peut pas être vide : c'est l'organisme responsable du service.";
        }
        if (!string.IsNullOrWhiteSpace(ContactUrl) && !(Uri.TryCreate(ContactUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            yield return $"Barometre:Accessibility:ContactUrl doit être une adresse https complète, pas « {Data.TextRules.Quote(ContactUrl)} ».";
        }
        foreach (var problem in Audit.Problems())
        {
            yield return problem;
        }
    }
}

/// <summary>A conformity audit's results (« Barometre:Accessibility:Audit »); none while <see cref="Date"/> is empty.</summary>
public sealed class AccessibilityAudit
{
    /// <summary>When the audit was made (2026-03-15), or empty when none was.</summary>
    public string? Date { get; set; }

    /// <summary>Who made it.</summary>
    public string? Auditor { get; set; }

    /// <summary>The RGAA criteria that apply to the site (at most 106 in RGAA 4.1.2).</summary>
    public int ApplicableCriteria { get; set; }

    /// <summary>The applicable criteria the site respects.</summary>
    public int RespectedCriteria { get; set; }

    /// <summary>The non-conformities the audit found, one sentence each.</summary>
    public string[] NonConformities { get; set; } = [];

    /// <summary>The pages the audit examined.</summary>
    public string[] Pages { get; set; } = [];

    /// <summary>The audit's date, or null when no audit was made.</summary>
    public DateOnly? Day => DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>The share of applicable criteria respected (the RGAA's conformity rate), or null without an audit.</summary>
    public double? Rate => Day is null || ApplicableCriteria == 0 ? null : (double)RespectedCriteria / ApplicableCriteria;

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Date))
        {
            yield break;
        }
        if (Day is null)
        {
            yield return $"Barometre:Accessibility:Audit:Date doit être une date AAAA-MM-JJ, pas « {Data.TextRules.Quote(Date)} ».";
        }
        if (ApplicableCriteria is < 1 or > 106 || RespectedCriteria < 0 || RespectedCriteria > ApplicableCriteria)
        {
            yield return $"Barometre:Accessibility:Audit : {RespectedCriteria} critères respectés sur {ApplicableCriteria} applicables ; "
                + "attendu de 1 à 106 critères applicables (RGAA 4.1.2), dont au plus autant de respectés.";
        }
    }
}

/// <summary>The conformity status the RGAA lets a site claim.</summary>
public enum ConformityStatus
{
    /// <summary>« Non conforme »: no valid audit, or fewer than half of the applicable criteria respected.</summary>
    None,

    /// <summary>« Partiellement conforme »: at least half of the applicable criteria respected.</summary>
    Partial,

    /// <summary>« Totalement conforme »: every applicable criterion respected.</summary>
    Total,
}

/// <summary>The RGAA's rule for the status a site states, from its audit: automated checks alone never decide it.</summary>
public static class Conformity
{
    /// <summary>
    /// « Totalement conforme » when the audit found every applicable criterion respected, « partiellement » when at least
    /// half, « non conforme » otherwise — and without an audit, whatever automated tests found: the RGAA counts a site
    /// without valid audit results as not conformant.
    /// </summary>
    public static ConformityStatus Of(AccessibilityAudit audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.Rate switch
        {
            null => ConformityStatus.None,
            >= 1 => ConformityStatus.Total,
            >= 0.5 => ConformityStatus.Partial,
            _ => ConformityStatus.None,
        };
    }

    /// <summary>« non conforme », « partiellement conforme », « totalement conforme ».</summary>
    public static string Label(ConformityStatus status) => status switch
    {
        ConformityStatus.Total => "totalement conforme",
        ConformityStatus.Partial => "partiellement conforme",
        _ => "non conforme",
    };
}
