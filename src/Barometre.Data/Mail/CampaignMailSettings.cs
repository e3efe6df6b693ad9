namespace Barometre.Data.Mail;

/// <summary>
/// A campaign's e-mail: its templates (null for the default French text) and its reminder schedule. One row per campaign,
/// made when the operator first saves it.
/// </summary>
public sealed class CampaignMailSettings
{
    public int CampaignId { get; set; }

    /// <summary>Who organises the barometer, as <c>{organisateur}</c> says it; null for the campaign's contact.</summary>
    public string? Organiser { get; set; }

    public string? InvitationSubject { get; set; }

    public string? InvitationText { get; set; }

    public string? InvitationHtml { get; set; }

    public string? ReminderSubject { get; set; }

    public string? ReminderText { get; set; }

    public string? ReminderHtml { get; set; }

    /// <summary>Whether the server sends the reminders of the schedule by itself.</summary>
    public bool AutomaticReminders { get; set; }

    /// <summary>Days before each collectivité's deadline when a reminder is due, « 14,3 » (<see cref="ReminderSchedule"/>).</summary>
    public string ReminderDays { get; set; } = ReminderSchedule.Default.DaysText;

    /// <summary>Reminders at most per collectivité.</summary>
    public int MaxReminders { get; set; } = ReminderSchedule.Default.MaxReminders;

    /// <summary>No reminder within this many days of the collectivité's last message.</summary>
    public int MinDaysBetween { get; set; } = ReminderSchedule.Default.MinDaysBetween;

    /// <summary>The site's root address automatic reminders' links start with: the one of the operator's last send.</summary>
    public string? SiteUrl { get; set; }

    /// <summary>The schedule these settings hold.</summary>
    public ReminderSchedule Schedule => new(ReminderSchedule.ParseDays(ReminderDays) ?? ReminderSchedule.Default.DaysBefore, MaxReminders, MinDaysBetween);
}
