using Barometre.Core.Model;
using Barometre.Core.Responses;

namespace Barometre.Core.Publication;

/// <summary>
/// For each figure of the results, who it is computed on: the population P_f of the secrecy rules, as
/// <see cref="Barometer"/> computes the figure: a question's respondents with a level; a theme's, scored on it
/// (<see cref="Scoring.IsThemeScored"/>); alpha's, with every question of the theme answered; a correlation's,
/// scored on both themes (pairwise complete); the global index's, those with one (<see cref="Scoring.HasGlobalIndex"/>).
/// </summary>
internal static class FigurePopulations
{
    /// <summary>The figure ids of a model, in the order of <see cref="SecrecyPlan.Figures"/>.</summary>
    public static List<string> Ids(MaturityModel model)
    {
        var ids = new List<string>();
        ids.AddRange(model.Questions.Select(question => FigureId.Question(question.Id)));
        ids.AddRange(model.Themes.Select(theme => FigureId.Theme(theme.Id)));
        ids.AddRange(model.Themes.Select(theme => FigureId.Alpha(theme.Id)));
        for (var a = 0; a < model.Themes.Count; a++)
        {
            for (var b = a + 1; b < model.Themes.Count; b++)
            {
                ids.Add(FigureId.Correlation(model.Themes[a].Id, model.Themes[b].Id));
            }
        }
        ids.Add(FigureId.Index);
        return ids;
    }

    /// <summary>Fills <paramref name="member"/> (one entry per id of <see cref="Ids"/>) for one respondent.</summary>
    /// <param name="responses">The panel.</param>
    /// <param name="respondent">The respondent's row.</param>
    /// <param name="member">Whether each figure is computed on this respondent.</param>
    /// <param name="scored">Scratch space, one entry per theme.</param>
    public static void Fill(ResponseSet responses, int respondent, Span<bool> member, Span<bool> scored)
    {
        var model = responses.Model;
        var row = responses.Row(respondent);
        var q = model.Questions.Count;
        var t = model.Themes.Count;
        for (var j = 0; j < q; j++)
        {
            member[j] = row[j] >= 0;
        }
        var scoredThemes = 0;
        for (var theme = 0; theme < t; theme++)
        {
            var size = model.Themes[theme].Questions.Count;
            var answered = 0;
            foreach (var cell in row.Slice(model.FirstQuestionOfTheme[theme], size))
            {
                if (cell >= 0)
                {
                    answered++;
                }
            }
            scored[theme] = Scoring.IsThemeScored(answered, size);
            scoredThemes += scored[theme] ? 1 : 0;
            member[q + theme] = scored[theme];
            member[q + t + theme] = answered == size;
        }
        var position = q + (2 * t);
        for (var a = 0; a < t; a++)
        {
            for (var b = a + 1; b < t; b++)
            {
                member[position++] = scored[a] && scored[b];
            }
        }
        member[position] = Scoring.HasGlobalIndex(scoredThemes, t);
    }
}
