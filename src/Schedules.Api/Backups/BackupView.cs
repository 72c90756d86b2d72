using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Schedules.Api;

namespace Schedules.Backups;

/// <summary>A backup as the API shows it, in the field order of the original samples.</summary>
internal sealed record BackupView(
    string Id,
    string Name,
    string? Description,
    string InstanceId,
    [property: JsonPropertyName("locationRef")] string? LocationRef,
    string Created,
    string Updated,
    double? Size,
    string Status,
    string? ParentId,
    BackupDatastore Datastore,
    int IsAutomated,
    string Type,
    int? FlavorRam,
    int VolumeSize,
    BackupSource Source)
{
    private const double BytesPerGigabyte = 1024d * 1024 * 1024;

    public static BackupView Of(Backup backup)
    {
        var instanceId = Ids.Format(backup.InstanceId);
        return new BackupView(
            Ids.Format(backup.Id),
            backup.Name,
            backup.Description,
            instanceId,
            backup.LocationRef,
            Timestamps.Write(backup.Created),
            Timestamps.Write(backup.Updated),
            backup.SizeBytes is { } bytes ? bytes / BytesPerGigabyte : null,
            backup.Status,
            backup.ParentId is { } parentId ? Ids.Format(parentId) : null,
            BackupDatastore.Of(backup.DatastoreType, backup.DatastoreVersion),
            backup.IsAutomated ? 1 : 0,
            backup.Type,
            backup.FlavorRam,
            backup.VolumeSize,
            new BackupSource("instance", instanceId));
    }
}

internal sealed record BackupDatastore(string Type, string Version, string VersionId)
{
    public static BackupDatastore Of(string type, string version) => new(type, version, VersionIdOf(type, version));

    /// <summary>
    /// Datastore versions have no table of their own here, so a version's id is derived from its name: a UUID
    /// (RFC 9562 version 8) made of the SHA-256 of <c>datastore:&lt;type&gt;:&lt;version&gt;</c>, the same on every
    /// node and every day.
    /// </summary>
    public static string VersionIdOf(string type, string version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"datastore:{type}:{version}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return Ids.Format(new Guid(hash.AsSpan(0, 16), bigEndian: true));
    }
}

internal sealed record BackupSource(string Type, string Id);

internal sealed record BackupEnvelope(BackupView Backup);

internal sealed record BackupList(
    IReadOnlyList<BackupView> Backups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Link>? Links);
