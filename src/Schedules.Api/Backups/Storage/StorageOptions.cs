using System.ComponentModel.DataAnnotations;

namespace Schedules.Backups.Storage;

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The folder that holds each account's container, as <c>&lt;root&gt;/&lt;account&gt;/z_CLOUDDB_BACKUPS</c>.
    /// </summary>
    [Required]
    public string Root { get; set; } = "data/storage";
}
