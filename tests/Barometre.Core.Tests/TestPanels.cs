using Barometre.Core.Model;
using Barometre.Core.Responses;

namespace Barometre.Core.Tests;

/// <summary>Small models and panels whose results are worked out by hand in the tests.</summary>
internal static class TestPanels
{
    /// <summary>Themes a (a.q1, a.q2; weight 1) and b (b.q1, b.q2; weight 3); indicator « a.q1 ≥ 2 ».</summary>
    public static MaturityModel TwoThemes(Scale? scale = null) => new(
        "deux-themes",
        "Deux thèmes",
        scale,
        [
            new Theme("a", "Thème A", 1, [new Question("a.q1", "A1"), new Question("a.q2", "A2")]),
            new Theme("b", "Thème B", 3, [new Question("b.q1", "B1"), new Question("b.q2", "B2")]),
        ],
        [new Indicator("a-au-moins-2", "a.q1", new Predicate(Comparison.AtLeast, 2), "{value} des collectivités ont au moins 2 en A1")]);

    private const sbyte Nsp = CellCode.DontKnow, Nc = CellCode.NotConcerned, Blank = CellCode.Blank;

    /// <summary>
    /// R1: a = (4+2)/2·25 = 75, b = (1+3)/2·25 = 50, index (75·1 + 50·3)/4 = 56.25.
    /// R2: a = 0 (one of two answered: exactly half is enough), b = 50, index 37.5.
    /// R3: a null (nothing answered), b = 100, one theme of two scored: no index.
    /// R4: a = 75, b = (0+1)/2·25 = 12.5, index (75 + 37.5)/4 = 28.125.
    /// </summary>
    public static ResponseSet HandPanel() => new(
        TwoThemes(),
        [
            new Respondent("R1", "Un", "metropole"),
            new Respondent("R2", "Deux", "commune"),
            new Respondent("R3", "Trois"),
            new Respondent("R4", "Quatre", "commune"),
        ],
        [
            4, 2, 1, 3,
            0, Nsp, 2, 2,
            Nc, Blank, 4, 4,
            3, 3, 0, 1,
        ]);

    /// <summary>A panel of <paramref name="rows"/> respondents all answering <paramref name="cell"/> everywhere.</summary>
    public static ResponseSet Uniform(int rows, sbyte cell)
    {
        var model = TwoThemes();
        return new ResponseSet(
            model,
            Enumerable.Range(1, rows).Select(i => new Respondent($"U{i:D2}", $"Uniforme {i}")),
            Enumerable.Repeat(cell, rows * model.Questions.Count).ToArray());
    }
}
