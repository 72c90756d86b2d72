using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using Schedules.Data;

namespace Schedules.Scheduling;

/// <summary>
/// The safety net under the per-schedule triggers: runs every schedule whose <c>next_run</c> is overdue by more
/// than a sweep interval, whatever became of its trigger. One node of a cluster runs it at a time.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class ScheduleSweepJob(
    SchedulesDbContext db,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<SchedulerOptions> options,
    ILogger<ScheduleSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep", "maintenance");

    private const int BatchSize = 500;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var overdue = time.GetUtcNow().UtcDateTime - options.Value.SweepInterval;
        var ids = await db.Schedules.AsNoTracking()
            .Where(s => s.NextRun < overdue)
            .OrderBy(s => s.NextRun)
            .Select(s => s.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            await using var scope = scopes.CreateAsyncScope();
            var processor = scope.ServiceProvider.GetRequiredService<SlotProcessor>();
            var outcome = await processor.ProcessAsync(id, cancellationToken);
            if (outcome is SlotOutcome.Started or SlotOutcome.Recorded)
            {
                LogCaughtUp(logger, id, outcome);
            }
        }
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Warning,
        Message = "The sweep handled overdue schedule {ScheduleId} ({Outcome}): its trigger did not")]
    private static partial void LogCaughtUp(ILogger logger, Guid scheduleId, SlotOutcome outcome);
}
