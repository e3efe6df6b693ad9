using Barometre.Core.Model;
using Barometre.Core.Responses;

namespace Barometre.Core.Publication;

/// <summary>
/// For each figure of the results, who it is computed on: the population P_f of the secrecy rules. The
/// definitions repeat those of <see cref="Barometer"/> (a level is a cell ≥ 0; a theme is scored when
/// answered × 2 ≥ its questions; alpha uses complete rows; correlations are pairwise complete; the global
/// index needs scores on at least two thirds of the themes).
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
            scored[theme] = answered * 2 >= size;
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
        member[position] = scoredThemes * 3 >= t * 2;
    }
}
