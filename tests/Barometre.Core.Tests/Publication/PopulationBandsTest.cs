using Barometre.Core.Publication;

namespace Barometre.Core.Tests.Publication;

public sealed class PopulationBandsTest
{
    [Theory]
    [InlineData(0L, "moins-20000")]
    [InlineData(19_999L, "moins-20000")]
    [InlineData(20_000L, "20000-50000")]
    [InlineData(49_999L, "20000-50000")]
    [InlineData(50_000L, "50000-100000")]
    [InlineData(99_999L, "50000-100000")]
    [InlineData(100_000L, "100000-250000")]
    [InlineData(249_999L, "100000-250000")]
    [InlineData(250_000L, "250000-plus")]
    [InlineData(long.MaxValue, "250000-plus")]
    public void Of_Boundaries_LowerBoundInclusive(long population, string expected)
    {
        Assert.Equal(expected, PopulationBands.Of(population)!.Id);
    }

    [Fact]
    public void Of_MissingOrNegative_NoBand()
    {
        Assert.Null(PopulationBands.Of(null));
        Assert.Null(PopulationBands.Of(-1));
    }

    [Fact]
    public void All_IdsLabelsAndBounds()
    {
        const char Nnbsp = '\u202F';
        Assert.Equal(
            [
                ("moins-20000", $"moins de 20{Nnbsp}000 habitants", 0L, (long?)20_000),
                ("20000-50000", $"de 20{Nnbsp}000 à 49{Nnbsp}999 habitants", 20_000L, 50_000),
                ("50000-100000", $"de 50{Nnbsp}000 à 99{Nnbsp}999 habitants", 50_000L, 100_000),
                ("100000-250000", $"de 100{Nnbsp}000 à 249{Nnbsp}999 habitants", 100_000L, 250_000),
                ("250000-plus", $"250{Nnbsp}000 habitants ou plus", 250_000L, null),
            ],
            PopulationBands.All.Select(b => (b.Id, b.Label, b.Minimum, b.MaximumExclusive)));
    }

    [Fact]
    public void Find_ById_Ordinal()
    {
        Assert.Same(PopulationBands.All[2], PopulationBands.Find("50000-100000"));
        Assert.Null(PopulationBands.Find("50000-100000 "));
        Assert.Null(PopulationBands.Find("MOINS-20000"));
        Assert.Null(PopulationBands.Find(null));
    }

    [Fact]
    public void Contains_OpenTopBand()
    {
        Assert.True(PopulationBands.All[^1].Contains(10_000_000));
        Assert.False(PopulationBands.All[0].Contains(20_000));
    }
}
