using System.Globalization;
using System.Text;
using Barometre.Core.Responses;

namespace Barometre.Core.Publication;

/// <summary>
/// A filter of published results: a type of collectivité, a region and a population band, each null
/// for « all ». The filtered results are the barometer of the respondents the filter matches.
/// </summary>
/// <remarks>
/// Values compare ordinally with the respondents' (<see cref="Respondent.Type"/>, <see cref="Respondent.Region"/>,
/// the <see cref="PopulationBands"/> id of <see cref="Respondent.Population"/>). A respondent whose value is
/// missing or blank is « non renseigné » for that dimension and matches only « all »; there is no filter for
/// « non renseigné ». A value nobody has (including the empty string) matches nobody.
/// </remarks>
/// <param name="Type">The type of collectivité, or null for all types.</param>
/// <param name="Region">The region, or null for all regions.</param>
/// <param name="PopulationBand">The id of a <see cref="Publication.PopulationBand"/>, or null for all sizes.</param>
public sealed record PanelFilter(string? Type = null, string? Region = null, string? PopulationBand = null)
{
    /// <summary>The filter that keeps the whole panel.</summary>
    public static PanelFilter WholePanel { get; } = new();

    /// <summary>Whether the filter keeps the whole panel (no dimension fixed).</summary>
    public bool IsWholePanel => Type is null && Region is null && PopulationBand is null;

    /// <summary>Whether a respondent is kept by the filter.</summary>
    public bool Matches(Respondent respondent)
    {
        ArgumentNullException.ThrowIfNull(respondent);
        return Keeps(Type, respondent.Type)
            && Keeps(Region, respondent.Region)
            && Keeps(PopulationBand, PopulationBands.Of(respondent.Population)?.Id);
    }

    /// <summary>
    /// The filter in French for titles and notes: the fixed values joined by « · » in the order type, region,
    /// band (the band by its label), for example « Métropole · Bretagne »; « ensemble du panel » when none is fixed.
    /// </summary>
    /// <remarks>Type and region values are shown as the panel spells them (no plural is made up).</remarks>
    public string Describe()
    {
        var parts = new List<string>(3);
        if (Type is not null)
        {
            parts.Add(Type);
        }
        if (Region is not null)
        {
            parts.Add(Region);
        }
        if (PopulationBand is not null)
        {
            parts.Add(PopulationBands.Find(PopulationBand)?.Label ?? PopulationBand);
        }
        return parts.Count == 0 ? "ensemble du panel" : string.Join(" · ", parts);
    }

    /// <summary>A respondent's value for a dimension, or null when missing or blank (« non renseigné »).</summary>
    internal static string? Known(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool Keeps(string? wanted, string? value) =>
        wanted is null || (Known(value) is { } known && string.Equals(known, wanted, StringComparison.Ordinal));
}

/// <summary>The display order of type and region values: alphabetical ignoring accents and case, then ordinal.</summary>
/// <remarks>
/// Built by hand rather than from the fr-FR collation so that the order does not depend on the machine's ICU
/// data: « Île-de-France » sorts with the I, not after « Provence-Alpes-Côte d'Azur » as ordinal order would.
/// </remarks>
internal sealed class FrenchValueOrder : IComparer<string>
{
    public static FrenchValueOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var folded = string.CompareOrdinal(Fold(x), Fold(y));
        return folded != 0 ? folded : string.CompareOrdinal(x, y);
    }

    private static string? Fold(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToUpperInvariant(c));
            }
        }
        return folded.ToString();
    }
}
