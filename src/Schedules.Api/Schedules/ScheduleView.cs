using System.Text.Json.Serialization;
using Schedules.Api;

namespace Schedules.Schedules;

/// <summary>A schedule as the API shows it, in the field order of the original samples.</summary>
internal sealed record ScheduleView(
    string Action,
    string Created,
    int? DayOfMonth,
    int DayOfWeek,
    int Hour,
    string Id,
    string InstanceId,
    string? LastScheduled,
    int Minute,
    int? Month,
    string NextRun,
    string Updated,
    int FullBackupRetention,
    bool Running,
    ScheduleSource Source,
    IReadOnlyList<string> CopyTo)
{
    public static ScheduleView Of(Schedule schedule)
    {
        var instanceId = Ids.Format(schedule.InstanceId);
        return new ScheduleView(
            schedule.Action,
            Timestamps.Write(schedule.Created),
            null,
            schedule.DayOfWeek,
            schedule.Hour,
            Ids.Format(schedule.Id),
            instanceId,
            Timestamps.Write(schedule.LastScheduled),
            schedule.Minute,
            null,
            Timestamps.Write(schedule.NextRun),
            Timestamps.Write(schedule.Updated),
            schedule.FullBackupRetention,
            schedule.Running,
            new ScheduleSource(instanceId, "instance"),
            CopyRegions.Split(schedule.CopyTo));
    }
}

internal sealed record ScheduleSource(string Id, string Type);

internal sealed record ScheduleEnvelope(ScheduleView Schedule);

internal sealed record ScheduleList(
    IReadOnlyList<ScheduleView> Schedules,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Link>? Links);

internal static class CopyRegions
{
    public static string Join(IReadOnlyList<string>? regions) => regions is null ? "" : string.Join(',', regions);

    public static IReadOnlyList<string> Split(string regions) =>
        regions.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One slot of a schedule and what became of it.</summary>
internal sealed record ScheduleRunView(
    string Id,
    string Slot,
    string Kind,
    string Outcome,
    string? BackupId,
    string? Reason,
    string Created)
{
    public static ScheduleRunView Of(ScheduleRun run) => new(
        Ids.Format(run.Id),
        Timestamps.Write(run.SlotTime),
        run.Kind,
        run.Outcome,
        run.BackupId is { } backupId ? Ids.Format(backupId) : null,
        run.Reason,
        Timestamps.Write(run.Created));
}

internal sealed record ScheduleRunList(
    IReadOnlyList<ScheduleRunView> Runs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Link>? Links);
