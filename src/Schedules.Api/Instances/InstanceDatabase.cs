namespace Schedules.Instances;

/// <summary>A database (schema) on an instance, in Trove's sense.</summary>
internal sealed class InstanceDatabase
{
    public long Seq { get; set; }

    public Guid InstanceId { get; set; }

    public required string Name { get; set; }

    public string? CharacterSet { get; set; }

    public string? Collate { get; set; }
}

/// <summary>A database user on an instance. No password is kept: the service never needs one back.</summary>
internal sealed class InstanceUser
{
    public long Seq { get; set; }

    public Guid InstanceId { get; set; }

    public required string Name { get; set; }

    public string Host { get; set; } = "%";

    /// <summary>Names of the databases the user may use, comma-separated.</summary>
    public string Databases { get; set; } = "";
}
