using Barometre.Core;
using Barometre.Core.Results;

namespace Barometre.Reports;

/// <summary>Figures as readers see them in the reports (French typography, « — » for undefined).</summary>
public static class Format
{
    /// <summary>A score on 100 with one decimal, or « — ».</summary>
    public static string Score(double? score, int decimals = 1) => score is { } s ? FrenchFormat.Number(s, decimals) : "—";

    /// <summary>A share as a percentage, or « — ».</summary>
    public static string Percent(double? share) => share is { } s ? FrenchFormat.Percent(s) : "—";

    /// <summary>A score interval « 61,2 – 70,4 », or « — ».</summary>
    public static string Interval(Interval interval) =>
        interval is { Low: { } low, High: { } high } ? $"{FrenchFormat.Number(low, 1)} – {FrenchFormat.Number(high, 1)}" : "—";

    /// <summary>A share interval « 36 % – 66 % », or « — ».</summary>
    public static string PercentInterval(Interval interval) =>
        interval is { Low: { } low, High: { } high } ? $"{FrenchFormat.Percent(low)} – {FrenchFormat.Percent(high)}" : "—";

    /// <summary>
    /// An ordinal rank in French with its superscript letters (modifier letters, so that they stay raised
    /// in any font, in plain text and in the PDF's text): « 1ᵉʳ », « 2ᵉ ».
    /// </summary>
    public static string Ordinal(int rank) => rank == 1 ? "1\u1D49\u02B3" : $"{rank}\u1D49";
}
