using System.Globalization;
using System.Text;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Barometre.Data.Mail;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Web.Pages.Admin.FollowUp;

/// <summary>
/// The follow-up as CSV, one row per collectivité: where it is and its last message (kind, status, time in UTC ISO 8601,
/// the server's reply), UTF-8 with a BOM, texts written as <see cref="CsvCells"/> says.
/// </summary>
public static class FollowUpCsv
{
    private static readonly string[] Headers =
        ["code", "nom", "email", "statut", "repondues", "questions", "adresse_en_echec", "dernier_courriel", "etat_courriel", "date_courriel", "reponse_serveur"];

    public static byte[] Write(IReadOnlyList<ParticipantProgress> rows, IReadOnlyDictionary<int, ParticipantDelivery> deliveries)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(deliveries);
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" }))
        {
            foreach (var header in Headers)
            {
                csv.WriteField(header);
            }
            csv.NextRecord();
            foreach (var row in rows)
            {
                var participant = row.Participant;
                var delivery = deliveries.GetValueOrDefault(participant.Id);
                csv.WriteText(participant.Code);
                csv.WriteText(participant.Name);
                csv.WriteText(participant.Email);
                csv.WriteText(Labels.Status(row.Status));
                csv.WriteField(row.Answered);
                csv.WriteField(row.Questions);
                csv.WriteText(participant.EmailBouncedAt is { } bounced ? bounced.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null);
                csv.WriteText(delivery is null ? null : DeliveryLabels.Kind(delivery.Kind, delivery.Sequence));
                csv.WriteText(delivery is null ? null : DeliveryLabels.Status(delivery.Status));
                csv.WriteText(delivery?.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                csv.WriteText(delivery?.Reply);
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }
}
