using Microsoft.Extensions.Options;
using Quartz;

namespace Schedules.Scheduling;

/// <summary>
/// A schedule's Quartz job: handles whatever slots of the schedule are due when it fires. Two firings of one
/// schedule may overlap (a retry, <c>run_now</c>, the sweep): the database lets only one of them act on a slot, so
/// the job does not ask Quartz to serialise them, which would make every firing round take Quartz's cluster lock.
/// </summary>
internal sealed class BackupSlotJob(
    SlotProcessor processor,
    ScheduleTriggers triggers,
    IOptions<SchedulerOptions> options) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // Whatever else is due goes first, in batches: when thousands of schedules share a minute, the first
        // firings start every backup and the rest find their schedule already handled.
        await processor.ProcessDueAsync(cancellationToken);
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
