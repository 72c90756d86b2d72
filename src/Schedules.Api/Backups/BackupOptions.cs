using System.ComponentModel.DataAnnotations;

namespace Schedules.Backups;

internal sealed class BackupOptions
{
    public const string Section = "Backups";

    /// <summary>Backups this process runs at once.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>
    /// How long a process's claim on a running backup holds without renewal; it renews every third of it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often expired claims are looked for and their backups failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one backup may run before it is failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(6);
}
