using System.Globalization;
using System.Text;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Results;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Data.Export;

/// <summary>
/// Open data: the distribution of the answers to each question for one filter of published results, one
/// row per question and level (tidy format). Figures under statistical secrecy are left empty with
/// <c>secret_statistique</c> set to <c>oui</c>: never written as zeros. Texts are written as <see cref="CsvCells"/>
/// says, so that none opens as a formula; figures are written as numbers.
/// </summary>
public static class PublicDistributionsCsv
{
    /// <summary>The column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["filtre", "theme_id", "theme", "question_id", "question", "niveau", "libelle_niveau", "effectif", "part", "repondants_question", "secret_statistique"];

    /// <summary>Writes the distributions (UTF-8 with a byte-order mark; shares as decimals with a point, 0 to 1).</summary>
    public static void Write(MaturityModel model, PublicResults published, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(published);
        using var text = new StreamWriter(stream, new UTF8Encoding(true), leaveOpen: true);
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }
        csv.NextRecord();
        var filter = published.Decision.Filter.Describe();
        for (var q = 0; q < model.Questions.Count; q++)
        {
            var question = model.Questions[q];
            var theme = model.Themes[model.ThemeOfQuestion[q]];
            var result = published.Results.Questions[q];
            var secret = published.IsSuppressed(FigureId.Question(question.Id));
            for (var level = 0; level <= model.Scale.MaxLevel; level++)
            {
                csv.WriteText(filter);
                csv.WriteText(theme.Id);
                csv.WriteText(theme.Title);
                csv.WriteText(question.Id);
                csv.WriteText(question.Label);
                csv.WriteField(level.ToString(CultureInfo.InvariantCulture));
                csv.WriteText(model.Scale.LabelOf(level));
                csv.WriteField(secret ? "" : result.Counts[level].ToString(CultureInfo.InvariantCulture));
                csv.WriteField(secret || result.Shares[level] is not { } share ? "" : share.ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(secret ? "" : result.Answered.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(secret ? "oui" : "non");
                csv.NextRecord();
            }
        }
    }
}
