using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Api;
using Schedules.Data;
using Schedules.Instances;
using Schedules.OpenApi;
using Schedules.Scheduling;

namespace Schedules.Schedules;

/// <summary>Scheduled backups: <c>/v1.0/{accountId}/schedules</c>.</summary>
internal static partial class ScheduleEndpoints
{
    public static RouteGroupBuilder MapSchedules(this RouteGroupBuilder account)
    {
        var schedules = account.MapGroup("/schedules").WithTags("Schedules");
        schedules.MapPost("/", Create)
            .WithSummary("Create a scheduled backup")
            .Accepts<CreateScheduleRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.CreateSchedule))
            .Produces<ScheduleEnvelope>(StatusCodes.Status202Accepted);
        schedules.MapGet("/", List).WithSummary("List scheduled backups").Produces<ScheduleList>();
        schedules.MapGet("/{scheduleId}", Show).WithSummary("Show a scheduled backup").Produces<ScheduleEnvelope>();
        schedules.MapPut("/{scheduleId}", Update)
            .WithSummary("Update a scheduled backup")
            .Accepts<UpdateScheduleRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.UpdateSchedule))
            .Produces(StatusCodes.Status202Accepted);
        schedules.MapGet("/{scheduleId}/runs", ListRuns)
            .WithSummary("List a schedule's runs (an extension of the original API)")
            .WithDescription("Every slot of the schedule with its outcome (started, skipped, missed or coalesced), "
                + "the backup it started or joined and the reason, newest first, paged with limit and marker. "
                + "This call is an extension: the original Cloud Databases API has no run history.")
            .Produces<ScheduleRunList>();
        schedules.MapDelete("/{scheduleId}", Delete)
            .WithSummary("Delete a scheduled backup; its backups stay")
            .Produces(StatusCodes.Status202Accepted);
        return account;
    }

    private static async Task<IResult> Create(
        string accountId,
        HttpRequest request,
        SchedulesDbContext db,
        TimeProvider time,
        ScheduleTriggers triggers,
        IOptions<ServiceOptions> service,
        ILogger<Schedule> logger,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadEnvelopeAsync(request, "schedule", cancellationToken);
        var fields = body.Fault is null
            ? ScheduleRequestReader.ReadCreate(body.Value, service.Value.CopyRegions)
            : body.Fault;
        if (fields.Fault is not null)
        {
            return fields.Fault;
        }

        var create = fields.Value!;
        if (create.SourceType == "ha")
        {
            return Fault.NotImplemented("Schedules for HA groups ('source_type': 'ha') are not supported.");
        }

        var instanceId = Ids.Format(create.InstanceId);
        var instance = await InstanceEndpoints.FindAsync(db, accountId, instanceId, cancellationToken);
        if (instance is null)
        {
            return InstanceEndpoints.NotFound(instanceId);
        }

        if (await db.Schedules.AnyAsync(s => s.InstanceId == create.InstanceId, cancellationToken))
        {
            return AlreadyScheduled(instanceId);
        }

        var now = time.Now();
        var schedule = new Schedule
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            InstanceId = create.InstanceId,
            DayOfWeek = create.DayOfWeek,
            Hour = create.Hour,
            Minute = create.Minute,
            FullBackupRetention = create.FullBackupRetention ?? 2,
            CopyTo = CopyRegions.Join(create.CopyTo),
            Created = now,
            Updated = now,
            NextRun = BackupCalendar.NextRun(create.DayOfWeek, create.Hour, create.Minute, false, now),
        };
        db.Schedules.Add(schedule);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            // Another request scheduled the same instance between the check above and this insert.
            return AlreadyScheduled(instanceId);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsForeignKeyViolation(e))
        {
            // The instance was deleted between the check above and this insert.
            return InstanceEndpoints.NotFound(instanceId);
        }

        await triggers.SyncAsync(schedule.Id, (t, ct) => t.ScheduleAsync(schedule, ct), cancellationToken);
        LogCreated(logger, schedule.Id, schedule.InstanceId, schedule.NextRun);
        return Results.Json(new ScheduleEnvelope(ScheduleView.Of(schedule)), statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> List(
        string accountId,
        HttpRequest request,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var page = PageRequest.From(request);
        if (page.Fault is not null)
        {
            return page.Fault;
        }

        var query = db.Schedules.AsNoTracking().Where(s => s.AccountId == accountId);
        var filtered = Filter(query, request.Query);
        if (filtered.Fault is not null)
        {
            return filtered.Fault;
        }

        query = filtered.Value!;
        if (page.Value!.Marker is { } marker)
        {
            var after = await PageRequest.MarkerPositionAsync(marker, "schedule in this account", id => db.Schedules
                .Where(s => s.AccountId == accountId && s.Id == id)
                .Select(s => (long?)s.Seq)
                .FirstOrDefaultAsync(cancellationToken));
            if (after.Fault is not null)
            {
                return after.Fault;
            }

            query = query.Where(s => s.Seq > after.Value);
        }

        var (items, hasMore) = await query.OrderBy(s => s.Seq).TakePageAsync(page.Value.Limit, cancellationToken);
        var views = items.Select(ScheduleView.Of).ToList();
        return Results.Ok(new ScheduleList(views, page.Value.NextLinks(request, hasMore, views.LastOrDefault()?.Id)));
    }

    /// <summary>
    /// The list filters: <c>action</c>, <c>source_type</c>, and <c>instance_id</c> or <c>source_id</c>.
    /// </summary>
    private static Checked<IQueryable<Schedule>> Filter(IQueryable<Schedule> query, IQueryCollection parameters)
    {
        var action = parameters["action"].ToString();
        if (action.Length > 0)
        {
            query = query.Where(s => s.Action == action);
        }

        var sourceType = parameters["source_type"].ToString();
        if (sourceType.Length > 0 && sourceType != "instance")
        {
            // Only instance schedules exist; any other source type matches none.
            query = query.Where(s => false);
        }

        foreach (var name in new[] { "instance_id", "source_id" })
        {
            var text = parameters[name].ToString();
            if (text.Length == 0)
            {
                continue;
            }

            if (!Ids.TryParse(text, out var instanceId))
            {
                return Fault.BadRequest($"Invalid '{name}': '{JsonFields.Truncate(text)}' is not a UUID.");
            }

            query = query.Where(s => s.InstanceId == instanceId);
        }

        return Checked<IQueryable<Schedule>>.Of(query);
    }

    private static async Task<IResult> Show(
        string accountId,
        string scheduleId,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var schedule = await FindAsync(db, accountId, scheduleId, cancellationToken);
        return schedule is null ? NotFound(scheduleId) : Results.Ok(new ScheduleEnvelope(ScheduleView.Of(schedule)));
    }

    /// <summary>
    /// Changes the given fields and recomputes <c>next_run</c> from now; <c>run_now</c> makes it now, so the
    /// backup the day calls for starts at once.
    /// </summary>
    private static async Task<IResult> Update(
        string accountId,
        string scheduleId,
        HttpRequest request,
        SchedulesDbContext db,
        TimeProvider time,
        ScheduleTriggers triggers,
        IOptions<ServiceOptions> service,
        ILogger<Schedule> logger,
        CancellationToken cancellationToken)
    {
        var schedule = await FindAsync(db, accountId, scheduleId, cancellationToken, tracking: true);
        if (schedule is null)
        {
            return NotFound(scheduleId);
        }

        var body = await JsonBody.ReadEnvelopeAsync(request, "schedule", cancellationToken);
        var fields = body.Fault is null
            ? ScheduleRequestReader.ReadUpdate(body.Value, service.Value.CopyRegions)
            : body.Fault;
        if (fields.Fault is not null)
        {
            return fields.Fault;
        }

        var update = fields.Value!;
        var now = time.Now();
        schedule.DayOfWeek = update.DayOfWeek ?? schedule.DayOfWeek;
        schedule.Hour = update.Hour ?? schedule.Hour;
        schedule.Minute = update.Minute ?? schedule.Minute;
        schedule.FullBackupRetention = update.FullBackupRetention ?? schedule.FullBackupRetention;
        schedule.CopyTo = update.CopyTo is null ? schedule.CopyTo : CopyRegions.Join(update.CopyTo);
        schedule.Updated = now;
        schedule.NextRun = update.RunNow == true
            ? now
            : BackupCalendar.NextRun(
                schedule.DayOfWeek, schedule.Hour, schedule.Minute, schedule.LastScheduled is not null, now);
        await db.SaveChangesAsync(cancellationToken);

        await triggers.SyncAsync(schedule.Id, (t, ct) => t.ScheduleAsync(schedule, ct), cancellationToken);
        if (update.RunNow == true)
        {
            await triggers.SyncAsync(schedule.Id, (t, ct) => t.RunNowAsync(schedule.Id, ct), cancellationToken);
        }

        LogUpdated(logger, schedule.Id, schedule.NextRun, update.RunNow == true);
        return Results.Accepted();
    }

    private static async Task<IResult> Delete(
        string accountId,
        string scheduleId,
        SchedulesDbContext db,
        ScheduleTriggers triggers,
        ILogger<Schedule> logger,
        CancellationToken cancellationToken)
    {
        var deleted = Ids.TryParse(scheduleId, out var id)
            ? await db.Schedules
                .Where(s => s.AccountId == accountId && s.Id == id)
                .ExecuteDeleteAsync(cancellationToken)
            : 0;
        if (deleted == 0)
        {
            return NotFound(scheduleId);
        }

        await triggers.SyncAsync(id, (t, ct) => t.RemoveAsync(id, ct), cancellationToken);
        LogDeleted(logger, id);
        return Results.Accepted();
    }

    private static async Task<IResult> ListRuns(
        string accountId,
        string scheduleId,
        HttpRequest request,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var schedule = await FindAsync(db, accountId, scheduleId, cancellationToken);
        if (schedule is null)
        {
            return NotFound(scheduleId);
        }

        var page = PageRequest.From(request);
        if (page.Fault is not null)
        {
            return page.Fault;
        }

        var query = db.ScheduleRuns.AsNoTracking().Where(r => r.ScheduleId == schedule.Id);
        if (page.Value!.Marker is { } marker)
        {
            var before = await PageRequest.MarkerPositionAsync(marker, "run of this schedule", id => query
                .Where(r => r.Id == id)
                .Select(r => (DateTime?)r.SlotTime)
                .FirstOrDefaultAsync(cancellationToken));
            if (before.Fault is not null)
            {
                return before.Fault;
            }

            query = query.Where(r => r.SlotTime < before.Value);
        }

        var (items, hasMore) = await query.OrderByDescending(r => r.SlotTime)
            .TakePageAsync(page.Value.Limit, cancellationToken);
        var views = items.Select(ScheduleRunView.Of).ToList();
        var links = page.Value.NextLinks(request, hasMore, views.LastOrDefault()?.Id);
        return Results.Ok(new ScheduleRunList(views, links));
    }

    private static async Task<Schedule?> FindAsync(
        SchedulesDbContext db,
        string accountId,
        string scheduleId,
        CancellationToken cancellationToken,
        bool tracking = false)
    {
        if (!Ids.TryParse(scheduleId, out var id))
        {
            return null;
        }

        var query = tracking ? db.Schedules : db.Schedules.AsNoTracking();
        return await query.FirstOrDefaultAsync(s => s.AccountId == accountId && s.Id == id, cancellationToken);
    }

    private static Fault NotFound(string scheduleId) =>
        Fault.NotFound($"Schedule {JsonFields.Truncate(scheduleId)} could not be found.");

    private static Fault AlreadyScheduled(string instanceId) =>
        Fault.Unprocessable($"{instanceId} already has an active schedule");

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Created schedule {ScheduleId} for instance {InstanceId}; next run {NextRun:u}")]
    private static partial void LogCreated(ILogger logger, Guid scheduleId, Guid instanceId, DateTime nextRun);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Updated schedule {ScheduleId}; next run {NextRun:u} (run now: {RunNow})")]
    private static partial void LogUpdated(ILogger logger, Guid scheduleId, DateTime nextRun, bool runNow);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Deleted schedule {ScheduleId}")]
    private static partial void LogDeleted(ILogger logger, Guid scheduleId);
}
