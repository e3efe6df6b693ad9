using Barometre.Core.Model;
using Barometre.Core.Results;

namespace Barometre.Core.Publication;

public sealed partial class SecrecyPlan
{
    /// <summary>
    /// The plan of a panel known only by its results file: one filter, the whole panel, decided by the same rules as
    /// <see cref="Build"/> on the family sizes the results record. They are the whole panel's sizes whatever the
    /// type, region and population of the respondents, because rules 2 and 3 never suppress the whole panel: this
    /// plan decides the whole panel exactly as <see cref="Build"/> does on the answers.
    /// </summary>
    /// <remarks>
    /// The sizes: <c>respondents</c>; each question's <c>answered</c>; each theme's <c>scored</c>; each correlation's
    /// respondents scored on both themes and the global index's respondents, counted in <c>scores</c>. An alpha's
    /// respondents (those who answered every question of the theme) are not in the results: alphas are withheld.
    /// </remarks>
    /// <param name="results">The full results (with <c>scores</c>, one per respondent).</param>
    /// <param name="model">The model the results were computed with.</param>
    /// <param name="threshold">The threshold N, at least 1.</param>
    /// <exception cref="ArgumentException">Results of another model, or without one score per respondent.</exception>
    public static SecrecyPlan ForResults(BarometerResults results, MaturityModel model, int threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        if (results.Referential != model.Id || results.Questions.Count != model.Questions.Count || results.Themes.Count != model.Themes.Count)
        {
            throw new ArgumentException($"The results are of model {results.Referential}, not {model.Id}.", nameof(results));
        }
        if (results.Scores.Count != results.Respondents)
        {
            throw new ArgumentException("The results have no score per respondent (public results?).", nameof(results));
        }

        var figures = FigurePopulations.Ids(model);
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal) { [FigureId.Index] = results.Scores.Count(s => s.Index is not null) };
        foreach (var question in results.Questions)
        {
            sizes[FigureId.Question(question.Id)] = question.Answered;
        }
        foreach (var theme in results.Themes)
        {
            sizes[FigureId.Theme(theme.Id)] = theme.Scored;
        }
        for (var a = 0; a < model.Themes.Count; a++)
        {
            for (var b = a + 1; b < model.Themes.Count; b++)
            {
                var (first, second) = (model.Themes[a].Id, model.Themes[b].Id);
                sizes[FigureId.Correlation(first, second)] = results.Scores.Count(s => s.Themes.GetValueOrDefault(first) is not null && s.Themes.GetValueOrDefault(second) is not null);
            }
        }

        // Everybody in one cell, « non renseigné » in every dimension: the lattice's only real node is the whole panel.
        var lattice = new FilterLattice([0, 0, 0], [true, true, true]);
        var counts = new int[figures.Count + 1][];
        counts[0] = [results.Respondents];
        var withheld = new bool[figures.Count];
        for (var f = 0; f < figures.Count; f++)
        {
            withheld[f] = !sizes.TryGetValue(figures[f], out var size);
            counts[f + 1] = [withheld[f] ? 0 : size];
        }
        return Decided(threshold, [], [], [], [Index([]), Index([]), Index([])], lattice, figures, counts, withheld);
    }
}
