using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Synthetic;

namespace Barometre.Core.Tests;

/// <summary>
/// <see cref="SyntheticPanel.NextEdition"/>: a later edition drawn from an earlier one, on two small models — A kept,
/// B renamed BB, C dropped, N new.
/// </summary>
public sealed class SyntheticPanelTest
{
    private static Theme Theme(string id, params string[] questions) =>
        new(id, id, 1, questions.Select(name => new Question($"{id}.{name}", name)));

    private static readonly MaturityModel Avant = new(
        "avant", "Avant", null,
        [Theme("A", "a1", "a2", "a3"), Theme("B", "b1", "b2"), Theme("C", "c1")],
        [],
        edition: "2019");

    private static readonly MaturityModel Apres = new(
        "apres", "Après", null,
        [Theme("A", "a1", "a2", "a3"), Theme("BB", "b1", "b2"), Theme("N", "n1", "n2")],
        [],
        edition: "2021",
        follows: new ModelLineage(
            "avant",
            themes: [new("BB", ["B"])],
            questions: [new("BB.b1", "B.b1"), new("BB.b2", "B.b2")]));

    private static readonly EditionMapping Mapping = new(Avant, Apres);

    private static ResponseSet Earlier(int respondents = 2000) =>
        SyntheticPanel.Generate(Avant, new SyntheticPanelOptions { Respondents = respondents, Seed = 11 });

    /// <summary>Each collectivité that stays, its earlier and later rows.</summary>
    private static IEnumerable<(int Before, int After)> Pairs(ResponseSet before, ResponseSet after)
    {
        var index = before.Respondents.Select((r, i) => (r.Code, i)).ToDictionary(x => x.Code, x => x.i);
        for (var r = 0; r < after.Count; r++)
        {
            if (index.TryGetValue(after.Respondents[r].Code, out var b))
            {
                yield return (b, r);
            }
        }
    }

    /// <summary>Each continued question's earlier level and later level, for the collectivités that stay.</summary>
    private static List<(string Theme, int Before, int After)> Moves(ResponseSet before, ResponseSet after)
    {
        var moves = new List<(string, int, int)>();
        foreach (var (b, a) in Pairs(before, after))
        {
            for (var j = 0; j < Apres.Questions.Count; j++)
            {
                var question = Mapping.Questions[j];
                if (question.IsComparable && before[b, question.EarlierIndex] >= 0)
                {
                    moves.Add((Apres.Themes[Apres.ThemeOfQuestion[j]].Id, before[b, question.EarlierIndex], after[a, j]));
                }
            }
        }
        return moves;
    }

    [Fact]
    public void NextEdition_SameSeed_SameEdition()
    {
        var earlier = Earlier(200);

        var first = SyntheticPanel.NextEdition(Mapping, earlier, new SyntheticEditionOptions { Seed = 5 });
        var second = SyntheticPanel.NextEdition(Mapping, earlier, new SyntheticEditionOptions { Seed = 5 });
        var other = SyntheticPanel.NextEdition(Mapping, earlier, new SyntheticEditionOptions { Seed = 6 });

        Assert.Same(Apres, first.Model);
        Assert.Equal(first.Respondents, second.Respondents);
        Assert.Equal(first.Cells.ToArray(), second.Cells.ToArray());
        Assert.NotEqual(first.Cells.ToArray(), other.Cells.ToArray());
    }

    [Fact]
    public void NextEdition_Membership_LeavesStayAndJoinsInTheSharesAsked()
    {
        var earlier = Earlier(40);

        var later = SyntheticPanel.NextEdition(Mapping, earlier, new SyntheticEditionOptions { Leave = 0.1, Join = 0.15 });

        // 40 × 0,1 = 4 leave, 40 × 0,15 = 6 join.
        Assert.Equal(36 + 6, later.Count);
        var earlierCodes = earlier.Respondents.Select(r => r.Code).ToList();
        var staying = later.Respondents.Take(36).ToList();
        // Those who stay keep their code and description, in their earlier order.
        Assert.All(staying, r => Assert.Contains(r, earlier.Respondents));
        Assert.Equal(staying.Select(r => earlierCodes.IndexOf(r.Code)).Order(), staying.Select(r => earlierCodes.IndexOf(r.Code)));
        // Those who join are fictitious, numbered after the earlier panel.
        Assert.Equal(["SYN41", "SYN42", "SYN43", "SYN44", "SYN45", "SYN46"], later.Respondents.Skip(36).Select(r => r.Code));
        Assert.All(later.Respondents.Skip(36), r => Assert.Contains("fictive", r.Name, StringComparison.Ordinal));
        Assert.Equal(later.Count, later.Respondents.Select(r => r.Code).Distinct().Count());
    }

    [Fact]
    public void NextEdition_CodesTakenByTheEarlierPanel_AreSkipped()
    {
        var generated = Earlier(4);
        // An earlier panel whose codes include the next number a newcomer would take.
        var earlier = new ResponseSet(Avant, generated.Respondents.Select((r, i) => i == 0 ? r with { Code = "SYN05" } : r), generated.Cells);

        var later = SyntheticPanel.NextEdition(Mapping, earlier, new SyntheticEditionOptions { Leave = 0, Join = 0.5 });

        Assert.Equal(["SYN05", "SYN02", "SYN03", "SYN04", "SYN06", "SYN07"], later.Respondents.Select(r => r.Code));
    }

