using System.Globalization;
using Barometre.Core;

namespace Barometre.Web.Pages.Admin;

/// <summary>
/// Dates and times of the operator pages: stored in UTC, shown and entered in Paris time, written the
/// French way (« 29 novembre 2026 à 14 h 05 »).
/// </summary>
public static class AdminFormat
{
    /// <summary>The time zone operators read and enter times in.</summary>
    public static TimeZoneInfo Paris { get; } = FindParis();

    /// <summary>A UTC time in Paris time.</summary>
    public static DateTime ToParis(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Paris);

    /// <summary>The Paris date of a UTC time: « 29 novembre 2026 ».</summary>
    public static string Date(DateTime utc) => FrenchFormat.Date(DateOnly.FromDateTime(ToParis(utc)));

    /// <summary>The Paris date and time of a UTC time: « 29 novembre 2026 à 14 h 05 ».</summary>
    public static string DateAndTime(DateTime utc)
    {
        var local = ToParis(utc);
        return $"{FrenchFormat.Date(DateOnly.FromDateTime(local))} à {Time(local)}";
    }

    /// <summary>A Paris time of day, « 14 h 05 ».</summary>
    public static string Time(DateTime local) =>
        local.ToString("HH", CultureInfo.InvariantCulture) + FrenchFormat.NarrowNoBreakSpace + "h" + FrenchFormat.NarrowNoBreakSpace + local.ToString("mm", CultureInfo.InvariantCulture);

    /// <summary>Today in Paris.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(ToParis(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>A UTC time as an <c>input type=datetime-local</c> value in Paris time.</summary>
    public static string InputValue(DateTime utc) => ToParis(utc).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    /// <summary>
    /// Reads a Paris date and time as entered in a form (« 2026-12-15T18:00 »; a date alone means the
    /// end of that day, 23 h 59) into UTC; null with the reason, in French, when it cannot be read.
    /// </summary>
    public static (DateTime? Utc, string? Error) ParseParis(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "Indiquez la date et l'heure de fin de la relecture.");
        }
        var trimmed = text.Trim();
        if (!DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return (null, $"Date « {trimmed} » illisible : attendu par exemple 2026-12-15T18:00.");
        }
        if (trimmed.Length == "yyyy-MM-dd".Length)
        {
            local = local.AddHours(23).AddMinutes(59);
        }
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Paris.IsInvalidTime(local))
        {
            return (null, $"Le {FrenchFormat.Date(DateOnly.FromDateTime(local))} à {Time(local)} n'existe pas à Paris (passage à l'heure d'été) : choisissez une autre heure.");
        }
        return (TimeZoneInfo.ConvertTimeToUtc(local, Paris), null);
    }

    private static TimeZoneInfo FindParis()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Windows without ICU time-zone names.
            return TimeZoneInfo.FindSystemTimeZoneById("Romance Standard Time");
        }
    }
}
