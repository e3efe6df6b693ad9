using System.Globalization;

namespace Barometre.Core;

/// <summary>
/// Paris time, the time readers see and operators enter: instants are stored in UTC, shown in Paris time
/// the French way (« 29 novembre 2026 à 14 h 05 ») and read back from the text of a form or of the command line.
/// </summary>
/// <remarks>
/// Nothing here reads the system clock: « today » is asked of the <see cref="TimeProvider"/> the caller holds,
/// so that tests and the app agree on the date.
/// </remarks>
public static class ParisTime
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    /// <summary>The Europe/Paris time zone.</summary>
    public static TimeZoneInfo Zone { get; } = FindParis();

    /// <summary>A UTC instant as the Paris wall-clock time (whatever its <see cref="DateTime.Kind"/>, the instant is read as UTC).</summary>
    public static DateTime FromUtc(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Today in Paris, by <paramref name="clock"/>.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(FromUtc(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>The Paris date of a UTC instant: « 29 novembre 2026 ».</summary>
    public static string Date(DateTime utc) => FrenchFormat.Date(DateOnly.FromDateTime(FromUtc(utc)));

    /// <summary>The Paris time of day of a UTC instant: « 14 h 05 ».</summary>
    public static string Time(DateTime utc) => FrenchFormat.Time(TimeOnly.FromDateTime(FromUtc(utc)));

    /// <summary>The Paris date and time of a UTC instant: « 29 novembre 2026 à 14 h 05 ».</summary>
    public static string DateAndTime(DateTime utc)
    {
        var local = FromUtc(utc);
        return $"{FrenchFormat.Date(DateOnly.FromDateTime(local))} à {FrenchFormat.Time(TimeOnly.FromDateTime(local))}";
    }

    /// <summary>
    /// A UTC instant as Paris text to the minute, « 2026-12-15T18:00 »: the value of an HTML
    /// <c>input type=datetime-local</c>, and a text <see cref="ParseDeadline"/> reads back.
    /// </summary>
    public static string LocalText(DateTime utc) => FromUtc(utc).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a deadline entered in Paris time — the end of a campaign's review, from the operator's form or
    /// <c>--review-until</c> — into UTC: « 2026-12-15T18:00 » (seconds and a space instead of « T » allowed), or
    /// a date alone for the end of that day, 23 h 59.
    /// </summary>
    /// <returns>The UTC instant, or null with the reason in French: text missing or unreadable, or a time that
    /// does not exist in Paris (skipped when clocks go forward). A time that occurs twice when clocks go back is
    /// read as the second one (standard time).</returns>
    public static (DateTime? Utc, string? Error) ParseDeadline(string? text)
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
        if (Zone.IsInvalidTime(local))
        {
            return (null, $"Le {FrenchFormat.Date(DateOnly.FromDateTime(local))} à {FrenchFormat.Time(TimeOnly.FromDateTime(local))} n'existe pas à Paris (passage à l'heure d'été) : choisissez une autre heure.");
        }
        return (TimeZoneInfo.ConvertTimeToUtc(local, Zone), null);
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
