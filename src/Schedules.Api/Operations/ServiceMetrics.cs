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

    /// <summary>A backup takes seconds on an empty instance and hours on a large one (Backups:Timeout: 6 h).</summary>
    private static readonly double[] DurationBuckets = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400, 21600];

    /// <summary>From a kibibyte up to a tebibyte, by factors of 16.</summary>
    private static readonly long[] SizeBuckets = [1L << 10, 1L << 14, 1L << 18, 1L << 22, 1L << 26, 1L << 30,
        1L << 34, 1L << 38, 1L << 40];

    /// <summary>On time is under a second; a slot that waited for a busy instance or an outage is later.</summary>
    private static readonly double[] LatenessBuckets = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

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
        _duration = meter.CreateHistogram(
            "schedules.backup.duration", "s", "Time from a backup's claim to its end, completed or failed",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _size = meter.CreateHistogram(
            "schedules.backup.size", "By", "Size of completed backups' objects",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        _slotLateness = meter.CreateHistogram(
            "schedules.slot.lateness", "s", "Time from a schedule's slot to its backup being started",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });
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
