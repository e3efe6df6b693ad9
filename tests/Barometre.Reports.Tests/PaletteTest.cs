using Barometre.Reports.Charts;

namespace Barometre.Reports.Tests;

/// <summary>The level ramp of the stacked bars and legends: visible against the page, ordered, and readable under its labels.</summary>
public sealed class PaletteTest
{
    private const string White = "#ffffff";

    public static TheoryData<int> Scales => [2, 3, 4, 5, 6, 7, 8];

    [Theory]
    // The WCAG 2 ratio, computed independently:
    // /usr/bin/python3 -c "
    // def ch(v):
    //     c=v/255; return c/12.92 if c<=0.03928 else ((c+0.055)/1.055)**2.4
    // def L(h): r,g,b=(int(h[i:i+2],16) for i in (1,3,5)); return 0.2126*ch(r)+0.7152*ch(g)+0.0722*ch(b)
    // def cr(a,b): x,y=sorted([L(a),L(b)]); return (y+0.05)/(x+0.05)
    // print(cr('#eef2f6','#ffffff'), cr('#7b94b2','#ffffff'), cr('#06204b','#ffffff'), cr('#7b94b2','#1b2430'))"
    // → 1.1249771962064572 3.1245243017995867 15.958073764502355 5.009584267698907
    [InlineData("#eef2f6", White, 1.1249771962064572)]
    [InlineData("#7b94b2", White, 3.1245243017995867)]
    [InlineData(White, "#06204b", 15.958073764502355)]
    [InlineData("#7b94b2", Palette.Ink, 5.009584267698907)]
    public void Contrast_MatchesTheWcagRatio(string first, string second, double expected)
    {
        Assert.Equal(expected, Palette.Contrast(first, second), 9);
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void Level_Zero_ReachesThreeToOneAgainstWhite(int levels)
    {
        // WCAG 1.4.11: a bar of level 0 must stand out from the white page by itself.
        Assert.True(Palette.Contrast(Palette.Level(0, levels), White) >= 3, $"{Palette.Level(0, levels)} on white: {Palette.Contrast(Palette.Level(0, levels), White):0.00}:1.");
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void Level_DarkensStepByStep_NeighboursDistinct(int levels)
    {
        // Lightness alone orders the levels (readable without colour vision), each step visibly darker.
        for (var level = 1; level < levels; level++)
        {
            var (lighter, darker) = (Palette.Level(level - 1, levels), Palette.Level(level, levels));
            Assert.True(Palette.Contrast(darker, White) > Palette.Contrast(lighter, White), $"Level {level} ({darker}) is not darker than level {level - 1} ({lighter}).");
            Assert.True(Palette.Contrast(lighter, darker) >= 1.2, $"Levels {level - 1} and {level} of {levels}: {lighter} and {darker}, {Palette.Contrast(lighter, darker):0.00}:1.");
        }
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void TextOn_EveryLevel_ReadsAtFourAndAHalfToOne(int levels)
    {
        // The shares written inside the bars.
        for (var level = 0; level < levels; level++)
        {
            var fill = Palette.Level(level, levels);
            Assert.True(Palette.Contrast(Palette.TextOn(fill), fill) >= 4.5, $"Level {level} of {levels} ({fill}): {Palette.TextOn(fill)} at {Palette.Contrast(Palette.TextOn(fill), fill):0.00}:1.");
        }
    }
}
