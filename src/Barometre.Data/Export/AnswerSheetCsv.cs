using System.Globalization;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;

namespace Barometre.Data.Export;

/// <summary>
/// A collectivité's own answers as a spreadsheet: one row per question in model order, with the level's
/// label, comments and evidence — what a digital lead keeps or circulates internally; as CSV, French-Excel CSV or
/// .xlsx (<see cref="TableWriter"/>, so that no text opens as a formula).
/// </summary>
public static class AnswerSheetCsv
{
    /// <summary>The column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["theme", "question_id", "question", "niveau", "libelle_niveau", "statut", "commentaire", "justificatif_lien", "justificatif_texte", "modifie_le", "modifie_par"];

    /// <summary>Writes the answers (the CSV in UTF-8 with a byte-order mark, so that spreadsheets read the accents).</summary>
    public static void Write(MaturityModel model, IReadOnlyDictionary<string, AnswerState> answers, Stream stream, TableFormat format = TableFormat.Csv)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(answers);
        TableWriter.Write(stream, format, Layout, Columns, Rows());

        IEnumerable<TableCell[]> Rows()
        {
            for (var q = 0; q < model.Questions.Count; q++)
            {
                var question = model.Questions[q];
                var answer = answers.TryGetValue(question.Id, out var given) ? given : AnswerState.Empty(question.Id);
                yield return
                [
                    TableCell.Text(model.Themes[model.ThemeOfQuestion[q]].Title),
                    TableCell.Text(question.Id),
                    TableCell.Text(question.Label),
                    TableCell.Number(answer.Level),
                    TableCell.Text(answer.Level is { } level ? model.Scale.LabelOf(level) : ""),
                    TableCell.Text(AnswerMarks.Code(answer.Mark)),
                    TableCell.Text(answer.Comment),
                    TableCell.Text(answer.EvidenceUrl),
                    TableCell.Text(answer.EvidenceText),
                    TableCell.Text(answer.UpdatedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                    TableCell.Text(answer.UpdatedBy),
                ];
            }
        }
    }

    private static readonly TableLayout Layout = new("reponses");
}
