using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using Schedules.Data;

namespace Schedules.Scheduling;

/// <summary>
/// At start, makes the Quartz store agree with the schedules table: a job for every schedule, none for a schedule
/// that is gone, and the sweep job. Changes the API could not pass on to Quartz are repaired here.
/// </summary>
internal sealed partial class TriggerReconciler(
    IServiceScopeFactory scopes,
    ISchedulerFactory schedulers,
    ScheduleTriggers triggers,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<TriggerReconciler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var schedules = await db.Schedules.AsNoTracking().ToListAsync(cancellationToken);
        var jobs = await ScheduleJobKeysAsync(scheduler, cancellationToken);

        var missing = schedules.Where(s => !jobs.Contains(ScheduleTriggers.JobKeyOf(s.Id))).ToList();
        await triggers.ScheduleAllAsync(missing, cancellationToken);

        var known = schedules.Select(s => ScheduleTriggers.JobKeyOf(s.Id)).ToHashSet();
        var orphans = jobs.Where(key => !known.Contains(key)).ToList();
        if (orphans.Count > 0)
        {
            await scheduler.DeleteJobs(orphans, cancellationToken);
        }

        var sweep = JobBuilder.Create<ScheduleSweepJob>().WithIdentity(ScheduleSweepJob.Key).StoreDurably().Build();
        var every = TriggerBuilder.Create(time)
            .WithIdentity(ScheduleSweepJob.Key.Name, ScheduleSweepJob.Key.Group)
            .ForJob(ScheduleSweepJob.Key)
            .StartAt(time.GetUtcNow() + options.Value.SweepInterval)
            .WithSimpleSchedule(simple => simple.WithInterval(options.Value.SweepInterval).RepeatForever())
            .Build();
        await scheduler.ScheduleJob(sweep, [every], new ScheduleJobOptions { Replace = true }, cancellationToken);

        LogReconciled(logger, schedules.Count, missing.Count, orphans.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<HashSet<JobKey>> ScheduleJobKeysAsync(
        IScheduler scheduler,
        CancellationToken cancellationToken)
    {
        const int PageSize = 1000;
        var keys = new HashSet<JobKey>();
        PagedResult<JobHeader> page;
        do
        {
            page = await scheduler.QueryJobs(
                new JobQuery
                {
                    Group = GroupMatcher<JobKey>.GroupEquals(ScheduleTriggers.JobGroup),
                    Skip = keys.Count,
                    Take = PageSize,
                },
                cancellationToken);
            keys.UnionWith(page.Items.Select(job => job.Key));
        }
        while (page.HasMore);

        return keys;
    }

    [LoggerMessage(EventId = 6030, Level = LogLevel.Information,
        Message = "Scheduler in step with {Schedules} schedules: {Added} triggers added, {Removed} removed")]
    private static partial void LogReconciled(ILogger logger, int schedules, int added, int removed);
}
