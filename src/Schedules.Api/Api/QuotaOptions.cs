using System.ComponentModel.DataAnnotations;

namespace Schedules.Api;

/// <summary>How many resources one tenant may hold; over quota answers 413.</summary>
internal sealed class QuotaOptions
{
    public const string Section = "Quotas";

    [Range(1, int.MaxValue)]
    public int Instances { get; set; } = 100;

    [Range(1, int.MaxValue)]
    public int Backups { get; set; } = 50;

    public static Fault Exceeded(string resource) =>
        Fault.OverLimit($"Quota exceeded for resources: ['{resource}'].");
}
