namespace Barometre.Core.Publication;

/// <summary>A population size class of collectivités, as published filters offer them.</summary>
/// <param name="Id">The stable id used in filters and URLs, for example <c>"20000-50000"</c>.</param>
/// <param name="Label">The French label, for example « de 20 000 à 49 999 habitants » (U+202F between thousands).</param>
/// <param name="Minimum">The smallest population of the band (inclusive).</param>
/// <param name="MaximumExclusive">The population the band stops below, or null for the open top band.</param>
public sealed record PopulationBand(string Id, string Label, long Minimum, long? MaximumExclusive)
{
    /// <summary>Whether a population falls in the band.</summary>
    public bool Contains(long population) => population >= Minimum && (MaximumExclusive is not { } maximum || population < maximum);
}

/// <summary>
/// The population bands of published filters, the usual French size classes: fewer than 20 000,
/// 20 000 to 49 999, 50 000 to 99 999, 100 000 to 249 999, 250 000 and more.
/// </summary>
/// <remarks>
/// A collectivité without a population, or with a negative one (an input error), has no band: it is
/// « non renseigné » for this dimension and is matched by no band filter.
/// </remarks>
public static class PopulationBands
{
    /// <summary>Every band, by increasing population.</summary>
    public static IReadOnlyList<PopulationBand> All { get; } =
    [
        new("moins-20000", $"moins de {FrenchFormat.Count(20_000)} habitants", 0, 20_000),
        new("20000-50000", $"de {FrenchFormat.Count(20_000)} à {FrenchFormat.Count(49_999)} habitants", 20_000, 50_000),
        new("50000-100000", $"de {FrenchFormat.Count(50_000)} à {FrenchFormat.Count(99_999)} habitants", 50_000, 100_000),
        new("100000-250000", $"de {FrenchFormat.Count(100_000)} à {FrenchFormat.Count(249_999)} habitants", 100_000, 250_000),
        new("250000-plus", $"{FrenchFormat.Count(250_000)} habitants ou plus", 250_000, null),
    ];

    /// <summary>The band of a population; null when the population is missing or negative.</summary>
    public static PopulationBand? Of(long? population)
    {
        if (population is not { } value || value < 0)
        {
            return null;
        }
        foreach (var band in All)
        {
            if (band.Contains(value))
            {
                return band;
            }
        }
        return null;
    }

    /// <summary>The band with this id (ordinal comparison), or null.</summary>
    public static PopulationBand? Find(string? id) => IndexOf(id) is >= 0 and var i ? All[i] : null;

    /// <summary>The position of a band id in <see cref="All"/>, or −1.</summary>
    internal static int IndexOf(string? id)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i].Id, id, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
