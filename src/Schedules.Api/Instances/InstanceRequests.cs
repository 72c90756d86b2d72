using System.Text.Json;
using Schedules.Api;

namespace Schedules.Instances;

/// <summary>The body of <c>POST /instances</c>, in Trove's shape.</summary>
internal sealed record CreateInstanceRequest(CreateInstanceFields Instance);

internal sealed record CreateInstanceFields(
    string Name,
    string FlavorRef,
    InstanceVolume Volume,
    InstanceDatastore? Datastore,
    [property: System.ComponentModel.Description(
        "Extension: the name of a connection profile in the service's configuration "
        + "(Instances:Profiles:<name>) through which the service reaches the instance to back it up.")]
    string? ConnectionProfile = null);

internal sealed record InstanceVolume(int Size);

internal sealed record InstanceDatastore(string Type, string Version);

/// <summary>The body of <c>POST /instances/{instanceId}/action</c>: one of the actions, with an empty object.</summary>
internal sealed record InstanceActionRequest(EmptyBody? Restart, EmptyBody? Stop);

internal sealed record EmptyBody;

/// <summary>Reads and checks the body of <c>POST /instances</c>.</summary>
internal static class InstanceRequestReader
{
    public const int MaxVolumeSize = 10_000;

    /// <summary>The MySQL family, which the service can back up, with the version used when none is given.</summary>
    public static readonly IReadOnlyDictionary<string, string> Datastores = new Dictionary<string, string>
    {
        ["mysql"] = "5.6",
        ["percona"] = "5.6",
        ["mariadb"] = "10.11",
    };

    public static Checked<CreateInstanceFields> ReadCreate(JsonElement body)
    {
        var name = JsonFields.String(body, "name", required: true);
        if (name.Fault is not null)
        {
            return name.Fault;
        }

        var flavor = ReadFlavor(body);
        if (flavor.Fault is not null)
        {
            return flavor.Fault;
        }

        if (!body.TryGetProperty("volume", out var volume) || volume.ValueKind == JsonValueKind.Null)
        {
            return Fault.BadRequest("Missing required field 'volume'.");
        }

        if (volume.ValueKind != JsonValueKind.Object)
        {
            return Fault.BadRequest("Invalid 'volume': must be an object with a 'size'.");
        }

        var size = JsonFields.Integer(volume, "size", 1, MaxVolumeSize, required: true);
        if (size.Fault is not null)
        {
            return Fault.BadRequest(size.Fault.Message.Replace("'size'", "'volume.size'", StringComparison.Ordinal));
        }

        var datastore = ReadDatastore(body);
        if (datastore.Fault is not null)
        {
            return datastore.Fault;
        }

        var profile = JsonFields.String(body, "connection_profile", required: false, maxLength: 64);
        if (profile.Fault is not null)
        {
            return profile.Fault;
        }

        return new CreateInstanceFields(
            name.Value!, flavor.Value!, new InstanceVolume(size.Value!.Value), datastore.Value, profile.Value);
    }

    /// <summary>The action a body such as <c>{"restart": {}}</c> asks for: <c>restart</c> or <c>stop</c>.</summary>
    public static Checked<string> ReadAction(JsonElement body)
    {
        var actions = body.ValueKind == JsonValueKind.Object ? body.EnumerateObject().ToList() : [];
        if (actions.Count == 0)
        {
            return Fault.BadRequest("The request body must be a JSON object naming an action: 'restart' or 'stop'.");
        }

        foreach (var action in actions)
        {
            if (action.Name is not ("restart" or "stop"))
            {
                continue;
            }

            if (action.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return Fault.BadRequest($"Invalid '{action.Name}': must be an object, such as {{}}.");
            }

            return action.Name;
        }

        var name = actions[0].Name;
        return name == "resize"
            ? Fault.NotImplemented("The 'resize' action is not supported: this service does not manage instance hosts.")
            : Fault.BadRequest($"Invalid instance action '{JsonFields.Truncate(name)}': use 'restart' or 'stop'.");
    }

    /// <summary>A flavor is given by id or by its URL; clients of different eras send a number or a string.</summary>
    private static Checked<string> ReadFlavor(JsonElement body)
    {
        if (!body.TryGetProperty("flavorRef", out var flavor) || flavor.ValueKind == JsonValueKind.Null)
        {
            return Fault.BadRequest("Missing required field 'flavorRef'.");
        }

        var text = flavor.ValueKind switch
        {
            JsonValueKind.String => flavor.GetString()!.Trim(),
            JsonValueKind.Number => flavor.GetRawText(),
            _ => "",
        };
        if (text.Length == 0 || text.Length > JsonFields.MaxStringLength)
        {
            return Fault.BadRequest("Invalid 'flavorRef': must be a flavor id or URL.");
        }

        // Only the flavor's id is kept: the last segment of a URL.
        return text.TrimEnd('/').Split('/')[^1];
    }

    private static Checked<InstanceDatastore> ReadDatastore(JsonElement body)
    {
        if (!body.TryGetProperty("datastore", out var datastore) || datastore.ValueKind == JsonValueKind.Null)
        {
            return new InstanceDatastore("mysql", Datastores["mysql"]);
        }

        if (datastore.ValueKind != JsonValueKind.Object)
        {
            return Fault.BadRequest("Invalid 'datastore': must be an object with 'type' and 'version'.");
        }

        var type = JsonFields.String(datastore, "type", required: false, maxLength: 32);
        var version = JsonFields.String(datastore, "version", required: false, maxLength: 32);
        if (type.Fault is not null || version.Fault is not null)
        {
            return Fault.BadRequest("Invalid 'datastore': 'type' and 'version' must be strings of 1 to 32 characters.");
        }

        var typeName = type.Value?.ToLowerInvariant() ?? "mysql";
        if (!Datastores.TryGetValue(typeName, out var defaultVersion))
        {
            return Fault.BadRequest($"Invalid 'datastore.type': '{JsonFields.Truncate(typeName)}' is not supported; "
                + "use one of " + string.Join(", ", Datastores.Keys) + ".");
        }

        return new InstanceDatastore(typeName, version.Value ?? defaultVersion);
    }
}
