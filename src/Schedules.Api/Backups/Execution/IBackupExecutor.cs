using Schedules.Backups.MySql;
using Schedules.Backups.Storage;

namespace Schedules.Backups.Execution;

/// <summary>
/// What an executor needs to take one backup: with the instance's connection profile (null for an instance the
/// service does not reach) and, for an incremental, where in the binary log its parent ended.
/// </summary>
internal sealed record BackupWork(
    Guid BackupId,
    string AccountId,
    Guid InstanceId,
    Guid? ParentId,
    BackupKind Kind,
    string ObjectName,
    string DatastoreType,
    string? ConnectionProfile = null,
    BinlogPosition? ParentPosition = null);

/// <summary>
/// Takes a backup and stores it as one object in the account's container. Manual and scheduled backups both
/// run through it; it throws with a one-line message when the backup fails.
/// </summary>
internal interface IBackupExecutor
{
    Task<StoredObject> RunAsync(BackupWork work, CancellationToken cancellationToken);
}
