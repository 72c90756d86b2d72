using System.Diagnostics.Metrics;
using Schedules.Backups;

namespace Schedules.Operations;

/// <summary>
/// The service's own instruments, exported at <c>/metrics</c> beside ASP.NET Core's HTTP metrics: backups started,
/// completed and failed by kind, their duration and size, and how late a scheduled slot's backup started.
/// </summary>
internal sealed class ServiceMetrics
{
    public const string MeterName = "Schedules";

    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _size;
    private readonly Histogram<double> _slotLateness;

    public ServiceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _started = meter.CreateCounter<long>("schedules.backups.started", "{backup}", "Backups claimed by a worker");
        _completed = meter.CreateCounter<long>("schedules.backups.completed", "{backup}", "Backups that completed");
        _failed = meter.CreateCounter<long>("schedules.backups.failed", "{backup}", "Backups that failed");
        _duration = meter.CreateHistogram<double>(
            "schedules.backup.duration", "s", "Time from a backup's claim to its end, completed or failed");
        _size = meter.CreateHistogram<long>("schedules.backup.size", "By", "Size of completed backups' objects");
        _slotLateness = meter.CreateHistogram<double>(
            "schedules.slot.lateness", "s", "Time from a schedule's slot to its backup being started");
    }

    public void BackupStarted(BackupKind kind) => _started.Add(1, Kind(kind));

    public void BackupCompleted(BackupKind kind, TimeSpan duration, long sizeBytes)
    {
        _completed.Add(1, Kind(kind));
        _duration.Record(duration.TotalSeconds, Kind(kind));
        _size.Record(sizeBytes, Kind(kind));
    }

    public void BackupFailed(BackupKind kind, TimeSpan duration)
    {
        _failed.Add(1, Kind(kind));
        _duration.Record(duration.TotalSeconds, Kind(kind));
    }

    public void SlotStarted(BackupKind kind, TimeSpan lateness) =>
        _slotLateness.Record(Math.Max(0, lateness.TotalSeconds), Kind(kind));

    private static KeyValuePair<string, object?> Kind(BackupKind kind) =>
        new("kind", kind == BackupKind.Full ? "full" : "incremental");
}
