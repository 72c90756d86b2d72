using System.Globalization;
using Schedules.Backups;
using Schedules.Schedules;

namespace Schedules.Tests.Schedules;

public sealed class BackupCalendarTests
{
    public static TheoryData<string, string, int, int, int, bool, string> NextRuns => new()
    {
        // The seed: created Thursday 12:30 for Sunday 14:30; Thursday 14:30 does not count before the first full.
        { "seed example", "2014-10-30T12:30:00", 0, 14, 30, false, "2014-11-02T14:30:00" },
        { "full slot later today", "2014-11-02T10:00:00", 0, 14, 30, false, "2014-11-02T14:30:00" },
        { "full slot earlier today", "2014-11-02T15:00:00", 0, 14, 30, false, "2014-11-09T14:30:00" },
        { "exactly at the slot is not after it", "2014-11-02T14:30:00", 0, 14, 30, false, "2014-11-09T14:30:00" },
        { "day 7 later today", "2014-10-30T12:30:00", 7, 14, 30, false, "2014-10-30T14:30:00" },
        { "day 7 earlier today", "2014-10-30T15:00:00", 7, 14, 30, false, "2014-10-31T14:30:00" },
        { "midnight", "2014-11-01T23:59:00", 0, 0, 0, false, "2014-11-02T00:00:00" },
        { "week wrap Saturday to Sunday", "2014-11-01T20:00:00", 0, 6, 0, false, "2014-11-02T06:00:00" },
        { "week wrap Sunday to Saturday", "2014-11-02T08:00:00", 6, 6, 0, false, "2014-11-08T06:00:00" },
        { "year wrap", "2014-12-31T22:00:00", 4, 1, 15, false, "2015-01-01T01:15:00" },
        { "leap day", "2016-02-28T23:00:00", 1, 2, 0, false, "2016-02-29T02:00:00" },
        { "daily once the first full exists", "2014-11-02T14:30:00", 0, 14, 30, true, "2014-11-03T14:30:00" },
        { "daily reaches the full day", "2014-11-08T14:30:00", 0, 14, 30, true, "2014-11-09T14:30:00" },
        { "daily later today", "2014-11-04T09:00:00", 0, 14, 30, true, "2014-11-04T14:30:00" },
        { "daily across the year", "2014-12-31T23:59:59", 3, 0, 0, true, "2015-01-01T00:00:00" },
    };

    [Theory]
    [MemberData(nameof(NextRuns))]
    public void NextRun_IsTheNextSlotThatCounts(
        string because, string after, int day, int hour, int minute, bool firstFullTaken, string expected)
    {
        var next = BackupCalendar.NextRun(day, hour, minute, firstFullTaken, Utc(after));

        Assert.True(Utc(expected) == next, $"{because}: expected {expected}, got {next:s}");
        Assert.Equal(DateTimeKind.Utc, next.Kind);
    }

    [Theory]
    [InlineData(0, "2014-11-02T14:30:00", BackupKind.Full)]
    [InlineData(0, "2014-11-03T14:30:00", BackupKind.Incremental)]
    [InlineData(6, "2014-11-08T14:30:00", BackupKind.Full)]
    [InlineData(6, "2014-11-02T14:30:00", BackupKind.Incremental)]
    [InlineData(7, "2014-11-03T14:30:00", BackupKind.Full)]
    public void KindOf_IsFullOnTheDayOfWeekAndIncrementalOtherwise(int day, string slot, BackupKind expected) =>
        Assert.Equal(expected, BackupCalendar.KindOf(day, Utc(slot)));

    [Fact]
    public void OneWeekOfSlots_HasOneFullAndSixIncrementals()
    {
        var slot = BackupCalendar.NextRun(0, 14, 30, false, Utc("2014-10-30T12:30:00"));
        var kinds = new List<BackupKind>();
        for (var i = 0; i < 7; i++)
        {
            kinds.Add(BackupCalendar.KindOf(0, slot));
            slot = BackupCalendar.NextRun(0, 14, 30, true, slot);
        }

        Assert.Equal(BackupKind.Full, kinds[0]);
        Assert.All(kinds.Skip(1), kind => Assert.Equal(BackupKind.Incremental, kind));
        Assert.Equal(Utc("2014-11-09T14:30:00"), slot);
    }

    [Fact]
    public void NextRun_RefusesATimeThatIsNotUtc() =>
        Assert.Throws<ArgumentException>(() =>
            BackupCalendar.NextRun(0, 14, 30, false, new DateTime(2014, 10, 30, 12, 30, 0, DateTimeKind.Local)));

    private static DateTime Utc(string text) =>
        DateTime.ParseExact(
            text,
            "s",
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
