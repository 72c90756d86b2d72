namespace Schedules.Instances;

/// <summary>A database instance registered with the service, whose backups it runs.</summary>
internal sealed class Instance
{
    /// <summary>Insertion order, which list paging follows.</summary>
    public long Seq { get; set; }

    public Guid Id { get; set; }

    public required string AccountId { get; set; }

    public required string Name { get; set; }

    public required string FlavorRef { get; set; }

    public int VolumeSize { get; set; }

    public required string DatastoreType { get; set; }

    public required string DatastoreVersion { get; set; }

    /// <summary>The configured connection profile the backup tools reach the instance with; null for none.</summary>
    public string? ConnectionProfile { get; set; }

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}
