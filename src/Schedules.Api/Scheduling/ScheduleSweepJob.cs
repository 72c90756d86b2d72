using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using Schedules.Data;

namespace Schedules.Scheduling;

/// <summary>
/// The safety net under the per-schedule triggers: handles every due schedule, whatever became of its trigger,
/// and retries schedules waiting on a running backup whose retry is overdue. One node of a cluster runs it at a
/// time.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class ScheduleSweepJob(
    SchedulesDbContext db,
    SlotProcessor processor,
    TimeProvider time,
    IOptions<SchedulerOptions> options,
    ILogger<ScheduleSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep", "maintenance");

    private const int BatchSize = 500;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var started = await processor.ProcessDueAsync(cancellationToken);
        if (started > 0)
        {
            LogCaughtUp(logger, started);
        }

        // Schedules waiting for a running backup: their retries may have been lost with a node.
        var overdue = time.GetUtcNow().UtcDateTime - options.Value.SweepInterval;
        var waiting = await db.Schedules.AsNoTracking()
            .Where(s => s.NextRun < overdue && s.BlockedSlot != null)
            .OrderBy(s => s.NextRun)
            .Select(s => s.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var id in waiting)
        {
            await processor.ProcessAsync(id, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Warning,
        Message = "The sweep started {Started} backups of overdue schedules: their triggers did not")]
    private static partial void LogCaughtUp(ILogger logger, int started);
}
