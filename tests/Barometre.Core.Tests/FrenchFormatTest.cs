namespace Barometre.Core.Tests;

public sealed class FrenchFormatTest
{
    [Fact]
    public void NarrowNoBreakSpace_IsU202F()
    {
        Assert.Equal('\u202F', FrenchFormat.NarrowNoBreakSpace);
    }

    [Theory]
    [InlineData(0.5128, "51\u202F%")]
    [InlineData(0.0, "0\u202F%")]
    [InlineData(1.0, "100\u202F%")]
    [InlineData(0.004, "0\u202F%")]
    [InlineData(0.999, "100\u202F%")]
    [InlineData(0.125, "13\u202F%")] // 12.5 rounds away from zero, not to even
    [InlineData(0.5, "50\u202F%")]
    public void Percent_RoundsToWholePercent(double share, string expected)
    {
        Assert.Equal(expected, FrenchFormat.Percent(share));
    }

    [Theory]
    [InlineData(0.135, 1, "13,5\u202F%")]
    [InlineData(0.5128, 1, "51,3\u202F%")]
    [InlineData(0.5128, 2, "51,28\u202F%")]
    [InlineData(0.05, 1, "5,0\u202F%")]
    [InlineData(12.345, 0, "1\u202F235\u202F%")]
    public void Percent_WithDecimals(double share, int decimals, string expected)
    {
        Assert.Equal(expected, FrenchFormat.Percent(share, decimals));
    }

    [Theory]
    [InlineData(1234.5, 1, "1\u202F234,5")]
    [InlineData(0.5, 1, "0,5")]
    [InlineData(1234567.891, 2, "1\u202F234\u202F567,89")]
    [InlineData(999.0, 0, "999")]
    [InlineData(1000.0, 0, "1\u202F000")]
    [InlineData(2.25, 3, "2,250")]
    public void Number_UsesCommaAndNarrowSpaces(double value, int decimals, string expected)
    {
        Assert.Equal(expected, FrenchFormat.Number(value, decimals));
    }

    [Theory]
    [InlineData(40000L, "40\u202F000")]
    [InlineData(0L, "0")]
    [InlineData(39L, "39")]
    [InlineData(1234567L, "1\u202F234\u202F567")]
    public void Count_GroupsThousands(long value, string expected)
    {
        Assert.Equal(expected, FrenchFormat.Count(value));
    }

    [Theory]
    [InlineData(0L, "0 question renseignée")]
    [InlineData(1L, "1 question renseignée")]
    [InlineData(2L, "2 questions renseignées")]
    [InlineData(40000L, "40\u202F000 questions renseignées")]
    public void Plural_IsSingularUpToOneAndPluralFromTwo(long count, string expected)
    {
        Assert.Equal(expected, FrenchFormat.Plural(count, "question renseignée", "questions renseignées"));
    }

    [Theory]
    [InlineData(14, 5, "14\u202Fh\u202F05")]
    [InlineData(9, 30, "09\u202Fh\u202F30")]
    [InlineData(0, 0, "00\u202Fh\u202F00")]
    [InlineData(23, 59, "23\u202Fh\u202F59")]
    public void Time_HoursAndMinutesWithNarrowSpaces(int hour, int minute, string expected)
    {
        Assert.Equal(expected, FrenchFormat.Time(new TimeOnly(hour, minute, 42)));
    }

    [Fact]
    public void Number_Negative_UsesMinusSign()
    {
        // The format's negative sign is U+2212 (−), not the hyphen-minus.
        Assert.Equal("\u22121\u202F234,5", FrenchFormat.Number(-1234.5, 1));
        Assert.Equal("\u22120,25", FrenchFormat.Number(-0.25, 2));
    }

    [Fact]
    public void Count_Negative_UsesMinusSign()
    {
        Assert.Equal("\u221240\u202F000", FrenchFormat.Count(-40000));
    }

    [Fact]
    public void Percent_Negative_UsesMinusSign()
    {
        // −0.135 → −13.5 → rounded away from zero to −14
        Assert.Equal("\u221214\u202F%", FrenchFormat.Percent(-0.135));
        Assert.Equal("\u22125,0\u202F%", FrenchFormat.Percent(-0.05, 1));
    }

    [Fact]
    public void Numbers_IsReadOnlyFrenchFormat()
    {
        Assert.True(FrenchFormat.Numbers.IsReadOnly);
        Assert.Equal(",", FrenchFormat.Numbers.NumberDecimalSeparator);
        Assert.Equal("\u202F", FrenchFormat.Numbers.NumberGroupSeparator);
    }

    [Fact]
    public void Format_DoesNotDependOnCurrentCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("en-US");
            Assert.Equal("1\u202F234,5", FrenchFormat.Number(1234.5, 1));
            Assert.Equal("51\u202F%", FrenchFormat.Percent(0.5128));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(0.31, "p = 0,31")]
    [InlineData(0.0104, "p = 0,01")]
    [InlineData(0.0099, "p = 0,010")]
    [InlineData(0.004, "p = 0,004")]
    [InlineData(0.001, "p = 0,001")]
    [InlineData(0.000999, "p < 0,001")]
    [InlineData(1.0, "p = 1,00")]
    public void PValue_TwoDecimalsThenThreeThenABound_WithNoBreakSpaces(double p, string expected)
    {
        var text = FrenchFormat.PValue(p);

        Assert.Equal(expected, text.Replace('\u00A0', ' '));
        Assert.DoesNotContain(' ', text);
    }

    // Expected by an independent largest-remainder rounding:
    // python3 -c "
    // import numpy as np
    // def lr(c):
    //     c = np.array(c); q = c * 100 / c.sum(); f = np.floor(q).astype(int); r = q - f
    //     for i in sorted(range(len(c)), key=lambda i: (-round(r[i], 12), -c[i], i))[:100 - f.sum()]: f[i] += 1
    //     return f.tolist()
    // print([lr(c) for c in [[11, 15, 14], [10, 16, 14], [1, 1, 1], [2, 1], [1, 2, 3, 4, 5, 6, 7], [40]]])"
    [Theory]
    [InlineData(new long[] { 11, 15, 14 }, new[] { 27, 38, 35 })] // rounded one by one: 28 + 38 + 35 = 101
    [InlineData(new long[] { 10, 16, 14 }, new[] { 25, 40, 35 })]
    [InlineData(new long[] { 1, 1, 1 }, new[] { 34, 33, 33 })]
    [InlineData(new long[] { 2, 1 }, new[] { 67, 33 })]
    [InlineData(new long[] { 1, 2, 3, 4, 5, 6, 7 }, new[] { 4, 7, 11, 14, 18, 21, 25 })]
    [InlineData(new long[] { 40 }, new[] { 100 })]
    [InlineData(new long[] { 0, 0 }, new[] { 0, 0 })]
    public void WholePercents_AddUpTo100(long[] counts, int[] expected)
    {
        var percents = FrenchFormat.WholePercents(counts);

        Assert.Equal(expected, percents);
        Assert.Equal(counts.Sum() == 0 ? 0 : 100, percents.Sum());
    }

    [Fact]
    public void Percents_FrenchText() =>
        Assert.Equal(["27\u202F%", "38\u202F%", "35\u202F%"], FrenchFormat.Percents([11, 15, 14]));

    [Fact]
    public void WholePercents_NegativeCount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FrenchFormat.WholePercents([3, -1]));
}
