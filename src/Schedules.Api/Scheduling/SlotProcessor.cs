using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Api;
using Schedules.Backups;
using Schedules.Data;
using Schedules.Schedules;

namespace Schedules.Scheduling;

internal enum SlotOutcome
{
    /// <summary>The schedule's next slot is still ahead.</summary>
    NotDue,

    /// <summary>A backup was started for the latest due slot.</summary>
    Started,

    /// <summary>Due slots were recorded (missed or skipped) and none was run.</summary>
    Recorded,

    /// <summary>Another backup of the instance is running: the slot waits and is tried again.</summary>
    Busy,

    /// <summary>Another process or an earlier firing already handled these slots.</summary>
    AlreadyHandled,

    /// <summary>The schedule no longer exists.</summary>
    Gone,
}

/// <summary>
/// Handles every due slot of a schedule, from the state in the database alone, so a Quartz firing, a misfire
/// replay, a retry or a second node all reach the same decision and at most one of them can act on it: each slot
/// gets one run record, and the database refuses a second record for the same schedule and slot.
/// </summary>
internal sealed partial class SlotProcessor(
    SchedulesDbContext db,
    BackupFactory backups,
    BackupRunner runner,
    TimeProvider time,
    IOptions<SchedulerOptions> options,
    ILogger<SlotProcessor> logger)
{
    public async Task<SlotOutcome> ProcessAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var now = time.Now();
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null)
        {
            return SlotOutcome.Gone;
        }

        if (schedule.NextRun > now)
        {
            return SlotOutcome.NotDue;
        }

        var due = DueSlots(schedule, now);
        var (live, runs) = Triage(schedule, due, now);
        if (live.Count == 0)
        {
            schedule.NextRun = NextAfter(schedule, due[^1]);
            schedule.BlockedSlot = null;
            return await SaveAsync(schedule, runs, null, cancellationToken) ?? SlotOutcome.Recorded;
        }

        var target = live[^1];
        if (await BackupFactory.IsInstanceBusyAsync(db, schedule.InstanceId, cancellationToken))
        {
            // The slot waits for the running backup, up to the next slot; see Triage.
            schedule.NextRun = live[0];
            schedule.BlockedSlot = target;
            var saved = await SaveAsync(schedule, runs, null, cancellationToken);
            LogBusy(logger, schedule.Id, target);
            return saved ?? SlotOutcome.Busy;
        }

        var backup = await NewBackupAsync(schedule, live, target, cancellationToken);
        runs.AddRange(live[..^1].Select(slot => Run(schedule, slot, RunOutcome.Coalesced, backup.Id,
            $"The service was not running at the slot; the backup of {Timestamps.Write(target)} covers it.")));
        runs.Add(Run(schedule, target, RunOutcome.Started, backup.Id, null, backup.Kind));
        schedule.LastScheduled = target;
        schedule.NextRun = NextAfter(schedule, target);
        schedule.BlockedSlot = null;
        schedule.Running = true;
        db.Backups.Add(backup);

        var outcome = await SaveAsync(schedule, runs, backup, cancellationToken);
        if (outcome is not null)
        {
            return outcome.Value;
        }

        runner.Enqueue(backup.Id);
        LogStarted(logger, backup.Id, backup.Kind, schedule.Id, target, live.Count - 1);
        return SlotOutcome.Started;
    }

    /// <summary>
    /// Every slot from the stored <c>next_run</c> up to now. <c>next_run</c> is itself the first, even when it is
    /// not a regular slot (<c>run_now</c> sets it to the moment it was asked).
    /// </summary>
    private static List<DateTime> DueSlots(Schedule schedule, DateTime now)
    {
        var slots = new List<DateTime> { schedule.NextRun };
        var firstFullTaken = schedule.LastScheduled is not null;
        var slot = schedule.NextRun;
        while ((slot = BackupCalendar.NextRun(schedule.DayOfWeek, schedule.Hour, schedule.Minute, firstFullTaken, slot)) <= now)
        {
            slots.Add(slot);
        }

        return slots;
    }

    /// <summary>
    /// Splits due slots into those still to run and those only recorded: older than the catch-up window (missed),
    /// or waited through to a later slot while another backup of the instance ran (skipped).
    /// </summary>
    private (List<DateTime> Live, List<ScheduleRun> Runs) Triage(Schedule schedule, List<DateTime> due, DateTime now)
    {
        var runs = new List<ScheduleRun>();
        var live = new List<DateTime>(due);
        if (schedule.BlockedSlot is { } blocked && live.Any(slot => slot > blocked))
        {
            runs.AddRange(live.Where(slot => slot <= blocked).Select(slot => Run(schedule, slot, RunOutcome.Skipped, null,
                "Another backup of the instance was still running when the next slot came.")));
            live.RemoveAll(slot => slot <= blocked);
        }

        var window = options.Value.CatchUpWindow;
        runs.AddRange(live.Where(slot => slot < now - window).Select(slot => Run(schedule, slot, RunOutcome.Missed, null,
            $"The service was not running at the slot, more than {window} before it caught up.")));
        live.RemoveAll(slot => slot < now - window);
        return (live, runs);
    }

    /// <summary>
    /// A full when any of the slots calls for one (a missed full is taken once), on the first run of a schedule,
    /// and when the chain has no completed full; otherwise an incremental on the chain's latest completed backup.
    /// </summary>
    private async Task<Backup> NewBackupAsync(
        Schedule schedule,
        List<DateTime> live,
        DateTime target,
        CancellationToken cancellationToken)
    {
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == schedule.InstanceId, cancellationToken);
        var full = schedule.LastScheduled is null
            || live.Any(slot => BackupCalendar.KindOf(schedule.DayOfWeek, slot) == BackupKind.Full);
        var parent = full ? null : await ChainParentAsync(schedule.Id, cancellationToken);
        if (parent is not null && instance.ConnectionProfile is not null && parent.EndPosition is null)
        {
            // The chain recorded no binary log position (the instance's binary log was off when it was taken), so
            // there is nothing to read on from: the slot takes a full backup instead of an incremental that fails.
            parent = null;
        }

        var kind = parent is null ? "full" : "incremental";
        return backups.Create(
            instance,
            $"Scheduled {kind} backup {target:yyyy-MM-ddTHH:mm}",
            $"Slot {Timestamps.Write(target)} of schedule {schedule.Id:D}",
            parent,
            schedule.Id);
    }

    /// <summary>The latest completed backup of the schedule's current chain, or null when its last full did not complete.</summary>
    private async Task<Backup?> ChainParentAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var chain = db.Backups.AsNoTracking().Where(b => b.ScheduleId == scheduleId);
        var lastFull = await chain.Where(b => b.ParentId == null).OrderByDescending(b => b.Seq)
            .FirstOrDefaultAsync(cancellationToken);
        if (lastFull is not { Status: BackupStatus.Completed })
        {
            return null;
        }

        return await chain.Where(b => b.Seq >= lastFull.Seq && b.Status == BackupStatus.Completed)
            .OrderByDescending(b => b.Seq)
            .FirstAsync(cancellationToken);
    }

    /// <summary>Saves the slot's records in one transaction; a refusal by the database names what happened instead.</summary>
    private async Task<SlotOutcome?> SaveAsync(
        Schedule schedule,
        List<ScheduleRun> runs,
        Backup? backup,
        CancellationToken cancellationToken)
    {
        db.ScheduleRuns.AddRange(runs);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            var handled = await db.ScheduleRuns.AnyAsync(
                r => r.ScheduleId == schedule.Id && runs.Select(run => run.SlotTime).Contains(r.SlotTime),
                cancellationToken);
            LogRefused(logger, schedule.Id, handled ? "its slot already has a record" : "the instance is busy");
            return handled || backup is null ? SlotOutcome.AlreadyHandled : SlotOutcome.Busy;
        }
    }

    private static DateTime NextAfter(Schedule schedule, DateTime slot) =>
        BackupCalendar.NextRun(schedule.DayOfWeek, schedule.Hour, schedule.Minute, schedule.LastScheduled is not null, slot);

    private ScheduleRun Run(
        Schedule schedule,
        DateTime slot,
        string outcome,
        Guid? backupId,
        string? reason,
        BackupKind? kind = null) => new()
        {
            Id = Guid.NewGuid(),
            ScheduleId = schedule.Id,
            AccountId = schedule.AccountId,
            SlotTime = slot,
            Kind = (kind ?? BackupCalendar.KindOf(schedule.DayOfWeek, slot)).ToString().ToLowerInvariant(),
            Outcome = outcome,
            BackupId = backupId,
            Reason = reason,
            Created = time.GetUtcNow().UtcDateTime,
        };

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information,
        Message = "Started {Kind} backup {BackupId} for schedule {ScheduleId}, slot {Slot:s} ({Coalesced} earlier slots coalesced)")]
    private static partial void LogStarted(
        ILogger logger, Guid backupId, BackupKind kind, Guid scheduleId, DateTime slot, int coalesced);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning,
        Message = "Schedule {ScheduleId}: slot {Slot:s} waits, another backup of the instance is running")]
    private static partial void LogBusy(ILogger logger, Guid scheduleId, DateTime slot);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information,
        Message = "Schedule {ScheduleId}: the database refused the slot's records, {Why}")]
    private static partial void LogRefused(ILogger logger, Guid scheduleId, string why);
}
