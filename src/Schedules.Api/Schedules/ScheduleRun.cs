namespace Schedules.Schedules;

/// <summary>What became of one slot of a schedule. The database allows one record per schedule and slot.</summary>
internal sealed class ScheduleRun
{
    public long Seq { get; set; }

    public Guid Id { get; set; }

    public Guid ScheduleId { get; set; }

    public required string AccountId { get; set; }

    /// <summary>The slot's time; for <c>run_now</c>, the time it was asked for.</summary>
    public DateTime SlotTime { get; set; }

    /// <summary><c>full</c> or <c>incremental</c>: what the slot called for.</summary>
    public required string Kind { get; set; }

    public required string Outcome { get; set; }

    public Guid? BackupId { get; set; }

    public string? Reason { get; set; }

    public DateTime Created { get; set; }
}

internal static class RunOutcome
{
    /// <summary>A backup was started for the slot.</summary>
    public const string Started = "started";

    /// <summary>The slot passed while another backup of the instance was still running.</summary>
    public const string Skipped = "skipped";

    /// <summary>The service was down for the slot, longer ago than the catch-up window.</summary>
    public const string Missed = "missed";

    /// <summary>The service was down for the slot; a later slot's backup covers it.</summary>
    public const string Coalesced = "coalesced";
}
