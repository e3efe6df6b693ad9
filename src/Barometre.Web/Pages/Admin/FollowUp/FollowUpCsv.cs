using System.Globalization;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Barometre.Data.Mail;

namespace Barometre.Web.Pages.Admin.FollowUp;

/// <summary>
/// The follow-up as a table, one row per collectivité: where it is, its last message (kind, status, time in UTC ISO
/// 8601, the server's reply) and how many doubts about its evidence await its reply, have one, or were lifted, in any
/// <see cref="TableFormat"/> (the CSV: UTF-8 with a BOM, CRLF).
/// </summary>
public static class FollowUpCsv
{
    private static readonly string[] Headers =
        ["code", "nom", "email", "statut", "repondues", "questions", "adresse_en_echec", "dernier_courriel", "etat_courriel", "date_courriel", "reponse_serveur",
        "doutes_en_attente", "doutes_reponse_recue", "doutes_leves"];

    public static void Write(Stream stream, IReadOnlyList<ParticipantProgress> rows, IReadOnlyDictionary<int, ParticipantDelivery> deliveries, TableFormat format = TableFormat.Csv)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(deliveries);
        TableWriter.Write(stream, format, new TableLayout("Suivi", CsvByteOrderMark: true, CsvNewLine: "\r\n"), Headers, rows.Select(row =>
        {
            var participant = row.Participant;
            var delivery = deliveries.GetValueOrDefault(participant.Id);
            return (IReadOnlyList<TableCell>)
            [
                TableCell.Text(participant.Code),
                TableCell.Text(participant.Name),
                TableCell.Text(participant.Email),
                TableCell.Text(Labels.Status(row.Status)),
                TableCell.Number(row.Answered),
                TableCell.Number(row.Questions),
                TableCell.Text(participant.EmailBouncedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                TableCell.Text(delivery is null ? null : DeliveryLabels.Kind(delivery.Kind, delivery.Sequence)),
                TableCell.Text(delivery is null ? null : DeliveryLabels.Status(delivery.Status)),
                TableCell.Text(delivery?.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                TableCell.Text(delivery?.Reply),
                TableCell.Number(row.Doubts.AwaitingReply),
                TableCell.Number(row.Doubts.Replied),
                TableCell.Number(row.Doubts.Lifted),
            ];
        }));
    }
}
