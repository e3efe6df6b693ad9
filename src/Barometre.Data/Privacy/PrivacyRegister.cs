using System.Globalization;
using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Privacy;

/// <summary>One field of the register entry: the CNIL's heading and what it says.</summary>
/// <param name="Heading">« Finalités », « Base légale »…</param>
/// <param name="Content">The field's text.</param>
public sealed record RegisterField(string Heading, string Content);

/// <summary>
/// The processing's entry in the controller's register of processing activities (article 30 of the GDPR), with the
/// CNIL's fields: built from the configuration (<see cref="PrivacyOptions"/>), what <see cref="PersonalData"/> says is
/// kept, and each campaign's retention period. The operators download it from the « Registre » page or with
/// <c>barometre privacy register</c>.
/// </summary>
public sealed class PrivacyRegister(BarometreDbContext db, TimeProvider clock)
{
    private static readonly string[] Header = ["rubrique", "contenu"];

    /// <summary>The entry's fields, in the CNIL's order.</summary>
    public async Task<IReadOnlyList<RegisterField>> EntryAsync(PrivacyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        // The entry changes when a campaign is created, its retention period changed, or its data erased.
        string[] changes = ["campaign.create", PersonalDataPurge.RetentionAuditAction, PersonalDataPurge.AuditAction];
        var lastChange = await db.AuditEntries.AsNoTracking().Where(a => changes.Contains(a.Action)).MaxAsync(a => (DateTime?)a.At, cancellationToken);
        var created = options.RegisterCreatedOn
            ?? (campaigns.Count > 0 ? DateOnly.FromDateTime(ParisTime.FromUtc(campaigns.Min(c => c.CreatedAt))) : ParisTime.Today(clock));
        var updated = lastChange is { } at ? DateOnly.FromDateTime(ParisTime.FromUtc(at)) : created;
        var fields = new List<RegisterField>
        {
            new("Nom du traitement", options.ProcessingName),
            new("Responsable du traitement", Join(options.Controller ?? Missing("Controller"), options.ControllerAddress, options.ControllerContact ?? Missing("ControllerContact"))),
            new("Délégué à la protection des données", Join(options.DpoName ?? Missing("DpoName"), options.DpoContact ?? Missing("DpoContact"))),
            new("Finalités", options.Purpose),
            new("Base légale", options.LegalBasis),
            new("Catégories de personnes concernées", Sentence(PersonalData.People)),
            new("Catégories de données", Sentence(PersonalData.Categories)),
            new("Destinataires", options.Recipients),
            new("Transferts hors de l'Union européenne", options.Transfers),
            new("Durées de conservation", $"Données des contributeurs et des collectivités : la durée choisie pour chaque campagne, "
                + $"{PersonalData.RetentionText(PersonalData.DefaultRetentionMonths)} par défaut, puis effacement automatique (résultats et réponses agrégées conservés) ; "
                + "comptes des opérateurs : jusqu'à leur suppression."),
        };
        fields.AddRange(campaigns.Select(c => new RegisterField("Durées de conservation", $"{c.Name} (campagne n°\u00a0{c.Id.ToString(CultureInfo.InvariantCulture)}) : {Retention(c)}")));
        fields.Add(new("Mesures de sécurité", options.SecurityMeasures));
        fields.Add(new("Date de création", FrenchFormat.Date(created)));
        fields.Add(new("Date de mise à jour", FrenchFormat.Date(updated < created ? created : updated)));
        return fields;
    }

    /// <summary>Writes the entry as a two-column table (rubrique, contenu) in any <see cref="TableFormat"/>.</summary>
    public static void Write(Stream stream, TableFormat format, IReadOnlyList<RegisterField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        TableWriter.Write(stream, format, new TableLayout("Registre", CsvByteOrderMark: true, CsvNewLine: "\r\n"), Header,
            fields.Select(field => (IReadOnlyList<TableCell>)[TableCell.Text(field.Heading), TableCell.Text(field.Content)]));
    }

    /// <summary>A campaign's period and where it stands: erased, due on a date, or starting at its closing.</summary>
    private static string Retention(Campaign campaign) =>
        PersonalData.RetentionText(campaign.RetentionMonths)
        + (campaign.PersonalDataErasedAt is { } erased ? $" ; données personnelles effacées le {ParisTime.Date(erased)}"
            : PersonalData.ErasureDueAt(campaign) is { } due ? $" ; effacement prévu le {ParisTime.Date(due)}"
            : " ; campagne en cours");

    private static string Missing(string setting) => $"à renseigner ({PrivacyOptions.Section}:{setting})";

    private static string Join(params string?[] parts) => string.Join(" ; ", parts.Where(part => !string.IsNullOrWhiteSpace(part)).Select(part => part!.Trim()));

    private static string Sentence(IEnumerable<string> items) => string.Join(" ; ", items) + ".";
}
