using System.Text.Json;
using Schedules.Api;

namespace Schedules.Backups;

/// <summary>The body of <c>POST /backups</c>.</summary>
internal sealed record CreateBackupRequest(CreateBackupFields Backup);

/// <summary>
/// A backup to take, checked. <c>instance_id</c> is accepted for <c>instance</c>; <c>incremental</c> is 0 or 1 on
/// the wire (python-troveclient always sends it).
/// </summary>
internal sealed record CreateBackupFields(
    string Name,
    Guid Instance,
    string? Description,
    Guid? ParentId,
    bool Incremental);

/// <summary>Reads and checks the body of <c>POST /backups</c>; each fault names the field at fault.</summary>
internal static class BackupRequestReader
{
    public const int MaxNameLength = 64;

    public static Checked<CreateBackupFields> ReadCreate(JsonElement body)
    {
        var name = JsonFields.String(body, "name", required: true, maxLength: MaxNameLength);
        if (name.Fault is not null)
        {
            return name.Fault;
        }

        var instance = ReadInstance(body);
        var description = ReadDescription(body);
        var parentId = JsonFields.Id(body, "parent_id", required: false);
        var incremental = ReadIncremental(body);
        var fault = instance.Fault ?? description.Fault ?? parentId.Fault ?? incremental.Fault;
        if (fault is not null)
        {
            return fault;
        }

        return new CreateBackupFields(
            name.Value!, instance.Value, description.Value, parentId.Value, incremental.Value);
    }

    /// <summary>
    /// The instance to back up, by id or, as Trove also accepts, by its URL. The contract names the field
    /// <c>instance</c>; <c>instance_id</c> is accepted too, and when both are given they must agree.
    /// </summary>
    private static Checked<Guid> ReadInstance(JsonElement body)
    {
        Guid? found = null;
        foreach (var name in new[] { "instance", "instance_id" })
        {
            var text = JsonFields.String(body, name, required: false);
            if (text.Fault is not null)
            {
                return text.Fault;
            }

            if (text.Value is null)
            {
                continue;
            }

            if (!Ids.TryParse(text.Value.TrimEnd('/').Split('/')[^1], out var id))
            {
                return Fault.BadRequest(
                    $"Invalid '{name}': '{JsonFields.Truncate(text.Value)}' is not an instance id or URL.");
            }

            if (found is { } earlier && earlier != id)
            {
                return Fault.BadRequest($"Invalid '{name}': it names another instance than 'instance'.");
            }

            found = id;
        }

        return found is { } instanceId
            ? instanceId
            : Fault.BadRequest("Missing required field 'instance' (also accepted as 'instance_id').");
    }

    /// <summary>An empty description is no description: some clients send <c>""</c> for one not given.</summary>
    private static Checked<string?> ReadDescription(JsonElement body) =>
        body.TryGetProperty("description", out var value) && value.ValueKind == JsonValueKind.String
            && string.IsNullOrWhiteSpace(value.GetString())
            ? (string?)null
            : JsonFields.String(body, "description", required: false);

    /// <summary>0 or 1, as python-troveclient sends it; <c>true</c> and <c>false</c> are taken too.</summary>
    private static Checked<bool> ReadIncremental(JsonElement body)
    {
        if (!body.TryGetProperty("incremental", out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.True => true,
            JsonValueKind.Number when value.TryGetInt32(out var number) && number is 0 or 1 => number == 1,
            _ => Fault.BadRequest("Invalid 'incremental': must be 0 or 1."),
        };
    }
}
