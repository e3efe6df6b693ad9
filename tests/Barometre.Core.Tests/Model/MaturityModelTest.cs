using Barometre.Core.Model;

namespace Barometre.Core.Tests.Model;

public sealed class MaturityModelTest
{
    private static Theme Strategie() => new(
        "strategie",
        "Stratégie",
        1,
        [new Question("strategie.levier", "Levier"), new Question("strategie.pilotage", "Pilotage"), new Question("strategie.budget", "Budget")]);

    private static Theme Rh() => new("rh", "Ressources humaines", 2, [new Question("rh.formation", "Formation")]);

    private static Theme Services() => new(
        "services",
        "Services",
        1,
        [new Question("services.en-ligne", "En ligne"), new Question("services.accessibilite", "Accessibilité")]);

    private static Indicator Levier(string predicate = ">= 3")
    {
        Assert.True(Predicate.TryParse(predicate, out var parsed));
        return new Indicator("levier", "strategie.levier", parsed, "{value} des collectivités");
    }

    private static MaturityModel Model() => new("test", "Modèle de test", null, [Strategie(), Rh(), Services()], [Levier()]);

    [Fact]
    public void Questions_AreInThemeOrder()
    {
        var model = Model();
        Assert.Equal(
            ["strategie.levier", "strategie.pilotage", "strategie.budget", "rh.formation", "services.en-ligne", "services.accessibilite"],
            model.Questions.Select(q => q.Id));
    }

    [Fact]
    public void ThemeOfQuestion_MatchesThemes()
    {
        var model = Model();
        Assert.Equal([0, 0, 0, 1, 2, 2], model.ThemeOfQuestion);
        for (var q = 0; q < model.Questions.Count; q++)
        {
            Assert.Contains(model.Questions[q], model.Themes[model.ThemeOfQuestion[q]].Questions);
        }
    }

    [Fact]
    public void FirstQuestionOfTheme_MatchesThemes()
    {
        var model = Model();
        Assert.Equal([0, 3, 4], model.FirstQuestionOfTheme);
        for (var t = 0; t < model.Themes.Count; t++)
        {
            var first = model.FirstQuestionOfTheme[t];
            for (var i = 0; i < model.Themes[t].Questions.Count; i++)
            {
                Assert.Same(model.Themes[t].Questions[i], model.Questions[first + i]);
                Assert.Equal(t, model.ThemeOfQuestion[first + i]);
            }
        }
    }

    [Fact]
    public void IndexOfQuestion_IsPositionInQuestions()
    {
        var model = Model();
        for (var q = 0; q < model.Questions.Count; q++)
        {
            Assert.Equal(q, model.IndexOfQuestion(model.Questions[q].Id));
        }
        Assert.Equal(-1, model.IndexOfQuestion("strategie.inconnue"));
        Assert.Equal(-1, model.IndexOfQuestion(""));
        Assert.Equal(-1, model.IndexOfQuestion("STRATEGIE.LEVIER"));
    }

    [Fact]
    public void IndexOfTheme_IsPositionInThemes()
    {
        var model = Model();
        Assert.Equal(0, model.IndexOfTheme("strategie"));
        Assert.Equal(1, model.IndexOfTheme("rh"));
        Assert.Equal(2, model.IndexOfTheme("services"));
        Assert.Equal(-1, model.IndexOfTheme("inconnu"));
    }

    [Fact]
    public void Constructor_Defaults()
    {
        var model = new MaturityModel("maturite-test", null, null, [Rh()], []);
        Assert.Equal("maturite-test", model.Title);
        Assert.Same(Scale.Default, model.Scale);
        Assert.Null(model.Edition);
        Assert.Null(model.Description);
        Assert.Empty(model.Indicators);
    }

    [Fact]
    public void Constructor_KeepsItsValues()
    {
        var scale = new Scale([new ScaleLevel(0, "Non"), new ScaleLevel(1, "En partie"), new ScaleLevel(2, "Oui")]);
        var model = new MaturityModel("m", "Titre", scale, [Rh()], [], edition: "2019", description: "Description");
        Assert.Equal("m", model.Id);
        Assert.Equal("Titre", model.Title);
        Assert.Same(scale, model.Scale);
        Assert.Equal("2019", model.Edition);
        Assert.Equal("Description", model.Description);
    }

    [Fact]
    public void Constructor_DuplicateThemeIds_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, null, [Rh(), Strategie(), Rh()], []));
    }

    [Fact]
    public void Constructor_DuplicateQuestionIds_Throws()
    {
        var theme = new Theme("rh", "RH", 1, [new Question("rh.formation", "Formation"), new Question("rh.formation", "Encore")]);
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, null, [theme], []));
    }

    [Fact]
    public void Constructor_DuplicateIndicatorIds_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, null, [Strategie()], [Levier(), Levier("<= 1")]));
    }

    [Fact]
    public void Constructor_IndicatorOnUnknownQuestion_Throws()
    {
        var indicator = new Indicator("formation", "rh.inconnue", new Predicate(Comparison.AtLeast, 2), "");
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, null, [Strategie(), Rh()], [indicator]));
    }

    [Fact]
    public void Constructor_IndicatorOnQuestionOfAbsentTheme_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, null, [Rh()], [Levier()]));
    }

    [Fact]
    public void Constructor_ThresholdAboveScale_Throws()
    {
        // The default scale's highest level is 4.
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, null, [Strategie()], [Levier(">= 5")]));
        var twoLevels = new Scale([new ScaleLevel(0, "Non"), new ScaleLevel(1, "Oui")]);
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, twoLevels, [Strategie()], [Levier("= 2")]));
    }

    [Fact]
    public void Constructor_ThresholdAtMaxLevel_IsAccepted()
    {
        var model = new MaturityModel("m", null, null, [Strategie()], [Levier(">= 4")]);
        Assert.Single(model.Indicators);
    }

    [Fact]
    public void Constructor_NoTheme_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MaturityModel("m", null, null, [], []));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_EmptyId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => new MaturityModel(id, null, null, [Rh()], []));
    }
}
