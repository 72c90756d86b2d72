using System.Collections.Concurrent;
using Schedules.Backups.Storage;

namespace Schedules.Tests.Infrastructure;

/// <summary>The service's file-system storage, whose deletes a test can make fail for one account.</summary>
internal sealed class TestBackupStorage(FileSystemBackupStorage files) : IBackupStorage
{
    private readonly ConcurrentDictionary<string, bool> _failingDeletes = new();

    public FileSystemBackupStorage Files => files;

    public void FailDeletes(string accountId) => _failingDeletes[accountId] = true;

    public void AllowDeletes(string accountId) => _failingDeletes.TryRemove(accountId, out _);

    public Task<StoredObject> WriteAsync(
        string accountId,
        string objectName,
        Func<Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken) =>
        files.WriteAsync(accountId, objectName, write, cancellationToken);

    public Task<Stream> OpenReadAsync(
        string accountId,
        string objectName,
        string checksum,
        CancellationToken cancellationToken) =>
        files.OpenReadAsync(accountId, objectName, checksum, cancellationToken);

    public Task<bool> ExistsAsync(string accountId, string objectName, CancellationToken cancellationToken) =>
        files.ExistsAsync(accountId, objectName, cancellationToken);

    public Task DeleteAsync(string accountId, string objectName, CancellationToken cancellationToken) =>
        _failingDeletes.ContainsKey(accountId)
            ? throw new UnauthorizedAccessException($"Access to the path '{objectName}' is denied.")
            : files.DeleteAsync(accountId, objectName, cancellationToken);
}
