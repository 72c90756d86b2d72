using Microsoft.EntityFrameworkCore;
using Schedules.Data;

namespace Schedules.Backups;

/// <summary>
/// Keeps a schedule's <c>full_backup_retention</c> newest completed full backups, each with its incrementals: when
/// one of its full backups completes, the oldest fulls beyond that number go, with their incrementals.
/// </summary>
/// <remarks>
/// FAILED backups never count as kept, and nothing is expired while the schedule's latest backup has failed: a
/// schedule that keeps failing must not expire its last good backups. The newest completed chain is never removed.
/// Deleting a schedule stops its retention: its backups stay.
/// </remarks>
internal sealed partial class BackupRetention(
    SchedulesDbContext db,
    BackupDeleter deleter,
    ILogger<BackupRetention> logger) : IBackupFinishedHandler
{
    public async Task OnFinishedAsync(Backup backup, CancellationToken cancellationToken)
    {
        if (backup.ScheduleId is not { } scheduleId || backup.Status != BackupStatus.Completed
            || backup.Kind != BackupKind.Full)
        {
            return;
        }

        var retention = await db.Schedules
            .Where(s => s.Id == scheduleId)
            .Select(s => (int?)s.FullBackupRetention)
            .FirstOrDefaultAsync(cancellationToken);
        if (retention is null)
        {
            return;
        }

        var latest = await db.Backups.AsNoTracking()
            .Where(b => b.ScheduleId == scheduleId
                && (b.Status == BackupStatus.Completed || b.Status == BackupStatus.Failed))
            .OrderByDescending(b => b.Seq)
            .FirstOrDefaultAsync(cancellationToken);
        if (latest is not null && latest.Status == BackupStatus.Failed)
        {
            LogPaused(logger, scheduleId, latest.Id);
            return;
        }

        var fulls = await db.Backups
            .Where(b => b.ScheduleId == scheduleId && b.ParentId == null && b.Status == BackupStatus.Completed)
            .OrderByDescending(b => b.Seq)
            .Select(b => b.Id)
            .ToListAsync(cancellationToken);
        foreach (var expired in fulls.Skip(Math.Max(1, retention.Value)))
        {
            var deletion = await deleter.DeleteChainAsync(backup.AccountId, expired, cancellationToken);
            if (deletion.RunningId is { } runningId)
            {
                LogChainRunning(logger, expired, runningId);
            }
            else
            {
                LogExpired(logger, expired, scheduleId, retention.Value, deletion.Deleted, deletion.Failed);
            }
        }
    }

    [LoggerMessage(EventId = 5040, Level = LogLevel.Information,
        Message = "Expired full backup {BackupId} of schedule {ScheduleId}, which keeps {Retention}: "
            + "{Deleted} backups deleted, {Failed} could not be")]
    private static partial void LogExpired(
        ILogger logger, Guid backupId, Guid scheduleId, int retention, int deleted, int failed);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Warning,
        Message = "Retention of schedule {ScheduleId} is paused: its latest backup {BackupId} failed")]
    private static partial void LogPaused(ILogger logger, Guid scheduleId, Guid backupId);

    [LoggerMessage(EventId = 5042, Level = LogLevel.Warning,
        Message = "Full backup {BackupId} is past retention but stays for now: "
            + "backup {RunningId} of its chain is running")]
    private static partial void LogChainRunning(ILogger logger, Guid backupId, Guid runningId);
}
