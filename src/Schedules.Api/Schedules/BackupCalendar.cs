using System.Collections.Concurrent;
using Cronos;
using Schedules.Backups;

namespace Schedules.Schedules;

/// <summary>
/// The slots of a schedule, in UTC. Every day at <c>hour:minute</c> is a slot; the slot on <c>day_of_week</c>
/// (every slot when it is 7) is a full backup and the others are incrementals.
/// </summary>
public static class BackupCalendar
{
    /// <summary>The <c>day_of_week</c> that makes every slot a full backup.</summary>
    public const int EveryDay = 7;

    private static readonly ConcurrentDictionary<(int Day, int Hour, int Minute), CronExpression> Expressions = new();

    /// <summary>
    /// The next slot strictly after <paramref name="afterUtc"/> that counts. Until the schedule's first full
    /// backup has been taken only full slots count: the seed's schedule, created on Thursday 2014-10-30 at 12:30
    /// for Sunday 14:30, first runs on Sunday 2014-11-02 at 14:30, not at 14:30 that Thursday.
    /// </summary>
    public static DateTime NextRun(int dayOfWeek, int hour, int minute, bool firstFullTaken, DateTime afterUtc) =>
        firstFullTaken ? NextSlot(hour, minute, afterUtc) : NextFullSlot(dayOfWeek, hour, minute, afterUtc);

    public static DateTime NextSlot(int hour, int minute, DateTime afterUtc) =>
        Next(EveryDay, hour, minute, afterUtc);

    public static DateTime NextFullSlot(int dayOfWeek, int hour, int minute, DateTime afterUtc) =>
        Next(dayOfWeek, hour, minute, afterUtc);

    public static BackupKind KindOf(int dayOfWeek, DateTime slotUtc) =>
        dayOfWeek == EveryDay || (int)slotUtc.DayOfWeek == dayOfWeek ? BackupKind.Full : BackupKind.Incremental;

    private static DateTime Next(int dayOfWeek, int hour, int minute, DateTime afterUtc)
    {
        if (afterUtc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("The instant must be UTC.", nameof(afterUtc));
        }

        var expression = Expressions.GetOrAdd((dayOfWeek, hour, minute), static key => CronExpression.Parse(
            $"{key.Minute} {key.Hour} * * {(key.Day == EveryDay ? "*" : key.Day.ToString())}"));

        // A weekly or daily cron in UTC always has a next occurrence.
        return expression.GetNextOccurrence(afterUtc, inclusive: false)!.Value;
    }
}
