using Barometre.Data.Mail;

namespace Barometre.Data.Tests.Mail;

public sealed class ReminderScheduleTest
{
    private static readonly DateTime Deadline = new(2027, 3, 31, 12, 0, 0, DateTimeKind.Utc);

    private static readonly ReminderSchedule Schedule = new([14, 3], MaxReminders: 2, MinDaysBetween: 5);

    [Theory]
    [InlineData(-15, 0, null, false)] // before the first reminder day
    [InlineData(-14, 0, null, true)] // on it
    [InlineData(-10, 0, null, true)] // missed on the day: sent late
    [InlineData(-10, 1, null, false)] // the first was sent; the second's day has not come
    [InlineData(-3, 1, -14, true)]
    [InlineData(-3, 1, -5, false)] // too close to the last message
    [InlineData(-1, 1, -6, true)] // five days after the last message
    [InlineData(-3, 0, -20, true)] // two days come, none sent: one reminder, never two at once
    [InlineData(-2, 2, -10, false)] // the maximum reached
    [InlineData(0, 0, -20, false)] // the deadline passed
    public void IsDue(int daysFromDeadline, int reminders, int? lastMessageDays, bool due) =>
        Assert.Equal(due, Schedule.IsDue(Deadline, Deadline.AddDays(daysFromDeadline), reminders, lastMessageDays is { } d ? Deadline.AddDays(d) : null));

    [Fact]
    public void IsDue_NeverMoreThanTheMaximum()
    {
        var oneOnly = Schedule with { MaxReminders = 1 };
        Assert.False(oneOnly.IsDue(Deadline, Deadline.AddDays(-3), 1, Deadline.AddDays(-14)));
    }

    [Theory]
    [InlineData("14,3", new[] { 14, 3 })]
    [InlineData(" 3; 14 7 ", new[] { 14, 7, 3 })]
    [InlineData("3,3", new[] { 3 })]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("366", null)]
    [InlineData("14,-3", null)]
    [InlineData("quatorze", null)]
    public void ParseDays(string text, int[]? expected) => Assert.Equal(expected, ReminderSchedule.ParseDays(text));

    [Fact]
    public void Problem_SaysWhatIsExpected()
    {
        Assert.Null(ReminderSchedule.Problem("14, 3", 2, 5));
        Assert.Equal("Les jours de relance « 14 jours » doivent être de 1 à 10 nombres de jours avant la date limite, entre 1 et 365, séparés par des virgules (« 14, 3 »).",
            ReminderSchedule.Problem("14 jours", 2, 5));
        Assert.Equal("Le nombre maximal de relances doit être compris entre 0 et 10.", ReminderSchedule.Problem("14", 11, 5));
        Assert.Equal("L'intervalle minimal entre deux courriels doit être compris entre 1 et 365 jours.", ReminderSchedule.Problem("14", 2, 0));
    }
}
