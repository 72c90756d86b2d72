using System.Text.Json;
using Schedules.Api;

namespace Schedules.Schedules;

/// <summary>The body of <c>POST /schedules</c>.</summary>
internal sealed record CreateScheduleRequest(CreateScheduleFields Schedule);

/// <summary>
/// A schedule to create, checked. <c>instance</c> and <c>source_id</c> are accepted for <c>instance_id</c>.
/// </summary>
internal sealed record CreateScheduleFields(
    string Action,
    Guid InstanceId,
    int DayOfWeek,
    int Hour,
    int Minute,
    int? FullBackupRetention,
    IReadOnlyList<string>? CopyTo,
    string? SourceType);

/// <summary>The body of <c>PUT /schedules/{scheduleId}</c>.</summary>
internal sealed record UpdateScheduleRequest(UpdateScheduleFields Schedule);

/// <summary>A change to a schedule, checked: only the fields given change.</summary>
internal sealed record UpdateScheduleFields(
    int? DayOfWeek,
    int? Hour,
    int? Minute,
    int? FullBackupRetention,
    IReadOnlyList<string>? CopyTo,
    bool? RunNow);

/// <summary>Reads and checks schedule request bodies; each fault names the field at fault.</summary>
internal static class ScheduleRequestReader
{
    public const int MaxRetention = 100;

    public static Checked<CreateScheduleFields> ReadCreate(JsonElement body, IReadOnlyCollection<string> regions)
    {
        var action = JsonFields.String(body, "action", required: true, maxLength: 32);
        if (action.Fault is not null)
        {
            return action.Fault;
        }

        if (action.Value != Schedule.BackupAction)
        {
            return Fault.BadRequest($"Invalid 'action': '{JsonFields.Truncate(action.Value!)}' is not supported; "
                + "the only action is 'backup'.");
        }

        var sourceType = JsonFields.String(body, "source_type", required: false, maxLength: 32);
        if (sourceType.Fault is not null)
        {
            return sourceType.Fault;
        }

        if (sourceType.Value is not (null or "instance" or "ha"))
        {
            return Fault.BadRequest("Invalid 'source_type': must be 'instance' or 'ha'.");
        }

        var instanceId = ReadInstanceId(body, sourceType.Value == "ha");
        if (instanceId.Fault is not null)
        {
            return instanceId.Fault;
        }

        var day = JsonFields.Integer(body, "day_of_week", 0, BackupCalendar.EveryDay, required: true);
        var hour = JsonFields.Integer(body, "hour", 0, 23, required: true);
        var minute = JsonFields.Integer(body, "minute", 0, 59, required: true);
        var retention = JsonFields.Integer(body, "full_backup_retention", 2, MaxRetention, required: false);
        var copyTo = ReadCopyTo(body, regions);
        var fault = day.Fault ?? hour.Fault ?? minute.Fault ?? retention.Fault ?? copyTo.Fault;
        if (fault is not null)
        {
            return fault;
        }

        return new CreateScheduleFields(
            Schedule.BackupAction,
            instanceId.Value,
            day.Value!.Value,
            hour.Value!.Value,
            minute.Value!.Value,
            retention.Value,
            copyTo.Value,
            sourceType.Value);
    }

    public static Checked<UpdateScheduleFields> ReadUpdate(JsonElement body, IReadOnlyCollection<string> regions)
    {
        var day = JsonFields.Integer(body, "day_of_week", 0, BackupCalendar.EveryDay, required: false);
        var hour = JsonFields.Integer(body, "hour", 0, 23, required: false);
        var minute = JsonFields.Integer(body, "minute", 0, 59, required: false);
        var retention = JsonFields.Integer(body, "full_backup_retention", 2, MaxRetention, required: false);
        var copyTo = ReadCopyTo(body, regions);
        var runNow = JsonFields.Boolean(body, "run_now");
        var fault = day.Fault ?? hour.Fault ?? minute.Fault ?? retention.Fault ?? copyTo.Fault ?? runNow.Fault;
        if (fault is not null)
        {
            return fault;
        }

        var update = new UpdateScheduleFields(
            day.Value, hour.Value, minute.Value, retention.Value, copyTo.Value, runNow.Value);
        if (update == new UpdateScheduleFields(null, null, null, null, null, null))
        {
            return Fault.BadRequest("Nothing to update: give one of 'day_of_week', 'hour', 'minute', "
                + "'full_backup_retention', 'copy_to' or 'run_now'.");
        }

        return update;
    }

    /// <summary>
    /// The seed names the field <c>instance</c>, its example <c>instance_id</c>, newer clients <c>source_id</c>:
    /// any of them is accepted, and when several are given they must agree.
    /// </summary>
    private static Checked<Guid> ReadInstanceId(JsonElement body, bool highAvailability)
    {
        Guid? found = null;
        string? foundName = null;
        foreach (var name in new[] { "instance_id", "instance", "source_id" })
        {
            var id = JsonFields.Id(body, name, required: false);
            if (id.Fault is not null)
            {
                return highAvailability && name == "source_id"
                    ? Fault.BadRequest("Invalid 'source_id': must be the UUID of an HA group.")
                    : id.Fault;
            }

            if (id.Value is not { } value)
            {
                continue;
            }

            if (found is { } earlier && earlier != value)
            {
                return Fault.BadRequest($"Invalid '{name}': it names another instance than '{foundName}'.");
            }

            found = value;
            foundName = name;
        }

        return found is { } instanceId
            ? instanceId
            : Fault.BadRequest("Missing required field 'instance_id' (also accepted as 'instance' or 'source_id').");
    }

    private static Checked<IReadOnlyList<string>?> ReadCopyTo(JsonElement body, IReadOnlyCollection<string> regions)
    {
        var copyTo = JsonFields.StringList(body, "copy_to");
        if (copyTo.Fault is not null || copyTo.Value is null)
        {
            return copyTo;
        }

        var unknown = copyTo.Value.FirstOrDefault(region => !regions.Contains(region));
        if (unknown is not null)
        {
            var known = regions.Count == 0 ? "none are configured" : "known: " + string.Join(", ", regions);
            return Fault.BadRequest($"Invalid 'copy_to': region '{JsonFields.Truncate(unknown)}' is not "
                + $"configured ({known}).");
        }

        return copyTo;
    }
}
