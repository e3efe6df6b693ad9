using Barometre.Core.Publication;
using Barometre.Core.Responses;

namespace Barometre.Core.Tests.Publication;

public sealed class PanelFilterTest
{
    private static readonly Respondent Rennes = new("R1", "Rennes", "Métropole", 230_000, "Bretagne");

    [Fact]
    public void Matches_EachDimensionOrAll()
    {
        Assert.True(PanelFilter.WholePanel.Matches(Rennes));
        Assert.True(new PanelFilter("Métropole").Matches(Rennes));
        Assert.True(new PanelFilter("Métropole", "Bretagne", "100000-250000").Matches(Rennes));
        Assert.False(new PanelFilter("Commune").Matches(Rennes));
        Assert.False(new PanelFilter(Region: "bretagne").Matches(Rennes));   // ordinal: case counts
        Assert.False(new PanelFilter(PopulationBand: "250000-plus").Matches(Rennes));
    }

    [Fact]
    public void Matches_MissingOrBlankValue_OnlyAll()
    {
        var unknown = new Respondent("R2", "Inconnue", " ", null, null);

        Assert.True(PanelFilter.WholePanel.Matches(unknown));
        // « non renseigné » is matched by no value, not even the blank the respondent has.
        Assert.False(new PanelFilter(" ").Matches(unknown));
        Assert.False(new PanelFilter(PopulationBand: "moins-20000").Matches(unknown));
        Assert.False(new PanelFilter("").Matches(unknown));
    }

    [Fact]
    public void Describe_FrenchWithMiddleDots()
    {
        Assert.Equal("ensemble du panel", PanelFilter.WholePanel.Describe());
        Assert.Equal("Métropole · Bretagne", new PanelFilter("Métropole", "Bretagne").Describe());
        Assert.Equal("Commune · moins de 20\u202F000 habitants", new PanelFilter("Commune", PopulationBand: "moins-20000").Describe());
        // An unknown band id is shown as given.
        Assert.Equal("Occitanie · xyz", new PanelFilter(Region: "Occitanie", PopulationBand: "xyz").Describe());
    }

    [Fact]
    public void IsWholePanel_OnlyWithoutAnyValue()
    {
        Assert.True(new PanelFilter().IsWholePanel);
        Assert.False(new PanelFilter(PopulationBand: "250000-plus").IsWholePanel);
    }
}
