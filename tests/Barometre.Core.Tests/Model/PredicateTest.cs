using Barometre.Core.Model;

namespace Barometre.Core.Tests.Model;

public sealed class PredicateTest
{
    [Theory]
    [InlineData(">= 3", Comparison.AtLeast, 3)]
    [InlineData(">=3", Comparison.AtLeast, 3)]
    [InlineData(" <= 1 ", Comparison.AtMost, 1)]
    [InlineData("<=1", Comparison.AtMost, 1)]
    [InlineData("= 0", Comparison.Exactly, 0)]
    [InlineData("=4", Comparison.Exactly, 4)]
    [InlineData("\t>=   2\t", Comparison.AtLeast, 2)]
    [InlineData(">= 10", Comparison.AtLeast, 10)]
    public void TryParse_Valid_Parses(string text, Comparison comparison, int threshold)
    {
        Assert.True(Predicate.TryParse(text, out var predicate));
        Assert.Equal(comparison, predicate.Comparison);
        Assert.Equal(threshold, predicate.Threshold);
    }

    [Theory]
    [InlineData(">> 3")]
    [InlineData("=> 3")]
    [InlineData(">= -1")]
    [InlineData(">= x")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(">=")]
    [InlineData("> 3")]
    [InlineData("< 3")]
    [InlineData("3")]
    [InlineData(">= 3.5")]
    [InlineData(">= 3 4")]
    [InlineData("== 3")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(Predicate.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(Predicate.TryParse(null, out _));
    }

    [Theory]
    [InlineData(">=3", ">= 3")]
    [InlineData(" <= 1 ", "<= 1")]
    [InlineData("=0", "= 0")]
    [InlineData(">=   2", ">= 2")]
    public void ToString_IsCanonical(string text, string canonical)
    {
        Assert.True(Predicate.TryParse(text, out var predicate));
        Assert.Equal(canonical, predicate.ToString());
    }

    [Fact]
    public void ToString_RoundTrips()
    {
        foreach (var comparison in new[] { Comparison.AtLeast, Comparison.AtMost, Comparison.Exactly })
        {
            var predicate = new Predicate(comparison, 2);
            Assert.True(Predicate.TryParse(predicate.ToString(), out var parsed));
            Assert.Equal(predicate, parsed);
        }
    }

    [Theory]
    [InlineData(Comparison.AtLeast, 3, 2, false)]
    [InlineData(Comparison.AtLeast, 3, 3, true)]
    [InlineData(Comparison.AtLeast, 3, 4, true)]
    [InlineData(Comparison.AtMost, 1, 0, true)]
    [InlineData(Comparison.AtMost, 1, 1, true)]
    [InlineData(Comparison.AtMost, 1, 2, false)]
    [InlineData(Comparison.Exactly, 0, 0, true)]
    [InlineData(Comparison.Exactly, 0, 1, false)]
    [InlineData(Comparison.Exactly, 2, 1, false)]
    [InlineData(Comparison.Exactly, 2, 3, false)]
    public void IsSatisfiedBy_ComparesLevelWithThreshold(Comparison comparison, int threshold, int level, bool expected)
    {
        Assert.Equal(expected, new Predicate(comparison, threshold).IsSatisfiedBy(level));
    }

    [Fact]
    public void Constructor_NegativeThreshold_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Predicate(Comparison.AtLeast, -1));
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.True(Predicate.TryParse(">=3", out var a));
        Assert.True(Predicate.TryParse(" >= 3 ", out var b));
        Assert.Equal(a, b);
        Assert.NotEqual(a, new Predicate(Comparison.AtMost, 3));
    }
}
