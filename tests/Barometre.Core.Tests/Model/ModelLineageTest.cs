using Barometre.Core.Model;

namespace Barometre.Core.Tests.Model;

public sealed class ModelLineageTest
{
    private static KeyValuePair<string, IReadOnlyList<string>> Theme(string later, params string[] earlier) => new(later, earlier);

    private static KeyValuePair<string, string> Id(string later, string earlier) => new(later, earlier);

    private static KeyValuePair<int, int> Level(int earlier, int later) => new(earlier, later);

    private static MaturityModel Later(ModelLineage? follows, Scale? scale = null) => new(
        "apres",
        "Après",
        scale,
        [
            new Theme("pilotage", "Pilotage", 1, [new Question("pilotage.strategie", "Stratégie"), new Question("pilotage.outils", "Outils")]),
            new Theme("services", "Services", 1, [new Question("services.enligne", "En ligne")]),
        ],
        [new Indicator("strategie", "pilotage.strategie", new Predicate(Comparison.AtLeast, 3), "")],
        follows: follows);

    [Fact]
    public void Construction_KeepsTheMaps()
    {
        var lineage = new ModelLineage(
            "avant",
            [Theme("pilotage", "strategie", "administration"), Theme("services", "usagers")],
            [Id("pilotage.strategie", "strategie.strategie")],
            [Id("strategie", "strategie-formalisee")],
            [Level(1, 1), Level(0, 0)]);

        Assert.Equal("avant", lineage.Model);
        Assert.Equal(["strategie", "administration"], lineage.Themes["pilotage"]);
        Assert.Equal(["usagers"], lineage.Themes["services"]);
        Assert.Equal("strategie.strategie", lineage.Questions["pilotage.strategie"]);
        Assert.Equal("strategie-formalisee", lineage.Indicators["strategie"]);
        Assert.Equal([Level(0, 0), Level(1, 1)], lineage.Levels!);
    }

    [Fact]
    public void Construction_WithoutMaps_IsEmptyAndHasNoLevels()
    {
        var lineage = new ModelLineage("avant");

        Assert.Empty(lineage.Themes);
        Assert.Empty(lineage.Questions);
        Assert.Empty(lineage.Indicators);
        Assert.Null(lineage.Levels);
    }

    [Fact]
    public void Construction_EarlierThemeClaimedByTwoThemes_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ModelLineage("avant", [Theme("pilotage", "strategie"), Theme("services", "usagers", "strategie")]));

        Assert.Contains("strategie", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Construction_EarlierQuestionMappedTwice_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ModelLineage("avant", questions: [Id("pilotage.strategie", "a.q"), Id("pilotage.outils", "a.q")]));

        Assert.Contains("a.q", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Construction_LaterQuestionGivenTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ModelLineage("avant", questions: [Id("pilotage.strategie", "a.q"), Id("pilotage.strategie", "a.r")]));
    }

    [Fact]
    public void Construction_ThemeWithoutEarlierTheme_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ModelLineage("avant", [Theme("pilotage")]));
    }

    [Fact]
    public void Construction_BlankIds_Throw()
    {
        Assert.ThrowsAny<ArgumentException>(() => new ModelLineage(" "));
        Assert.ThrowsAny<ArgumentException>(() => new ModelLineage("avant", [Theme("pilotage", "")]));
        Assert.ThrowsAny<ArgumentException>(() => new ModelLineage("avant", indicators: [Id("", "a")]));
    }

    [Fact]
    public void Construction_NegativeLevel_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelLineage("avant", levels: [Level(-1, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelLineage("avant", levels: [Level(0, -1)]));
    }

    [Fact]
    public void Construction_EarlierLevelTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ModelLineage("avant", levels: [Level(1, 1), Level(1, 2)]));
    }

    [Fact]
    public void Construction_LevelsOutOfOrder_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ModelLineage("avant", levels: [Level(0, 0), Level(1, 2), Level(2, 1)]));

        Assert.Contains("order", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BreaksOrder_FindsTheFirstReversedPair()
    {
        Assert.Null(ModelLineage.BreaksOrder([Level(0, 0), Level(1, 0), Level(2, 3), Level(4, 5)]));
        Assert.Equal((2, 4), ModelLineage.BreaksOrder([Level(4, 1), Level(0, 0), Level(2, 3)]));
    }

    [Fact]
    public void MaturityModel_WithoutLineage_FollowsNothing()
    {
        Assert.Null(Later(null).Follows);
    }

    [Fact]
    public void MaturityModel_KeepsItsLineage()
    {
        var lineage = new ModelLineage("avant", [Theme("pilotage", "strategie")]);

        Assert.Same(lineage, Later(lineage).Follows);
    }

    [Fact]
    public void MaturityModel_LineageFollowingItself_Throws()
    {
        Assert.Throws<ArgumentException>(() => Later(new ModelLineage("apres")));
    }

    [Theory]
    [InlineData("theme")]
    [InlineData("question")]
    [InlineData("indicator")]
    public void MaturityModel_LineageMappingAnIdItDoesNotHave_Throws(string kind)
    {
        var lineage = kind switch
        {
            "theme" => new ModelLineage("avant", [Theme("gouvernance", "strategie")]),
            "question" => new ModelLineage("avant", questions: [Id("pilotage.budget", "strategie.budget")]),
            _ => new ModelLineage("avant", indicators: [Id("budget", "budget-vote")]),
        };

        var exception = Assert.Throws<ArgumentException>(() => Later(lineage));

        Assert.Contains("does not have", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaturityModel_LineageTranslatingBeyondItsScale_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => Later(new ModelLineage("avant", levels: [Level(0, 0), Level(4, 5)])));

        Assert.Contains("above the scale's 4", exception.Message, StringComparison.Ordinal);
    }
}
