using Barometre.Core.Model;

namespace Barometre.Core.Tests.Model;

public sealed class ScaleTest
{
    [Fact]
    public void Default_HasFiveLabelledLevels()
    {
        var scale = Scale.Default;
        Assert.Equal(5, scale.Count);
        Assert.Equal(4, scale.MaxLevel);
        Assert.Equal([0, 1, 2, 3, 4], scale.Levels.Select(l => l.Level));
        Assert.All(scale.Levels, level => Assert.False(string.IsNullOrWhiteSpace(level.Label)));
        Assert.Equal("Sujet non abordé", scale.LabelOf(0));
        Assert.Equal("Mise en œuvre complète et effective", scale.LabelOf(4));
    }

    [Fact]
    public void Default_ScoreFactorIs25()
    {
        // 100 / (5 − 1) = 25
        Assert.Equal(25.0, Scale.Default.ScoreFactor);
    }

    [Theory]
    [InlineData(2, 100.0)]
    [InlineData(3, 50.0)]
    [InlineData(5, 25.0)]
    [InlineData(10, 100.0 / 9)]
    public void ScoreFactor_Is100OverMaxLevel(int count, double expected)
    {
        Assert.Equal(expected, Levels(count).ScoreFactor, 1e-12 * expected);
    }

    [Fact]
    public void Constructor_TwoAndTenLevels_AreAccepted()
    {
        Assert.Equal(2, Levels(2).Count);
        Assert.Equal(10, Levels(10).Count);
        Assert.Equal(9, Levels(10).MaxLevel);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    public void Constructor_WrongLevelCount_Throws(int count)
    {
        Assert.Throws<ArgumentException>(() => Levels(count));
    }

    [Fact]
    public void Constructor_LevelsOutOfOrder_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Scale([new ScaleLevel(1, "un"), new ScaleLevel(0, "zéro")]));
    }

    [Fact]
    public void Constructor_LevelsNotStartingAtZero_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Scale([new ScaleLevel(1, "un"), new ScaleLevel(2, "deux")]));
    }

    [Fact]
    public void Constructor_GapInLevels_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Scale([new ScaleLevel(0, "zéro"), new ScaleLevel(2, "deux"), new ScaleLevel(3, "trois")]));
    }

    [Fact]
    public void Constructor_DuplicateLevel_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Scale([new ScaleLevel(0, "zéro"), new ScaleLevel(0, "encore zéro")]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_EmptyLabel_Throws(string label)
    {
        Assert.Throws<ArgumentException>(() => new Scale([new ScaleLevel(0, "zéro"), new ScaleLevel(1, label)]));
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Scale(null!));
    }

    [Fact]
    public void LabelOf_ReturnsTheLevelsLabel()
    {
        var scale = new Scale([new ScaleLevel(0, "Non"), new ScaleLevel(1, "Oui")]);
        Assert.Equal("Non", scale.LabelOf(0));
        Assert.Equal("Oui", scale.LabelOf(1));
    }

    private static Scale Levels(int count) =>
        new(Enumerable.Range(0, count).Select(i => new ScaleLevel(i, "Niveau " + (char)('A' + i))));
}
