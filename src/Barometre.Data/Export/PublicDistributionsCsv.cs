using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Results;

namespace Barometre.Data.Export;

/// <summary>
/// Open data: the distribution of the answers to each question for one filter of published results, one
/// row per question and level (tidy format). Figures under statistical secrecy are left empty with
/// <c>secret_statistique</c> set to <c>oui</c>: never written as zeros. As CSV, French-Excel CSV or .xlsx
/// (<see cref="TableWriter"/>): no text opens as a formula; figures are written as numbers.
/// </summary>
public static class PublicDistributionsCsv
{
    /// <summary>The column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["filtre", "theme_id", "theme", "question_id", "question", "niveau", "libelle_niveau", "effectif", "part", "repondants_question", "secret_statistique"];

    /// <summary>Writes the distributions (the CSV in UTF-8 with a byte-order mark; shares as decimals, 0 to 1).</summary>
    public static void Write(MaturityModel model, PublicResults published, Stream stream, TableFormat format = TableFormat.Csv)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(published);
        TableWriter.Write(stream, format, Layout, Columns, Rows());

        IEnumerable<TableCell[]> Rows()
        {
            var filter = published.Decision.Filter.Describe();
            for (var q = 0; q < model.Questions.Count; q++)
            {
                var question = model.Questions[q];
                var theme = model.Themes[model.ThemeOfQuestion[q]];
                var result = published.Results.Questions[q];
                var secret = published.IsSuppressed(FigureId.Question(question.Id));
                for (var level = 0; level <= model.Scale.MaxLevel; level++)
                {
                    yield return
                    [
                        TableCell.Text(filter),
                        TableCell.Text(theme.Id),
                        TableCell.Text(theme.Title),
                        TableCell.Text(question.Id),
                        TableCell.Text(question.Label),
                        TableCell.Number(level),
                        TableCell.Text(model.Scale.LabelOf(level)),
                        secret ? TableCell.Empty : TableCell.Number(result.Counts[level]),
                        secret ? TableCell.Empty : TableCell.Number(result.Shares[level]),
                        secret ? TableCell.Empty : TableCell.Number(result.Answered),
                        TableCell.Text(secret ? "oui" : "non"),
                    ];
                }
            }
        }
    }

    private static readonly TableLayout Layout = new("distributions");
}
