using System.IO.Compression;
using System.Text.Json;
using Schedules.Api;
using Schedules.Backups.Storage;

namespace Schedules.Backups.Execution;

/// <summary>
/// The executor for instances the service cannot reach: it writes a real, compressed object that records what the
/// backup is (instance, kind, parent, time), through the same storage path every executor uses.
/// </summary>
internal sealed class LocalBackupExecutor(IBackupStorage storage, TimeProvider time) : IBackupExecutor
{
    public Task<StoredObject> RunAsync(BackupWork work, CancellationToken cancellationToken) =>
        storage.WriteAsync(work.AccountId, work.ObjectName, async (stream, token) =>
        {
            await using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            await JsonSerializer.SerializeAsync(
                gzip,
                new
                {
                    backup_id = Ids.Format(work.BackupId),
                    instance_id = Ids.Format(work.InstanceId),
                    parent_id = work.ParentId is { } parent ? Ids.Format(parent) : null,
                    kind = work.Kind.ToString().ToLowerInvariant(),
                    datastore = work.DatastoreType,
                    taken_at = Timestamps.Write(time.GetUtcNow().UtcDateTime),
                },
                cancellationToken: token);
        }, cancellationToken);
}
