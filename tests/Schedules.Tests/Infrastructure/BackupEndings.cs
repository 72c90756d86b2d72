using System.Collections.Concurrent;
using Schedules.Backups;

namespace Schedules.Tests.Infrastructure;

/// <summary>
/// The last of the handlers the runner calls when a backup ends: tells a test that every handler before it, such
/// as retention, is done with the backup.
/// </summary>
internal sealed class BackupEndings : IBackupFinishedHandler
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _ended = new();

    /// <summary>Completes once the runner has handed the ended backup to every handler.</summary>
    public Task HandledAsync(Guid backupId) => Signal(backupId).Task.WaitAsync(BackupSteps.Patience);

    public Task OnFinishedAsync(Backup backup, CancellationToken cancellationToken)
    {
        Signal(backup.Id).TrySetResult();
        return Task.CompletedTask;
    }

    private TaskCompletionSource Signal(Guid backupId) =>
        _ended.GetOrAdd(backupId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
