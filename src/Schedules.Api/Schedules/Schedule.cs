namespace Schedules.Schedules;

/// <summary>When an instance is backed up: a full backup on one weekday, incrementals on the others.</summary>
internal sealed class Schedule
{
    public const string BackupAction = "backup";

    /// <summary>Insertion order, which list paging follows.</summary>
    public long Seq { get; set; }

    public Guid Id { get; set; }

    public required string AccountId { get; set; }

    public Guid InstanceId { get; set; }

    public string Action { get; set; } = BackupAction;

    /// <summary>0 (Sunday) to 6 for the weekday of the full backup, or 7 for a full backup every day.</summary>
    public int DayOfWeek { get; set; }

    public int Hour { get; set; }

    public int Minute { get; set; }

    public int FullBackupRetention { get; set; } = 2;

    /// <summary>Regions to copy backups to, comma-separated.</summary>
    public string CopyTo { get; set; } = "";

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }

    /// <summary>The slot time of the last run the scheduler started; null until the first one.</summary>
    public DateTime? LastScheduled { get; set; }

    public DateTime NextRun { get; set; }

    public bool Running { get; set; }

    /// <summary>A due slot that found another backup of the instance running; it waits until the next slot.</summary>
    public DateTime? BlockedSlot { get; set; }
}
