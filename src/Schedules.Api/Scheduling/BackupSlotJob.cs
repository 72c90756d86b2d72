using Microsoft.Extensions.Options;
using Quartz;

namespace Schedules.Scheduling;

/// <summary>A schedule's Quartz job: handles whatever slots of the schedule are due when it fires.</summary>
[DisallowConcurrentExecution]
internal sealed class BackupSlotJob(
    SlotProcessor processor,
    ScheduleTriggers triggers,
    IOptions<SchedulerOptions> options) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduleId = ScheduleTriggers.ScheduleIdOf(context.JobDetail.Key);
        var outcome = await processor.ProcessAsync(scheduleId, cancellationToken);
        switch (outcome)
        {
            case SlotOutcome.Busy:
                await triggers.RetryLaterAsync(scheduleId, options.Value.BusyRetryInterval, cancellationToken);
                break;
            case SlotOutcome.Gone:
                await triggers.RemoveAsync(scheduleId, cancellationToken);
                break;
        }
    }
}
