using System.Globalization;

namespace Barometre.Core;

/// <summary>
/// French typography for figures shown to readers: decimal comma, narrow no-break space before « % »
/// and between thousands (« 51 % », « 0,5 », « 40 000 »).
/// </summary>
/// <remarks>
/// The number format is built by hand rather than taken from the fr-FR culture so that output does
/// not depend on the ICU data of the machine (fr-FR uses U+202F for thousands only in recent ICU).
/// </remarks>
public static class FrenchFormat
{
    /// <summary>The narrow no-break space (U+202F) French typography puts before « % » and between thousands.</summary>
    public const char NarrowNoBreakSpace = '\u202F';

    /// <summary>Number formatting for French readers.</summary>
    public static NumberFormatInfo Numbers { get; } = CreateNumberFormat();

    /// <summary>A share in 0..1 as a rounded French percentage: 0.5128 → « 51 % ».</summary>
    /// <param name="share">The share, 0..1.</param>
    /// <param name="decimals">Decimals kept (0 by default).</param>
    public static string Percent(double share, int decimals = 0) =>
        Number(share * 100, decimals) + NarrowNoBreakSpace + "%";

    /// <summary>
    /// The parts of a whole as whole percentages that add up to 100 (largest remainder, Hamilton's
    /// method): each part gets ⌊100·count/total⌋, and the points still missing go one each to the parts
    /// with the largest remainders (ties: the larger part, then the earlier one). Rounding each share on
    /// its own may print 101 % or 99 % for a whole; this never does, and no part moves by a point or more
    /// from its exact share. All zeros when the total is 0.
    /// </summary>
    /// <param name="counts">The parts, non-negative; their sum is the whole.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative count.</exception>
    public static int[] WholePercents(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (var count in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
            total += count;
        }
        var percents = new int[counts.Length];
        if (total == 0)
        {
            return percents;
        }
        var given = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            percents[i] = (int)(counts[i] * 100 / total);
            given += percents[i];
        }
        var remainders = new long[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            remainders[i] = counts[i] * 100 % total;
        }
        var order = Enumerable.Range(0, counts.Length).ToArray();
        var parts = counts.ToArray();
        Array.Sort(order, (a, b) => remainders[a] != remainders[b] ? remainders[b].CompareTo(remainders[a]) : parts[a] != parts[b] ? parts[b].CompareTo(parts[a]) : a.CompareTo(b));
        for (var j = 0; given < 100; j++, given++)
        {
            percents[order[j]]++;
        }
        return percents;
    }

    /// <summary>
    /// The parts of a whole as French percentages that add up to « 100 % » (<see cref="WholePercents"/>):
    /// [10, 16, 14] → « 25 % », « 40 % », « 35 % ».
    /// </summary>
    public static string[] Percents(ReadOnlySpan<long> counts) =>
        [.. WholePercents(counts).Select(percent => Count(percent) + NarrowNoBreakSpace + "%")];

    /// <summary>
    /// A number in French rounded half away from zero to a fixed number of decimals: « 1 234,5 »;
    /// a value that rounds to zero is « 0 », never « −0 ».
    /// </summary>
    public static string Number(double value, int decimals)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0.0 : rounded).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Numbers);
    }

    /// <summary>
    /// A p-value as every output prints it: « p = 0,31 », « p = 0,004 » (three decimals under 0,01), « p &lt; 0,001 »;
    /// no-break spaces, so that « p = » never ends a line.
    /// </summary>
    public static string PValue(double p) =>
        p < 0.001 ? "p\u00A0<\u00A00,001" : $"p\u00A0=\u00A0{Number(p, p < 0.01 ? 3 : 2)}";

    /// <summary>A count in French: « 40 000 ».</summary>
    public static string Count(long value) => value.ToString("N0", Numbers);

    /// <summary>
    /// A count with its noun, agreed the French way — singular up to one, plural from two: « 0 question renseignée »,
    /// « 1 question renseignée », « 2 questions renseignées », « 40 000 collectivités ».
    /// </summary>
    /// <param name="count">The count.</param>
    /// <param name="singular">The noun (and what agrees with it) for up to one.</param>
    /// <param name="plural">The noun for two and more.</param>
    public static string Plural(long count, string singular, string plural) => $"{Count(count)} {(count > 1 ? plural : singular)}";

    private static readonly string[] Months =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    /// <summary>A date in French: « 1er novembre 2019 », « 29 novembre 2026 ».</summary>
    public static string Date(DateOnly date) =>
        $"{(date.Day == 1 ? "1er" : date.Day.ToString(CultureInfo.InvariantCulture))} {Months[date.Month - 1]} {date.Year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A month in French: « novembre 2026 ».</summary>
    public static string Month(DateOnly date) => $"{Months[date.Month - 1]} {date.Year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A time of day in French, to the minute: « 14 h 05 », « 09 h 30 ».</summary>
    public static string Time(TimeOnly time) =>
        time.ToString("HH", CultureInfo.InvariantCulture) + NarrowNoBreakSpace + "h" + NarrowNoBreakSpace + time.ToString("mm", CultureInfo.InvariantCulture);

    private static NumberFormatInfo CreateNumberFormat()
    {
        var format = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        format.NumberGroupSeparator = NarrowNoBreakSpace.ToString();
        format.NumberDecimalSeparator = ",";
        format.NegativeSign = "−";
        return NumberFormatInfo.ReadOnly(format);
    }
}
