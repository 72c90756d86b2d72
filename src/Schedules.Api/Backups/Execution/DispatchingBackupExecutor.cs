using Schedules.Backups.MySql;
using Schedules.Backups.Storage;

namespace Schedules.Backups.Execution;

/// <summary>
/// Chooses the executor for each backup: an instance registered with a connection profile is backed up over the
/// network with the MariaDB tools; one without is recorded by <see cref="LocalBackupExecutor"/>.
/// </summary>
internal sealed class DispatchingBackupExecutor(LocalBackupExecutor local, MySqlBackupExecutor mysql) : IBackupExecutor
{
    public Task<StoredObject> RunAsync(BackupWork work, CancellationToken cancellationToken) =>
        work.ConnectionProfile is null
            ? local.RunAsync(work, cancellationToken)
            : mysql.RunAsync(work, cancellationToken);
}
