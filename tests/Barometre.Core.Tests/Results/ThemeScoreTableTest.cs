using Barometre.Core.Results;

namespace Barometre.Core.Tests.Results;

public sealed class ThemeScoreTableTest
{
    private static readonly ThemeScoreTable Table = new(["a", "b", "c"], [10, double.NaN, 30, 40, 50, double.PositiveInfinity]);

    [Fact]
    public void Row_ReadsAsADictionaryInThemeOrder()
    {
        var row = Table.Row(1);

        Assert.Equal(3, row.Count);
        Assert.Equal(["a", "b", "c"], row.Keys);
        Assert.Equal([40, 50, null], row.Values);
        Assert.Equal([new("a", 40), new("b", 50), new KeyValuePair<string, double?>("c", null)], row);
        Assert.Equal(50, row["b"]);
        Assert.Equal(50, ((IReadOnlyDictionary<string, double?>)row).GetValueOrDefault("b"));
    }

    [Fact]
    public void Row_NonFiniteScore_IsNull()
    {
        var row = Table.Row(0);

        Assert.True(row.TryGetValue("b", out var score));
        Assert.Null(score);
        Assert.Null(row["b"]);
        Assert.Equal(10, row.ScoreAt(0));
    }

    [Fact]
    public void Row_UnknownTheme_IsMissingAsInADictionary()
    {
        var row = Table.Row(0);

        Assert.False(row.ContainsKey("A"));
        Assert.False(row.TryGetValue("z", out _));
        Assert.Null(((IReadOnlyDictionary<string, double?>)row).GetValueOrDefault("z"));
        Assert.Throws<KeyNotFoundException>(() => row["z"]);
        Assert.Throws<ArgumentNullException>(() => row.ContainsKey(null!));
    }
}
