using System.Text.Json.Serialization;
using Schedules.Api;

namespace Schedules.Instances;

/// <summary>An instance as Trove shows it: <c>status</c> is BACKUP while a backup of it is NEW or BUILDING.</summary>
internal sealed record InstanceView(
    string Id,
    string Name,
    string Status,
    string Created,
    string Updated,
    InstanceFlavor Flavor,
    InstanceVolume Volume,
    InstanceDatastore Datastore,
    IReadOnlyList<Link> Links,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConnectionProfile)
{
    public const string Active = "ACTIVE";
    public const string Backup = "BACKUP";

    public static InstanceView Of(Instance instance, string accountUrl, bool backingUp)
    {
        var id = Ids.Format(instance.Id);
        var flavorUrl = $"{accountUrl}/flavors/{instance.FlavorRef}";
        var instanceUrl = $"{accountUrl}/instances/{id}";
        return new InstanceView(
            id,
            instance.Name,
            backingUp ? Backup : Active,
            Timestamps.Write(instance.Created),
            Timestamps.Write(instance.Updated),
            new InstanceFlavor(instance.FlavorRef, [new Link(flavorUrl, "self"), new Link(flavorUrl, "bookmark")]),
            new InstanceVolume(instance.VolumeSize),
            new InstanceDatastore(instance.DatastoreType, instance.DatastoreVersion),
            [new Link(instanceUrl, "self"), new Link(instanceUrl, "bookmark")],
            instance.ConnectionProfile);
    }
}

internal sealed record InstanceFlavor(string Id, IReadOnlyList<Link> Links);

internal sealed record InstanceEnvelope(InstanceView Instance);

internal sealed record InstanceList(
    IReadOnlyList<InstanceView> Instances,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Link>? Links);
