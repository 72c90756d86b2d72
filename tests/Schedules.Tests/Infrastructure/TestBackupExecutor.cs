using System.Collections.Concurrent;
using Schedules.Backups.Execution;
using Schedules.Backups.Storage;

namespace Schedules.Tests.Infrastructure;

/// <summary>
/// The service's own executor (the dispatching one: instances with a connection profile really reach MariaDB),
/// which a test can hold back, to keep an instance's backup NEW or BUILDING for as long as it needs, or make fail.
/// Both are per instance, so tests sharing a host do not disturb each other.
/// </summary>
internal sealed class TestBackupExecutor(DispatchingBackupExecutor inner) : IBackupExecutor
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _holds = new();
    private readonly ConcurrentDictionary<Guid, string> _failures = new();

    /// <summary>Holds every backup of the instance at its start until the hold is released.</summary>
    public BackupHold Hold(string instanceId)
    {
        var id = Guid.Parse(instanceId);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holds[id] = gate;
        return new BackupHold(() =>
        {
            _holds.TryRemove(new KeyValuePair<Guid, TaskCompletionSource>(id, gate));
            gate.TrySetResult();
        });
    }

    /// <summary>Makes every backup of the instance fail with the reason, until <see cref="Succeed"/>.</summary>
    public void Fail(string instanceId, string reason) => _failures[Guid.Parse(instanceId)] = reason;

    public void Succeed(string instanceId) => _failures.TryRemove(Guid.Parse(instanceId), out _);

    public async Task<StoredObject> RunAsync(BackupWork work, CancellationToken cancellationToken)
    {
        if (_holds.TryGetValue(work.InstanceId, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (_failures.TryGetValue(work.InstanceId, out var reason))
        {
            throw new IOException(reason);
        }

        return await inner.RunAsync(work, cancellationToken);
    }
}

/// <summary>A held instance: releasing (or disposing) lets its backups run.</summary>
internal sealed class BackupHold(Action release) : IDisposable
{
    private int _released;

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }

    public void Dispose() => Release();
}
