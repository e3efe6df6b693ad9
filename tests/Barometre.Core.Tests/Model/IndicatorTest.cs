using Barometre.Core.Model;

namespace Barometre.Core.Tests.Model;

public sealed class IndicatorTest
{
    private static readonly Predicate AtLeast3 = new(Comparison.AtLeast, 3);

    [Fact]
    public void FormatStatement_FillsFrenchPercentage()
    {
        // 0.5128 → 51.28 % → rounded 51, then a narrow no-break space (U+202F) before %.
        var indicator = new Indicator("levier", "strategie.levier", AtLeast3, "{value} des collectivités");
        Assert.Equal("51\u202F% des collectivités", indicator.FormatStatement(0.5128));
    }

    [Fact]
    public void FormatStatement_PlaceholderInsideSentence()
    {
        var indicator = new Indicator(
            "levier",
            "strategie.levier",
            AtLeast3,
            "Pour {value} des collectivités, le numérique est un levier de transformation.");
        Assert.Equal(
            "Pour 100\u202F% des collectivités, le numérique est un levier de transformation.",
            indicator.FormatStatement(1.0));
        Assert.Equal(
            "Pour 0\u202F% des collectivités, le numérique est un levier de transformation.",
            indicator.FormatStatement(0.0));
    }

    [Fact]
    public void FormatStatement_EmptyTemplate_IsEmpty()
    {
        var indicator = new Indicator("levier", "strategie.levier", AtLeast3, "");
        Assert.Equal("", indicator.FormatStatement(0.5128));
    }

    [Fact]
    public void FormatStatement_NullTemplate_IsEmpty()
    {
        var indicator = new Indicator("levier", "strategie.levier", AtLeast3, null!);
        Assert.Equal("", indicator.Statement);
        Assert.Equal("", indicator.FormatStatement(0.5));
    }

    [Fact]
    public void FormatStatement_NullValue_IsEmpty()
    {
        var indicator = new Indicator("levier", "strategie.levier", AtLeast3, "{value} des collectivités");
        Assert.Equal("", indicator.FormatStatement(null));
    }

    [Fact]
    public void FormatStatement_NoPlaceholder_IsTheTemplate()
    {
        var indicator = new Indicator("levier", "strategie.levier", AtLeast3, "Sans valeur");
        Assert.Equal("Sans valeur", indicator.FormatStatement(0.25));
    }

    [Fact]
    public void Constructor_KeepsItsValues()
    {
        var indicator = new Indicator("levier", "strategie.levier", AtLeast3, "{value} des collectivités", "Levier");
        Assert.Equal("levier", indicator.Id);
        Assert.Equal("strategie.levier", indicator.QuestionId);
        Assert.Equal(AtLeast3, indicator.Predicate);
        Assert.Equal("{value} des collectivités", indicator.Statement);
        Assert.Equal("Levier", indicator.Title);
        Assert.Null(new Indicator("levier", "strategie.levier", AtLeast3, "").Title);
    }

    [Theory]
    [InlineData("", "strategie.levier")]
    [InlineData(" ", "strategie.levier")]
    [InlineData("levier", "")]
    public void Constructor_EmptyIds_Throw(string id, string questionId)
    {
        Assert.Throws<ArgumentException>(() => new Indicator(id, questionId, AtLeast3, ""));
    }
}
