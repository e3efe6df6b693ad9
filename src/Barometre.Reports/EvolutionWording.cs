using Barometre.Core;
using Barometre.Core.Evolution;

namespace Barometre.Reports;

/// <summary>How the reports write a change between editions: signed points, p-values and significance in plain French.</summary>
public static class EvolutionWording
{
    /// <summary>A signed change in points, « +6,5 points », « −0,5 point », « 0 point »; « — » when undefined.</summary>
    /// <param name="delta">The change: score points (0–100), or a share's change (0–1) when <paramref name="share"/>.</param>
    /// <param name="share">Whether <paramref name="delta"/> is a change of a share, written in percentage points.</param>
    public static string Points(double? delta, bool share = false)
    {
        if (delta is not { } d)
        {
            return "—";
        }
        var (rounded, text) = Round(d, share);
        // French takes the singular below 2: « 0,5 point », « 1 point », « 2 points »; a no-break space keeps the unit with its number.
        return $"{text}\u00A0{(Math.Abs(rounded) < 2 ? "point" : "points")}";
    }

    /// <summary>A signed change without its unit, « +6,5 », « −2 » (percentage points when <paramref name="share"/>); « — » when undefined.</summary>
    public static string SignedNumber(double? delta, bool share = false) => delta is { } d ? Round(d, share).Text : "—";

    /// <summary>The interval of a change, « de +2,1 à +10,8 points », or « — ».</summary>
    public static string Interval(Core.Results.Interval ci95, bool share = false) =>
        ci95 is { Low: { } low, High: { } high } ? $"de {Round(low, share).Text} à {Points(high, share)}" : "—";

    /// <summary>The test that decides significance: the paired one when collectivités are in both editions, else the unpaired one.</summary>
    public static ChangeTest DecidingTest(MeasureChange change) => change.Paired.N > 0 ? change.Paired : change.Unpaired;

    /// <summary>
    /// The change's significance in plain French: « hausse significative (p = 0,004) », « baisse significative (p &lt; 0,001) »,
    /// « évolution non significative (p = 0,31) », or why it cannot be said.
    /// </summary>
    public static string Significance(MeasureChange change)
    {
        if (change.Delta is null)
        {
            return "évolution non mesurable";
        }
        if (DecidingTest(change).PValue is not { } p)
        {
            return "évolution non testable";
        }
        if (!change.IsSignificant)
        {
            return $"évolution non significative ({FrenchFormat.PValue(p)})";
        }
        return $"{(change.Delta > 0 ? "hausse" : "baisse")} significative ({FrenchFormat.PValue(p)})";
    }

    private static (double Rounded, string Text) Round(double delta, bool share)
    {
        var decimals = share ? 0 : 1;
        var value = share ? delta * 100 : delta;
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return (rounded, (rounded > 0 ? "+" : "") + FrenchFormat.Number(value, decimals));
    }
}
