using Schedules.Backups.MySql;

namespace Schedules.Backups;

/// <summary>
/// One backup of an instance: a full, or an incremental on <see cref="ParentId"/>. It keeps its own copy of the
/// instance's datastore and size, since it outlives the instance.
/// </summary>
internal sealed class Backup
{
    public const string FullType = "InnoBackupEx";
    public const string IncrementalType = "InnoBackupExIncremental";
    public const string Container = "z_CLOUDDB_BACKUPS";

    /// <summary>Insertion order, which list paging follows.</summary>
    public long Seq { get; set; }

    public Guid Id { get; set; }

    public required string AccountId { get; set; }

    public Guid InstanceId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public Guid? ParentId { get; set; }

    public string Status { get; set; } = BackupStatus.New;

    /// <summary><see cref="FullType"/> or <see cref="IncrementalType"/>.</summary>
    public required string Type { get; set; }

    public bool IsAutomated { get; set; }

    /// <summary>The schedule that started the backup; null for a manual backup.</summary>
    public Guid? ScheduleId { get; set; }

    public required string DatastoreType { get; set; }

    public required string DatastoreVersion { get; set; }

    public int? FlavorRam { get; set; }

    public int VolumeSize { get; set; }

    /// <summary>The stored object's URL; set when the backup completes.</summary>
    public string? LocationRef { get; set; }

    /// <summary>The stored object's size in bytes.</summary>
    public long? SizeBytes { get; set; }

    /// <summary>SHA-256 of the stored object, lower-case hex.</summary>
    public string? Checksum { get; set; }

    /// <summary>The binary log file and offset the backup ends at; the next incremental reads on from there.</summary>
    public string? BinlogFile { get; set; }

    public long? BinlogOffset { get; set; }

    /// <summary>Why the backup failed, or why its files could not be deleted.</summary>
    public string? Reason { get; set; }

    /// <summary>The process that runs the backup, and until when its claim holds unless renewed.</summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpires { get; set; }

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }

    public BackupKind Kind => ParentId is null ? BackupKind.Full : BackupKind.Incremental;

    public bool IsRunning => BackupStatus.IsRunning(Status);

    public string ObjectName => $"{Id:D}.xbstream.gz";

    public BinlogPosition? EndPosition =>
        BinlogFile is not null && BinlogOffset is { } offset ? new BinlogPosition(BinlogFile, offset) : null;
}

internal static class BackupStatus
{
    public const string New = "NEW";
    public const string Building = "BUILDING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string DeleteFailed = "DELETE_FAILED";

    /// <summary>
    /// The statuses during which the instance is busy; the database allows one such backup per instance.
    /// </summary>
    public const string RunningFilter = "status IN ('NEW', 'BUILDING')";

    public static bool IsRunning(string status) => status is New or Building;
}
