using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Api;
using Schedules.Backups;
using Schedules.Data;
using Schedules.Instances;
using Schedules.Operations;
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
/// Handles the due slots of schedules, from the state in the database alone, so a Quartz firing, a misfire
/// replay, a retry or a second node all reach the same decision and at most one of them can act on it: each slot
/// gets one run record, and the database refuses a second record for the same schedule and slot. Due schedules
/// are handled in batches (claimed with <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so nodes share the work),
/// which is what lets thousands of schedules due in the same minute start within seconds.
/// </summary>
internal sealed partial class SlotProcessor(
    SchedulesDbContext db,
    BackupFactory backups,
    BackupRunner runner,
    TimeProvider time,
    ServiceMetrics metrics,
    IOptions<SchedulerOptions> options,
    ILogger<SlotProcessor> logger)
{
    private const int BatchSize = 200;

    /// <summary>
    /// Handles every schedule that is due now, a batch at a time; returns how many backups it started. Schedules
    /// waiting for a running backup are left to their own retries (<see cref="ProcessAsync"/>).
    /// </summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var started = 0;
        while (true)
        {
            var now = time.Now();
            if (!await db.Schedules.AnyAsync(s => s.NextRun <= now && s.BlockedSlot == null, cancellationToken))
            {
                return started;
            }

            List<PlannedBackup> planned;
            List<Guid> claimed;
            var refused = false;
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                var batch = await ClaimDueAsync(now, cancellationToken);
                claimed = [.. batch.Select(s => s.Id)];
                planned = await PlanAsync(batch, now, cancellationToken);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }
                catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
                {
                    await transaction.RollbackAsync(cancellationToken);
                    refused = true;
                }
            }

            db.ChangeTracker.Clear();
            if (claimed.Count == 0)
            {
                // Another node holds every due schedule right now.
                return started;
            }

            if (refused)
            {
                // Something else acted on one of these schedules meanwhile: take them one at a time instead.
                foreach (var id in claimed)
                {
                    started += await ProcessAsync(id, cancellationToken) == SlotOutcome.Started ? 1 : 0;
                }

                continue;
            }

            Start(planned);
            started += planned.Count;
            LogBatch(logger, claimed.Count, planned.Count);
        }
    }

    /// <summary>
    /// Handles the due slots of one schedule. Its row is locked first, as a batch locks its rows, so the two paths
    /// queue on the schedule instead of deadlocking on the backups they insert.
    /// </summary>
    public async Task<SlotOutcome> ProcessAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var now = time.Now();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = db.Database.IsNpgsql()
            ? await db.Schedules.FromSql($"SELECT * FROM schedules WHERE id = {scheduleId} FOR UPDATE")
                .FirstOrDefaultAsync(cancellationToken)
            : await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null)
        {
            return SlotOutcome.Gone;
        }

        if (schedule.NextRun > now)
        {
            return SlotOutcome.NotDue;
        }

        var planned = await PlanAsync([schedule], now, cancellationToken);
        var slots = db.ChangeTracker.Entries<ScheduleRun>().Select(e => e.Entity.SlotTime).ToList();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var handled = await db.ScheduleRuns.AnyAsync(
                r => r.ScheduleId == scheduleId && slots.Contains(r.SlotTime), cancellationToken);
            LogRefused(logger, scheduleId, handled ? "its slot already has a record" : "the instance is busy");
            return handled || planned.Count == 0 ? SlotOutcome.AlreadyHandled : SlotOutcome.Busy;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        if (planned.Count == 1)
        {
            Start(planned);
            return SlotOutcome.Started;
        }

        return schedule.BlockedSlot is not null ? SlotOutcome.Busy : SlotOutcome.Recorded;
    }

    /// <summary>
    /// Decides what each due schedule's slots become, adding the run records and backups to the context and moving
    /// each schedule on; returns the backups to start once saved. Facts about the instances and chains are read
    /// for the whole batch at once.
    /// </summary>
    private async Task<List<PlannedBackup>> PlanAsync(
        List<Schedule> schedules,
        DateTime now,
        CancellationToken cancellationToken)
    {
        var instanceIds = schedules.Select(s => s.InstanceId).ToList();
        var busy = (await db.Backups.AsNoTracking()
            .Where(b => instanceIds.Contains(b.InstanceId)
                && (b.Status == BackupStatus.New || b.Status == BackupStatus.Building))
            .Select(b => b.InstanceId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var instances = await db.Instances.AsNoTracking()
            .Where(i => instanceIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        var parents = await ChainParentsAsync(
            [.. schedules.Where(s => s.LastScheduled is not null).Select(s => s.Id)], cancellationToken);

        var started = new List<PlannedBackup>();
        foreach (var schedule in schedules)
        {
            var due = DueSlots(schedule, now);
            var (live, runs) = Triage(schedule, due, now);
            if (live.Count == 0)
            {
                schedule.NextRun = NextAfter(schedule, due[^1]);
                schedule.BlockedSlot = null;
            }
            else if (busy.Contains(schedule.InstanceId))
            {
                // The slot waits for the running backup, up to the next slot; see Triage.
                schedule.NextRun = live[0];
                schedule.BlockedSlot = live[^1];
                LogBusy(logger, schedule.Id, live[^1]);
            }
            else
            {
                var target = live[^1];
                var backup = NewBackup(schedule, instances[schedule.InstanceId], live, target, parents);
                runs.AddRange(live[..^1].Select(slot => Run(schedule, slot, RunOutcome.Coalesced, backup.Id,
                    $"The service was not running at the slot; the backup of {Timestamps.Write(target)} covers it.")));
                runs.Add(Run(schedule, target, RunOutcome.Started, backup.Id, null, backup.Kind));
                schedule.LastScheduled = target;
                schedule.NextRun = NextAfter(schedule, target);
                schedule.BlockedSlot = null;
                schedule.Running = true;
                db.Backups.Add(backup);
                started.Add(new PlannedBackup(backup, target, live.Count - 1));
            }

            db.ScheduleRuns.AddRange(runs);
        }

        return started;
    }

    /// <summary>Hands saved backups to the runner, and records how late each started after its slot.</summary>
    private void Start(List<PlannedBackup> planned)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (backup, slot, coalesced) in planned)
        {
            runner.Enqueue(backup.Id);
            metrics.SlotStarted(backup.Kind, now - slot);
            LogStarted(logger, backup.Id, backup.Kind, backup.ScheduleId!.Value, slot, coalesced);
        }
    }

    /// <summary>Locks a batch of due schedules for this transaction, skipping those another node holds.</summary>
    private Task<List<Schedule>> ClaimDueAsync(DateTime now, CancellationToken cancellationToken)
    {
        var due = db.Database.IsNpgsql()
            ? db.Schedules.FromSql(
                $"""
                SELECT * FROM schedules WHERE next_run <= {now} AND blocked_slot IS NULL
                ORDER BY next_run LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """)
            : db.Schedules
                .Where(s => s.NextRun <= now && s.BlockedSlot == null)
                .OrderBy(s => s.NextRun)
                .Take(BatchSize);
        return due.ToListAsync(cancellationToken);
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
        while ((slot = BackupCalendar.NextRun(
            schedule.DayOfWeek, schedule.Hour, schedule.Minute, firstFullTaken, slot)) <= now)
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
            runs.AddRange(live
                .Where(slot => slot <= blocked)
                .Select(slot => Run(schedule, slot, RunOutcome.Skipped, null,
                    "Another backup of the instance was still running when the next slot came.")));
            live.RemoveAll(slot => slot <= blocked);
        }

        var window = options.Value.CatchUpWindow;
        runs.AddRange(live
            .Where(slot => slot < now - window)
            .Select(slot => Run(schedule, slot, RunOutcome.Missed, null,
                $"The service was not running at the slot, more than {window} before it caught up.")));
        live.RemoveAll(slot => slot < now - window);
        return (live, runs);
    }

    /// <summary>
    /// A full when any of the slots calls for one (a missed full is taken once), on the first run of a schedule,
    /// and when the chain has no completed full; otherwise an incremental on the chain's latest completed backup.
    /// </summary>
    private Backup NewBackup(
        Schedule schedule,
        Instance instance,
        List<DateTime> live,
        DateTime target,
        Dictionary<Guid, Backup> parents)
    {
        var full = schedule.LastScheduled is null
            || live.Any(slot => BackupCalendar.KindOf(schedule.DayOfWeek, slot) == BackupKind.Full);
        var parent = full ? null : parents.GetValueOrDefault(schedule.Id);
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

    /// <summary>
    /// For each schedule, the latest completed backup of its current chain; none when the chain's last full did
    /// not complete (the incremental is then taken as a full).
    /// </summary>
    private async Task<Dictionary<Guid, Backup>> ChainParentsAsync(
        List<Guid> scheduleIds,
        CancellationToken cancellationToken)
    {
        if (scheduleIds.Count == 0)
        {
            return [];
        }

        var ofSchedules = db.Backups
            .AsNoTracking()
            .Where(b => b.ScheduleId != null && scheduleIds.Contains(b.ScheduleId.Value));
        var lastFulls = await ofSchedules.Where(b => b.ParentId == null)
            .GroupBy(b => b.ScheduleId)
            .Select(g => g.Max(b => b.Seq))
            .ToListAsync(cancellationToken);
        var lastCompleted = await ofSchedules.Where(b => b.Status == BackupStatus.Completed)
            .GroupBy(b => b.ScheduleId)
            .Select(g => g.Max(b => b.Seq))
            .ToListAsync(cancellationToken);
        var seqs = lastFulls.Concat(lastCompleted).ToList();
        var rows = await db.Backups
            .AsNoTracking()
            .Where(b => seqs.Contains(b.Seq))
            .ToDictionaryAsync(b => b.Seq, cancellationToken);

        var parents = new Dictionary<Guid, Backup>();
        foreach (var fullSeq in lastFulls)
        {
            var full = rows[fullSeq];
            var completed = lastCompleted.Select(seq => rows[seq]).FirstOrDefault(b => b.ScheduleId == full.ScheduleId);
            if (full.Status == BackupStatus.Completed && completed is not null && completed.Seq >= full.Seq)
            {
                parents[full.ScheduleId!.Value] = completed;
            }
        }

        return parents;
    }

    private static DateTime NextAfter(Schedule schedule, DateTime slot) =>
        BackupCalendar.NextRun(
            schedule.DayOfWeek,
            schedule.Hour,
            schedule.Minute,
            schedule.LastScheduled is not null,
            slot);

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

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information,
        Message = "Handled a batch of {Schedules} due schedules: {Started} backups started")]
    private static partial void LogBatch(ILogger logger, int schedules, int started);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information,
        Message = "Schedule {ScheduleId}: the database refused the slot's records, {Why}")]
    private static partial void LogRefused(ILogger logger, Guid scheduleId, string why);
}

/// <summary>A backup a slot started, saved with the slot's records and not yet handed to the runner.</summary>
internal sealed record PlannedBackup(Backup Backup, DateTime Slot, int Coalesced);
