using Barometre.Core.Responses;

namespace Barometre.Core.Tests;

/// <summary>The scoring rules, each against its statement in docs/results-schema.md.</summary>
public sealed class ScoringTest
{
    private const sbyte N = CellCode.DontKnow;
    private const sbyte B = CellCode.Blank;
    private const sbyte C = CellCode.NotConcerned;

    [Fact]
    public void IsThemeScored_AtLeastHalfOfTheQuestions()
    {
        for (var questions = 1; questions <= 60; questions++)
        {
            for (var answered = 0; answered <= questions; answered++)
            {
                Assert.Equal(answered * 2 >= questions, Scoring.IsThemeScored(answered, questions));
            }
            // The threshold is the fewest answers that score the theme.
            Assert.True(Scoring.IsThemeScored(Scoring.AnswersToScore(questions), questions));
            Assert.False(Scoring.IsThemeScored(Scoring.AnswersToScore(questions) - 1, questions));
        }
        Assert.Equal((1, 1, 2, 2, 3), (Scoring.AnswersToScore(1), Scoring.AnswersToScore(2), Scoring.AnswersToScore(3), Scoring.AnswersToScore(4), Scoring.AnswersToScore(5)));
    }

    [Fact]
    public void HasGlobalIndex_AtLeastTwoThirdsOfTheThemes()
    {
        for (var themes = 1; themes <= 60; themes++)
        {
            for (var scored = 0; scored <= themes; scored++)
            {
                Assert.Equal(scored * 3 >= themes * 2, Scoring.HasGlobalIndex(scored, themes));
            }
            Assert.True(Scoring.HasGlobalIndex(Scoring.ThemesForIndex(themes), themes));
            Assert.False(Scoring.HasGlobalIndex(Scoring.ThemesForIndex(themes) - 1, themes));
        }
        Assert.Equal((1, 2, 2, 3, 4, 4), (Scoring.ThemesForIndex(1), Scoring.ThemesForIndex(2), Scoring.ThemesForIndex(3), Scoring.ThemesForIndex(4), Scoring.ThemesForIndex(5), Scoring.ThemesForIndex(6)));
    }

    [Fact]
    public void ThemeScore_MeanLevelOnAHundred_NaNUnderHalf()
    {
        // Five levels: × 25. Blank, NSP and NC are unanswered.
        Assert.Equal(75.0, Scoring.ThemeScore([4, N, 2], 25));
        Assert.Equal(50.0, Scoring.ThemeScore([4, 0, C, B], 25));
        Assert.Equal(100.0, Scoring.ThemeScore([4, B], 25));
        Assert.True(double.IsNaN(Scoring.ThemeScore([4, B, N], 25)));
        Assert.True(double.IsNaN(Scoring.ThemeScore([B], 25)));
        // Four levels: × 100/3.
        Assert.Equal(4.0 / 2 * (100.0 / 3), Scoring.ThemeScore([1, 3, N], 100.0 / 3));
    }

    [Fact]
    public void ThemeScore_QuestionWeights_WeightedMeanLevel()
    {
        // (4 × 0.5 + 1 × 1.5) / (0.5 + 1.5) = 1.75 levels, × 25; the unanswered question's weight counts nowhere.
        Assert.Equal(1.75 * 25, Scoring.ThemeScore([4, N, 1], [0.5, 9, 1.5], 25));
        Assert.True(double.IsNaN(Scoring.ThemeScore([4, N, B], [1, 1, 1], 25)));
        Assert.Throws<ArgumentException>(() => Scoring.ThemeScore([4, 1], [1.0], 25));
    }

    [Fact]
    public void ThemeScore_WeightsOfOne_IsThePublishedScoreBitForBit()
    {
        var random = new Random(4);
        for (var i = 0; i < 2000; i++)
        {
            var cells = new sbyte[random.Next(1, 12)];
            for (var j = 0; j < cells.Length; j++)
            {
                cells[j] = (sbyte)random.Next(CellCode.NotConcerned, 5);
            }
            var ones = Enumerable.Repeat(1.0, cells.Length).ToArray();
            Assert.Equal(
                BitConverter.DoubleToInt64Bits(Scoring.ThemeScore(cells, 100.0 / 3)),
                BitConverter.DoubleToInt64Bits(Scoring.ThemeScore(cells, ones, 100.0 / 3)));
        }
    }

    [Fact]
    public void GlobalIndex_WeightedMeanOfTheScoredThemes_NaNUnderTwoThirds()
    {
        // (50 × 1 + 80 × 2) / 3 = 70; the unscored theme's weight counts nowhere.
        Assert.Equal(70.0, Scoring.GlobalIndex([50, 80, double.NaN], [1, 2, 5]));
        Assert.True(double.IsNaN(Scoring.GlobalIndex([50, double.NaN, double.NaN], [1, 2, 5])));
        Assert.Equal(60.0, Scoring.GlobalIndex([60], [1]));
        Assert.Throws<ArgumentException>(() => Scoring.GlobalIndex([50, 80], [1]));
    }

    [Fact]
    public void RankThemes_DecreasingMean_TiesInModelOrder_ZeroWithoutMean()
    {
        var ranks = new int[5];
        // 50 and 50 + 1e-12 are one key: they tie and keep model order.
        Scoring.RankThemes([50, double.NaN, 50 + 1e-12, 62.5, 12], ranks);
        Assert.Equal([2, 0, 3, 1, 4], ranks);
        Assert.Equal(Scoring.RankKey(50), Scoring.RankKey(50 + 1e-12));
        Assert.NotEqual(Scoring.RankKey(50), Scoring.RankKey(50 + 1e-8));
        Assert.Throws<ArgumentException>(() => Scoring.RankThemes([1, 2], new int[3]));
    }

    [Fact]
    public void RankThemes_ManyThemes_SameRuleOnTheHeap()
    {
        // Past 64 themes the scratch space is allocated: same ranks as the rule says.
        var means = Enumerable.Range(0, 100).Select(theme => theme % 10 == 3 ? double.NaN : (double)(theme % 7)).ToArray();
        var ranks = new int[means.Length];
        Scoring.RankThemes(means, ranks);
        var expected = means.Select((mean, theme) => (mean, theme)).Where(x => !double.IsNaN(x.mean))
            .OrderByDescending(x => x.mean).ThenBy(x => x.theme).Select((x, position) => (x.theme, Rank: position + 1))
            .ToDictionary(x => x.theme, x => x.Rank);
        Assert.Equal(means.Select((_, theme) => expected.GetValueOrDefault(theme)), ranks);
    }
}
