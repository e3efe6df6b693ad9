using System.Globalization;

namespace Barometre.Data.Mail;

/// <summary>
/// When a collectivité that has not submitted gets a reminder: on each of <paramref name="DaysBefore"/> days before its
/// deadline (the questionnaire's, <see cref="Campaigns.EditRule.Deadline"/>), at most <paramref name="MaxReminders"/> in
/// all, and never within <paramref name="MinDaysBetween"/> days of its last message. A reminder missed (the server was
/// down on the day) is sent late, once: reminders never pile up.
/// </summary>
/// <param name="DaysBefore">Days before the deadline, largest first.</param>
/// <param name="MaxReminders">Reminders at most per collectivité.</param>
/// <param name="MinDaysBetween">Days at least between two messages to a collectivité.</param>
public sealed record ReminderSchedule(IReadOnlyList<int> DaysBefore, int MaxReminders, int MinDaysBetween)
{
    /// <summary>Limits of each setting, so that a typing slip cannot send a reminder a minute.</summary>
    public const int MaxDays = 365;

    /// <summary>14 and 3 days before the deadline, 2 at most, 5 days apart at least.</summary>
    public static ReminderSchedule Default { get; } = new([14, 3], 2, 5);

    /// <summary>« 14,3 ».</summary>
    public string DaysText => string.Join(",", DaysBefore.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The days of « 14, 3 » (commas, semicolons or spaces between), largest first; null when it is not a list of days.</summary>
    public static IReadOnlyList<int>? ParseDays(string? text)
    {
        var parts = (text ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var days = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > MaxDays)
            {
                return null;
            }
            days.Add(day);
        }
        return days.Count is 0 or > 10 ? null : [.. days.Distinct().OrderDescending()];
    }

    /// <summary>Why a schedule cannot be kept, in French; null when it can.</summary>
    public static string? Problem(string? days, int maxReminders, int minDaysBetween) =>
        ParseDays(days) is null ? $"Les jours de relance « {TextRules.Quote(days ?? "")} » doivent être de 1 à 10 nombres de jours avant la date limite, entre 1 et {MaxDays}, séparés par des virgules (« 14, 3 »)."
        : maxReminders is < 0 or > 10 ? "Le nombre maximal de relances doit être compris entre 0 et 10."
        : minDaysBetween is < 1 or > MaxDays ? $"L'intervalle minimal entre deux courriels doit être compris entre 1 et {MaxDays} jours."
        : null;

    /// <summary>
    /// Whether a collectivité that has not submitted is due a reminder at <paramref name="now"/>: before its deadline, once
    /// one more reminder day has come than it has had reminders, under the maximum, and far enough from its last message.
    /// </summary>
    /// <param name="deadline">Its deadline (UTC).</param>
    /// <param name="now">The time (UTC).</param>
    /// <param name="reminders">Reminders queued for it so far, whatever became of them.</param>
    /// <param name="lastMessageAt">When its last message was queued, or null.</param>
    public bool IsDue(DateTime deadline, DateTime now, int reminders, DateTime? lastMessageAt)
    {
        if (now >= deadline || reminders >= MaxReminders || (lastMessageAt is { } last && now - last < TimeSpan.FromDays(MinDaysBetween)))
        {
            return false;
        }
        var daysCome = DaysBefore.Count(d => deadline.AddDays(-d) <= now);
        return reminders < daysCome;
    }
}