    [Fact]
    public void NextEdition_ContinuedAnswers_MoveOneLevelAtMostWithTheDriftsChances()
    {
        var earlier = Earlier();

        var later = SyntheticPanel.NextEdition(Mapping, earlier, new SyntheticEditionOptions { Drift = new LevelDrift(0.30, 0.08) });

        var moves = Moves(earlier, later);
        Assert.All(moves, m => Assert.InRange(m.After - m.Before, -1, 1));
        // Where both moves are possible (levels 1 to 3), about 30 % go up and 8 % down: 3.5 standard deviations
        // of a share over the ~9,000 cells.
        var free = moves.Where(m => m.Before is > 0 and < 4).ToList();
        Assert.InRange(free.Count, 5000, 15000);
        Assert.InRange(free.Count(m => m.After > m.Before) / (double)free.Count, 0.30 - 0.017, 0.30 + 0.017);
        Assert.InRange(free.Count(m => m.After < m.Before) / (double)free.Count, 0.08 - 0.010, 0.08 + 0.010);
        // The bounds hold: nothing below 0 or above the top level.
        Assert.DoesNotContain(moves, m => m.After is < 0 or > 4);
    }

    [Fact]
    public void NextEdition_OnAverage_TheContinuedThemesProgressAndAThemesOwnDriftApplies()
    {
        var earlier = Earlier();
        var options = new SyntheticEditionOptions
        {
            Drift = new LevelDrift(0.30, 0.08),
            ThemeDrifts = new Dictionary<string, LevelDrift> { ["BB"] = new(0.05, 0.25) },
        };

        var moves = Moves(earlier, SyntheticPanel.NextEdition(Mapping, earlier, options));

        double MeanChange(string theme) => moves.Where(m => m.Theme == theme).Average(m => m.After - m.Before);
        Assert.True(MeanChange("A") > 0.15, $"A: {MeanChange("A")}");
        Assert.True(MeanChange("BB") < -0.1, $"BB: {MeanChange("BB")}");
    }

    [Fact]
    public void NextEdition_NewQuestions_AreAnsweredByTheEarlierMaturity()
    {
        var earlier = Earlier();

        var later = SyntheticPanel.NextEdition(Mapping, earlier);

        var n = Apres.FirstQuestionOfTheme[Apres.IndexOfTheme("N")];
        var cells = Enumerable.Range(0, later.Count).SelectMany(r => new[] { later[r, n], later[r, n + 1] }).ToList();
        // Generated as a new panel's: mostly levels, a few empty, NSP or NC cells (5 % in all by default).
        Assert.InRange(cells.Count(c => c < 0) / (double)cells.Count, 0.03, 0.07);
        Assert.All(cells, c => Assert.True(c is >= 0 and <= 4 || c is CellCode.Blank or CellCode.DontKnow or CellCode.NotConcerned));
        // Collectivités more mature in the earlier edition answer the new theme higher.
        var pairs = Pairs(earlier, later).Select(p => (Before: MeanLevel(earlier.Row(p.Before)), After: MeanLevel(later.Row(p.After).Slice(n, 2)))).Where(p => !double.IsNaN(p.Before) && !double.IsNaN(p.After)).ToList();
        var median = pairs.Select(p => p.Before).Order().ElementAt(pairs.Count / 2);
        var upper = pairs.Where(p => p.Before > median).Average(p => p.After);
        var lower = pairs.Where(p => p.Before <= median).Average(p => p.After);
        Assert.True(upper > lower + 0.5, $"upper half {upper}, lower half {lower}");
    }

    [Fact]
    public void NextEdition_LevelsMap_TranslatesBeforeMoving()
    {
        var sixLevels = new MaturityModel(
            "apres-6", "Après", new Scale(Enumerable.Range(0, 6).Select(l => new ScaleLevel(l, "niveau " + l))),
            [Theme("A", "a1", "a2", "a3"), Theme("B", "b1", "b2")],
            [],
            follows: new ModelLineage("avant", levels: [new(0, 0), new(1, 1), new(2, 2), new(3, 3), new(4, 5)]));
        var mapping = new EditionMapping(Avant, sixLevels);
        var earlier = Earlier(300);

        var later = SyntheticPanel.NextEdition(mapping, earlier, new SyntheticEditionOptions { Drift = new LevelDrift(0, 0) });

        // Without drift, each continued answer is its translation: 4 becomes 5.
        foreach (var (b, a) in Pairs(earlier, later))
        {
            for (var j = 0; j < sixLevels.Questions.Count; j++)
            {
                var cell = earlier[b, mapping.Questions[j].EarlierIndex];
                if (cell >= 0)
                {
                    Assert.Equal(mapping.TranslateLevel(cell), later[a, j]);
                }
            }
        }
    }

    [Fact]
    public void NextEdition_AnswersOfAnotherModel_AreRefused()
    {
        var answers = SyntheticPanel.Generate(Apres, new SyntheticPanelOptions { Respondents = 3 });

        Assert.Throws<ArgumentException>(() => SyntheticPanel.NextEdition(Mapping, answers));
        Assert.Throws<ArgumentException>(() => SyntheticPanel.NextEdition(Mapping, Earlier(3), new SyntheticEditionOptions { ThemeDrifts = new Dictionary<string, LevelDrift> { ["B"] = new(0.5, 0) } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticPanel.NextEdition(Mapping, Earlier(3), new SyntheticEditionOptions { Leave = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LevelDrift(0.7, 0.4));
    }

    private static double MeanLevel(ReadOnlySpan<sbyte> row)
    {
        var (sum, count) = (0.0, 0);
        foreach (var cell in row)
        {
            if (cell >= 0)
            {
                (sum, count) = (sum + cell, count + 1);
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
