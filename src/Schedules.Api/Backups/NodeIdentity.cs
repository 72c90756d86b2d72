namespace Schedules.Backups;

/// <summary>Names this service process in the leases it takes on running backups.</summary>
internal sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public override string ToString() => Id;
}
