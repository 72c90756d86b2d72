using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Data;

namespace Schedules.Backups;

/// <summary>
/// Fails backups left NEW or BUILDING by a process that stopped: their lease was not renewed in time. Without
/// this, a node that died mid-backup would keep its instance busy for ever.
/// </summary>
internal sealed partial class BackupLeaseSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<BackupOptions> options,
    ILogger<BackupLeaseSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseCheckInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Fails every running backup whose lease has expired; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var expired = await db.Backups
            .Where(b => (b.Status == BackupStatus.New || b.Status == BackupStatus.Building) && b.LeaseExpires < now)
            .Select(b => new { b.Id, b.ScheduleId, b.LeaseOwner })
            .ToListAsync(cancellationToken);

        var failed = 0;
        foreach (var backup in expired)
        {
            var reason = $"The service process running the backup ({backup.LeaseOwner}) stopped renewing its lease.";
            failed += await db.Backups
                .Where(b => b.Id == backup.Id && (b.Status == BackupStatus.New || b.Status == BackupStatus.Building)
                    && b.LeaseExpires < now)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(b => b.Status, BackupStatus.Failed)
                    .SetProperty(b => b.Reason, reason)
                    .SetProperty(b => b.LeaseOwner, (string?)null)
                    .SetProperty(b => b.LeaseExpires, (DateTime?)null)
                    .SetProperty(b => b.Updated, now), cancellationToken);
            if (backup.ScheduleId is { } scheduleId)
            {
                await db.Schedules.Where(s => s.Id == scheduleId)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.Running, false), cancellationToken);
            }

            LogExpired(logger, backup.Id, backup.LeaseOwner);
        }

        return failed;
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning,
        Message = "Backup {BackupId} was failed: its lease held by {LeaseOwner} expired")]
    private static partial void LogExpired(ILogger logger, Guid backupId, string? leaseOwner);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "Looking for expired backup leases failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
