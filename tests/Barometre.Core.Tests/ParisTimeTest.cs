using Microsoft.Extensions.Time.Testing;

namespace Barometre.Core.Tests;

public sealed class ParisTimeTest
{
    private const char Nnbsp = FrenchFormat.NarrowNoBreakSpace;

    private static DateTime Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void FromUtc_WinterAndSummer_OneAndTwoHoursAhead()
    {
        Assert.Equal(new DateTime(2026, 11, 29, 14, 5, 0), ParisTime.FromUtc(Utc(2026, 11, 29, 13, 5)));
        Assert.Equal(new DateTime(2026, 7, 1, 14, 0, 0), ParisTime.FromUtc(Utc(2026, 7, 1, 12, 0)));
        // A time read from the database comes back with an unspecified kind: it is still UTC.
        Assert.Equal(new DateTime(2026, 7, 1, 14, 0, 0), ParisTime.FromUtc(new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void DateTimeAndDateAndTime_AreParisTimeInFrench()
    {
        var utc = Utc(2026, 11, 29, 13, 5);

        Assert.Equal("29 novembre 2026", ParisTime.Date(utc));
        Assert.Equal($"14{Nnbsp}h{Nnbsp}05", ParisTime.Time(utc));
        Assert.Equal($"29 novembre 2026 à 14{Nnbsp}h{Nnbsp}05", ParisTime.DateAndTime(utc));
    }

    [Fact]
    public void Date_LateEveningUtc_IsAlreadyTheNextDayInParis()
    {
        var utc = Utc(2026, 12, 31, 23, 30);

        Assert.Equal("1er janvier 2027", ParisTime.Date(utc));
        Assert.Equal($"1er janvier 2027 à 00{Nnbsp}h{Nnbsp}30", ParisTime.DateAndTime(utc));
    }

    [Fact]
    public void Today_IsTheClocksDateInParis()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 30, 21, 59, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 6, 30), ParisTime.Today(clock));

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(new DateOnly(2026, 7, 1), ParisTime.Today(clock));
    }

    [Fact]
    public void LocalText_IsTheParisTimeToTheMinute()
    {
        Assert.Equal("2026-12-15T18:00", ParisTime.LocalText(new DateTime(2026, 12, 15, 17, 0, 42, DateTimeKind.Utc)));
        Assert.Equal("2026-07-01T14:00", ParisTime.LocalText(Utc(2026, 7, 1, 12, 0)));
    }

    [Theory]
    [InlineData("2026-12-15T18:00", "2026-12-15T17:00:00")]
    [InlineData("  2026-12-15T18:00  ", "2026-12-15T17:00:00")]
    [InlineData("2026-12-15T18:00:30", "2026-12-15T17:00:30")]
    [InlineData("2026-12-15 18:00", "2026-12-15T17:00:00")]
    [InlineData("2026-07-01T18:00", "2026-07-01T16:00:00")]
    [InlineData("2026-12-15", "2026-12-15T22:59:00")]                  // a date alone: 23 h 59 that day
    [InlineData("2026-10-25T02:30", "2026-10-25T01:30:00")]            // twice that night: the second one
    public void ParseDeadline_ParisText_IsTheUtcInstant(string text, string expected)
    {
        var (utc, error) = ParisTime.ParseDeadline(text);

        Assert.Null(error);
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), utc);
        Assert.Equal(DateTimeKind.Utc, utc!.Value.Kind);
    }

    [Fact]
    public void ParseDeadline_LocalText_ReadsBack()
    {
        var utc = Utc(2026, 3, 29, 9, 45);

        Assert.Equal((utc, null), ParisTime.ParseDeadline(ParisTime.LocalText(utc)));
    }

    [Theory]
    [InlineData(null, "Indiquez la date et l'heure de fin de la relecture.")]
    [InlineData("   ", "Indiquez la date et l'heure de fin de la relecture.")]
    [InlineData(" 15/12/2026 ", "Date « 15/12/2026 » illisible : attendu par exemple 2026-12-15T18:00.")]
    [InlineData("2026-02-30T10:00", "Date « 2026-02-30T10:00 » illisible : attendu par exemple 2026-12-15T18:00.")]
    [InlineData("2026-03-29T02:30", "Le 29 mars 2026 à 02\u202Fh\u202F30 n'existe pas à Paris (passage à l'heure d'été) : choisissez une autre heure.")]
    public void ParseDeadline_Unusable_SaysWhyInFrench(string? text, string expected)
    {
        Assert.Equal((null, expected), ParisTime.ParseDeadline(text));
    }
}
