using System.Globalization;
using System.Text;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Data.Export;

/// <summary>
/// A collectivité's own answers as a spreadsheet: one row per question in model order, with the level's
/// label, comments and evidence — what a digital lead keeps or circulates internally. Texts are written as
/// <see cref="CsvCells"/> says, so that none opens as a formula.
/// </summary>
public static class AnswerSheetCsv
{
    /// <summary>The column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["theme", "question_id", "question", "niveau", "libelle_niveau", "statut", "commentaire", "justificatif_lien", "justificatif_texte", "modifie_le", "modifie_par"];

    /// <summary>Writes the answers (UTF-8 with a byte-order mark, so that spreadsheets read the accents).</summary>
    public static void Write(MaturityModel model, IReadOnlyDictionary<string, AnswerState> answers, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(answers);
        using var text = new StreamWriter(stream, new UTF8Encoding(true), leaveOpen: true);
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }
        csv.NextRecord();
        for (var q = 0; q < model.Questions.Count; q++)
        {
            var question = model.Questions[q];
            var answer = answers.TryGetValue(question.Id, out var given) ? given : AnswerState.Empty(question.Id);
            csv.WriteText(model.Themes[model.ThemeOfQuestion[q]].Title);
            csv.WriteText(question.Id);
            csv.WriteText(question.Label);
            csv.WriteField(answer.Level?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteText(answer.Level is { } level ? model.Scale.LabelOf(level) : "");
            csv.WriteText(AnswerMarks.Code(answer.Mark));
            csv.WriteText(answer.Comment);
            csv.WriteText(answer.EvidenceUrl);
            csv.WriteText(answer.EvidenceText);
            csv.WriteField(answer.UpdatedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "");
            csv.WriteText(answer.UpdatedBy);
            csv.NextRecord();
        }
    }
}
