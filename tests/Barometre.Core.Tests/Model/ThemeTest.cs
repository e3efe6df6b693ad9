using Barometre.Core.Model;

namespace Barometre.Core.Tests.Model;

public sealed class ThemeTest
{
    private static readonly Question Levier = new("strategie.levier", "Le numérique comme levier");
    private static readonly Question Pilotage = new("strategie.pilotage", "Pilotage du numérique");

    [Fact]
    public void Constructor_KeepsItsValues()
    {
        var theme = new Theme("strategie", "Stratégie", 1.5, [Levier, Pilotage]);
        Assert.Equal("strategie", theme.Id);
        Assert.Equal("Stratégie", theme.Title);
        Assert.Equal(1.5, theme.Weight);
        Assert.Equal([Levier, Pilotage], theme.Questions);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Constructor_InvalidWeight_Throws(double weight)
    {
        Assert.Throws<ArgumentException>(() => new Theme("strategie", "Stratégie", weight, [Levier]));
    }

    [Theory]
    [InlineData(double.Epsilon)]
    [InlineData(0.25)]
    [InlineData(1e6)]
    public void Constructor_PositiveFiniteWeight_IsAccepted(double weight)
    {
        Assert.Equal(weight, new Theme("strategie", "Stratégie", weight, [Levier]).Weight);
    }

    [Theory]
    [InlineData("autre.levier")]
    [InlineData("strategieX.levier")]
    [InlineData("strategie.")]
    [InlineData("strategie")]
    [InlineData("strategielevier")]
    [InlineData("strat.levier")]
    [InlineData("Strategie.levier")]
    public void Constructor_QuestionOfAnotherTheme_Throws(string questionId)
    {
        Assert.Throws<ArgumentException>(() => new Theme("strategie", "Stratégie", 1, [Levier, new Question(questionId, "Question")]));
    }

    [Fact]
    public void Constructor_NoQuestion_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Theme("strategie", "Stratégie", 1, []));
    }

    [Theory]
    [InlineData("", "Stratégie")]
    [InlineData(" ", "Stratégie")]
    [InlineData("strategie", "")]
    public void Constructor_EmptyIdOrTitle_Throws(string id, string title)
    {
        Assert.Throws<ArgumentException>(() => new Theme(id, title, 1, [Levier]));
    }

    [Theory]
    [InlineData("strategie", "strategie.levier", true)]
    [InlineData("strategie", "strategie.a", true)]
    [InlineData("strategie", "strategie.", false)]
    [InlineData("strategie", "strategie", false)]
    [InlineData("strategie", "strategie_levier", false)]
    [InlineData("strategie", "strategies.levier", false)]
    [InlineData("rh", "rh.formation", true)]
    public void IsQuestionIdOf_ChecksThemePrefixAndDot(string themeId, string questionId, bool expected)
    {
        Assert.Equal(expected, Theme.IsQuestionIdOf(themeId, questionId));
    }
}
