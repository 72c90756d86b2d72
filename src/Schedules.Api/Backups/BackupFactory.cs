using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Data;
using Schedules.Instances;

namespace Schedules.Backups;

/// <summary>Builds new backups of an instance, in status NEW and under this process's lease.</summary>
internal sealed class BackupFactory(TimeProvider time, NodeIdentity node, IOptions<BackupOptions> options)
{
    /// <summary>Memory of the Cloud Databases flavors, by flavor id, for the backup's <c>flavor_ram</c>.</summary>
    private static readonly Dictionary<string, int> FlavorRam = new()
    {
        ["1"] = 512, ["2"] = 1024, ["3"] = 2048, ["4"] = 4096, ["5"] = 8192, ["6"] = 16384,
        ["7"] = 32768, ["8"] = 65536,
    };

    public Backup Create(
        Instance instance,
        string name,
        string? description,
        Backup? parent,
        Guid? scheduleId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new Backup
        {
            Id = Guid.NewGuid(),
            AccountId = instance.AccountId,
            InstanceId = instance.Id,
            Name = name,
            Description = description,
            ParentId = parent?.Id,
            Type = parent is null ? Backup.FullType : Backup.IncrementalType,
            IsAutomated = scheduleId is not null,
            ScheduleId = scheduleId,
            DatastoreType = instance.DatastoreType,
            DatastoreVersion = instance.DatastoreVersion,
            FlavorRam = FlavorRam.TryGetValue(instance.FlavorRef, out var ram) ? ram : null,
            VolumeSize = instance.VolumeSize,
            LeaseOwner = node.Id,
            LeaseExpires = now + options.Value.Lease,
            Created = now,
            Updated = now,
        };
    }

    /// <summary>Whether a backup of the instance is NEW or BUILDING, which keeps the instance busy.</summary>
    public static Task<bool> IsInstanceBusyAsync(
        SchedulesDbContext db,
        Guid instanceId,
        CancellationToken cancellationToken) =>
        db.Backups.AnyAsync(
            b => b.InstanceId == instanceId && (b.Status == BackupStatus.New || b.Status == BackupStatus.Building),
            cancellationToken);

    public static string BusyMessage(Guid instanceId) =>
        $"Instance {instanceId:D} is not currently available for an action to be performed (status was BACKUP).";
}
