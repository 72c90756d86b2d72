using System.ComponentModel.DataAnnotations;

namespace Schedules.Scheduling;

/// <summary>How the service fires scheduled backups.</summary>
internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Whether this process fires slots; a process with it off still serves the API.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Quartz scheduler's name: every node of one cluster uses the same.</summary>
    [Required]
    public string InstanceName { get; set; } = "Schedules";

    /// <summary>Slots this process handles at once.</summary>
    [Range(1, 256)]
    public int Threads { get; set; } = 10;

    /// <summary>
    /// Slots missed while the service was down are caught up when younger than this; older ones are recorded as missed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan CatchUpWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often a slot that found another backup of the instance running looks again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BusyRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often overdue schedules are looked for and run, whatever became of their triggers: the safety net
    /// under Quartz, so that no slot is dropped silently.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
