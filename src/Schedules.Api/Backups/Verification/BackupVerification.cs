namespace Schedules.Backups.Verification;

/// <summary>
/// One restore check of a backup: its chain restored on the verification server, and what came out of it.
/// </summary>
internal sealed class BackupVerification
{
    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";

    /// <summary>Insertion order, which the list follows.</summary>
    public long Seq { get; set; }

    public Guid Id { get; set; }

    public required string AccountId { get; set; }

    public Guid BackupId { get; set; }

    public string Status { get; set; } = Running;

    /// <summary>The backups restored, full first, as a comma-separated list of ids.</summary>
    public string? Chain { get; set; }

    /// <summary>The restored tables with their row counts and checksums, as JSON.</summary>
    public string? Tables { get; set; }

    public double? DurationSeconds { get; set; }

    public string? Reason { get; set; }

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}
