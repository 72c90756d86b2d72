using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Backups.Execution;
using Schedules.Backups.Storage;
using Schedules.Data;
using Schedules.Operations;

namespace Schedules.Backups;

/// <summary>Told when a backup this process ran has ended, COMPLETED or FAILED.</summary>
internal interface IBackupFinishedHandler
{
    Task OnFinishedAsync(Backup backup, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the backups this process created: claims each (NEW to BUILDING), renews its lease while the executor
/// works, and records the outcome. A process that dies leaves an expiring lease for <see cref="BackupLeaseSweeper"/>.
/// </summary>
internal sealed partial class BackupRunner(
    IServiceScopeFactory scopes,
    IBackupExecutor executor,
    IBackupStorage storage,
    NodeIdentity node,
    TimeProvider time,
    ServiceMetrics metrics,
    IOptions<BackupOptions> options,
    ILogger<BackupRunner> logger) : BackgroundService
{
    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();

    /// <summary>Hands a saved NEW backup to the workers.</summary>
    public void Enqueue(Guid backupId) => _queue.Writer.TryWrite(backupId);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var backupId in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(backupId, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be down; the backup's lease runs out and the sweeper fails it.
                LogRunFailed(logger, e, backupId);
            }
        }
    }

    private async Task RunAsync(Guid backupId, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var lease = options.Value.Lease;

        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await db.Backups
            .Where(b => b.Id == backupId && b.Status == BackupStatus.New)
            .ExecuteUpdateAsync(set => set
                .SetProperty(b => b.Status, BackupStatus.Building)
                .SetProperty(b => b.LeaseOwner, node.Id)
                .SetProperty(b => b.LeaseExpires, now + lease)
                .SetProperty(b => b.Updated, now), stoppingToken);
        if (claimed == 0)
        {
            return;
        }

        var claimedAt = time.GetTimestamp();
        var backup = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == backupId, stoppingToken);
        var profile = await db.Instances.Where(i => i.Id == backup.InstanceId)
            .Select(i => i.ConnectionProfile)
            .FirstOrDefaultAsync(stoppingToken);
        var parent = backup.ParentId is { } parentId
            ? await db.Backups.AsNoTracking().FirstOrDefaultAsync(b => b.Id == parentId, stoppingToken)
            : null;
        LogBuilding(logger, backup.Id, backup.InstanceId, backup.Kind);
        metrics.BackupStarted(backup.Kind);

        using var timeout = new CancellationTokenSource(options.Value.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        using var heartbeat = new CancellationTokenSource();
        var renewing = RenewLeaseAsync(backupId, heartbeat.Token);

        StoredObject? stored = null;
        string? reason = null;
        try
        {
            stored = await executor.RunAsync(
                new BackupWork(backup.Id, backup.AccountId, backup.InstanceId, backup.ParentId, backup.Kind,
                    backup.ObjectName, backup.DatastoreType, profile, parent?.EndPosition),
                linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            reason = $"The backup took longer than {options.Value.Timeout} and was stopped.";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reason = OneLine(e.Message);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await renewing;
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var duration = time.GetElapsedTime(claimedAt);
        await FinishAsync(scope.ServiceProvider, db, backup, stored, reason, duration, stoppingToken);
    }

    private async Task FinishAsync(
        IServiceProvider services,
        SchedulesDbContext db,
        Backup backup,
        StoredObject? stored,
        string? reason,
        TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var mine = db.Backups.Where(b => b.Id == backup.Id && b.Status == BackupStatus.Building
            && b.LeaseOwner == node.Id);
        int recorded;
        if (stored is not null)
        {
            recorded = await mine.ExecuteUpdateAsync(set => set
                .SetProperty(b => b.Status, BackupStatus.Completed)
                .SetProperty(b => b.LocationRef, stored.LocationRef)
                .SetProperty(b => b.SizeBytes, stored.SizeBytes)
                .SetProperty(b => b.Checksum, stored.Checksum)
                .SetProperty(b => b.BinlogFile, stored.EndPosition == null ? null : stored.EndPosition.File)
                .SetProperty(b => b.BinlogOffset, stored.EndPosition == null ? null : stored.EndPosition.Position)
                .SetProperty(b => b.LeaseOwner, (string?)null)
                .SetProperty(b => b.LeaseExpires, (DateTime?)null)
                .SetProperty(b => b.Updated, now), cancellationToken);
        }
        else
        {
            await storage.DeleteAsync(backup.AccountId, backup.ObjectName, cancellationToken);
            recorded = await mine.ExecuteUpdateAsync(set => set
                .SetProperty(b => b.Status, BackupStatus.Failed)
                .SetProperty(b => b.Reason, reason)
                .SetProperty(b => b.LeaseOwner, (string?)null)
                .SetProperty(b => b.LeaseExpires, (DateTime?)null)
                .SetProperty(b => b.Updated, now), cancellationToken);
        }

        if (recorded == 0)
        {
            // The lease ran out meanwhile and the backup was failed; what was written belongs to nobody.
            await storage.DeleteAsync(backup.AccountId, backup.ObjectName, cancellationToken);
            LogLeaseLost(logger, backup.Id);
            return;
        }

        if (backup.ScheduleId is { } scheduleId)
        {
            await db.Schedules.Where(s => s.Id == scheduleId)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Running, false), cancellationToken);
        }

        var finished = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == backup.Id, cancellationToken);
        if (stored is not null)
        {
            LogCompleted(logger, backup.Id, stored.SizeBytes);
            metrics.BackupCompleted(backup.Kind, duration, stored.SizeBytes);
        }
        else
        {
            LogFailed(logger, backup.Id, reason!);
            metrics.BackupFailed(backup.Kind, duration);
        }

        foreach (var handler in services.GetServices<IBackupFinishedHandler>())
        {
            await handler.OnFinishedAsync(finished, cancellationToken);
        }
    }

    private async Task RenewLeaseAsync(Guid backupId, CancellationToken stop)
    {
        var lease = options.Value.Lease;
        using var timer = new PeriodicTimer(lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
                var now = time.GetUtcNow().UtcDateTime;
                await db.Backups
                    .Where(b => b.Id == backupId && b.Status == BackupStatus.Building && b.LeaseOwner == node.Id)
                    .ExecuteUpdateAsync(
                        set => set.SetProperty(b => b.LeaseExpires, now + lease),
                        CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogRenewFailed(logger, e, backupId);
        }
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 1000 ? line : line[..1000];
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Backup {BackupId} of instance {InstanceId} is building ({Kind})")]
    private static partial void LogBuilding(ILogger logger, Guid backupId, Guid instanceId, BackupKind kind);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Backup {BackupId} completed: {SizeBytes} bytes")]
    private static partial void LogCompleted(ILogger logger, Guid backupId, long sizeBytes);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Backup {BackupId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid backupId, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Backup {BackupId} lost its lease before it finished; its object was removed")]
    private static partial void LogLeaseLost(ILogger logger, Guid backupId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Running backup {BackupId} failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, Guid backupId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Renewing the lease of backup {BackupId} failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, Guid backupId);
}
