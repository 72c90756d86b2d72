using Quartz;
using Schedules.Schedules;

namespace Schedules.Scheduling;

/// <summary>
/// Keeps one Quartz job per schedule, with a daily trigger at the schedule's <c>hour:minute</c> UTC, in step with
/// the schedules table. The table is the truth: a trigger that fires early or late finds nothing due, and
/// <see cref="ScheduleSweepJob"/> catches what a lost trigger would have dropped.
/// </summary>
internal sealed partial class ScheduleTriggers(
    ISchedulerFactory schedulers,
    TimeProvider time,
    ILogger<ScheduleTriggers> logger)
{
    public const string JobGroup = "schedules";
    private const string SlotGroup = "slots";
    private const string RetryGroup = "retries";

    public static JobKey JobKeyOf(Guid scheduleId) => new(scheduleId.ToString("D"), JobGroup);

    public static Guid ScheduleIdOf(JobKey key) => Guid.Parse(key.Name);

    /// <summary>
    /// Creates or replaces the schedule's job and daily trigger, first firing at its <c>next_run</c>.
    /// </summary>
    public async Task ScheduleAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(
            SlotJob(schedule), [DailyTrigger(schedule)], new ScheduleJobOptions { Replace = true }, cancellationToken);
    }

    /// <summary>Creates or replaces the jobs of many schedules, a batch per store transaction.</summary>
    public async Task ScheduleAllAsync(IReadOnlyCollection<Schedule> schedules, CancellationToken cancellationToken)
    {
        const int BatchSize = 500;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var batch in schedules.Chunk(BatchSize))
        {
            var jobs = batch.ToDictionary(
                schedule => SlotJob(schedule),
                schedule => (IReadOnlyCollection<ITrigger>)[DailyTrigger(schedule)]);
            await scheduler.ScheduleJobs(jobs, new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
    }

    /// <summary>Fires the schedule's job now, on whichever node of the cluster takes it first.</summary>
    public async Task RunNowAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(JobKeyOf(scheduleId), new JobDataMap(), cancellationToken);
    }

    /// <summary>
    /// Fires the schedule's job once more after <paramref name="delay"/>, keeping an earlier retry if one waits.
    /// </summary>
    public async Task RetryLaterAsync(Guid scheduleId, TimeSpan delay, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var retry = TriggerBuilder.Create(time)
            .WithIdentity(scheduleId.ToString("D"), RetryGroup)
            .ForJob(JobKeyOf(scheduleId))
            .StartAt(time.GetUtcNow() + delay)
            .Build();
        await scheduler.ScheduleTrigger(retry, TriggerConflict.KeepEarlier, cancellationToken);
    }

    public async Task RemoveAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(JobKeyOf(scheduleId), cancellationToken);
    }

    /// <summary>
    /// Brings the triggers in step after a change the API made to the table. The change is already saved: a
    /// failure here is logged, not answered, and repaired by the sweep and by reconciliation at start.
    /// </summary>
    public async Task SyncAsync(
        Guid scheduleId,
        Func<ScheduleTriggers, CancellationToken, Task> change,
        CancellationToken cancellationToken)
    {
        try
        {
            await change(this, cancellationToken);
        }
        catch (Exception e)
            when (e is SchedulerException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogSyncFailed(logger, e, scheduleId);
        }
    }

    private static IJobDetail SlotJob(Schedule schedule) =>
        JobBuilder.Create<BackupSlotJob>()
            .WithIdentity(JobKeyOf(schedule.Id))
            .WithDescription($"Backups of instance {schedule.InstanceId:D}")
            .StoreDurably()
            .Build();

    private ITrigger DailyTrigger(Schedule schedule) =>
        TriggerBuilder.Create(time)
            .WithIdentity(schedule.Id.ToString("D"), SlotGroup)
            .ForJob(JobKeyOf(schedule.Id))
            .StartAt(new DateTimeOffset(schedule.NextRun, TimeSpan.Zero))
            .WithCronSchedule(
                $"0 {schedule.Minute} {schedule.Hour} * * ?",
                cron => cron
                    .InTimeZone(TimeZoneInfo.Utc)
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning,
        Message = "The trigger of schedule {ScheduleId} could not be updated; the sweep will cover it")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, Guid scheduleId);
}
