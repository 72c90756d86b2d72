using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Api;
using Schedules.Backups;
using Schedules.Data;
using Schedules.OpenApi;
using Schedules.Scheduling;

namespace Schedules.Instances;

/// <summary>The instance registry: the database instances whose backups this service runs.</summary>
internal static partial class InstanceEndpoints
{
    public static RouteGroupBuilder MapInstances(this RouteGroupBuilder account)
    {
        var instances = account.MapGroup("/instances").WithTags("Instances");
        instances.MapPost("/", Create)
            .WithSummary("Register an instance")
            .WithDescription("Extension: 'connection_profile' names a connection profile of the service's "
                + "configuration (Instances:Profiles:<name>: host, port, user, password). An instance with one is "
                + "backed up over the network with the MariaDB tools; one without gets a record-only object. "
                + "Passwords never travel through the API.")
            .Accepts<CreateInstanceRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.CreateInstance))
            .Produces<InstanceEnvelope>();
        instances.MapGet("/", List).WithSummary("List instances").Produces<InstanceList>();
        instances.MapGet("/{instanceId}", Show).WithSummary("Show an instance").Produces<InstanceEnvelope>();
        instances.MapDelete("/{instanceId}", Delete)
            .WithSummary("Delete an instance; its schedule goes with it, its backups stay")
            .Produces(StatusCodes.Status202Accepted);
        instances.MapPost("/{instanceId}/action", Act)
            .WithSummary("Restart or stop an instance")
            .Accepts<InstanceActionRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.RestartInstance))
            .Produces(StatusCodes.Status202Accepted);
        return account;
    }

    private static async Task<IResult> Create(
        string accountId,
        HttpRequest request,
        SchedulesDbContext db,
        TimeProvider time,
        IOptions<QuotaOptions> quotas,
        IOptions<InstanceOptions> instanceOptions,
        ILogger<Instance> logger,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadEnvelopeAsync(request, "instance", cancellationToken);
        var fields = body.Fault is null ? InstanceRequestReader.ReadCreate(body.Value) : body.Fault;
        if (fields.Fault is not null)
        {
            return fields.Fault;
        }

        if (fields.Value!.ConnectionProfile is { } profile && !instanceOptions.Value.Profiles.ContainsKey(profile))
        {
            return Fault.BadRequest($"Invalid 'connection_profile': '{JsonFields.Truncate(profile)}' is not a "
                + "connection profile of this service.");
        }

        var held = await db.Instances.CountAsync(i => i.AccountId == accountId, cancellationToken);
        if (held >= quotas.Value.Instances)
        {
            return QuotaOptions.Exceeded("instances");
        }

        var now = time.Now();
        var create = fields.Value!;
        var instance = new Instance
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            Name = create.Name,
            FlavorRef = create.FlavorRef,
            VolumeSize = create.Volume.Size,
            DatastoreType = create.Datastore!.Type,
            DatastoreVersion = create.Datastore.Version,
            ConnectionProfile = create.ConnectionProfile,
            Created = now,
            Updated = now,
        };
        db.Instances.Add(instance);
        await db.SaveChangesAsync(cancellationToken);

        LogCreated(logger, instance.Id, accountId);
        var view = InstanceView.Of(instance, ServiceUrls.Account(request, accountId), backingUp: false);
        return Results.Ok(new InstanceEnvelope(view));
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

        var query = db.Instances.AsNoTracking().Where(i => i.AccountId == accountId);
        if (page.Value!.Marker is { } marker)
        {
            var after = await PageRequest.MarkerPositionAsync(marker, "instance in this account", id => query
                .Where(i => i.Id == id)
                .Select(i => (long?)i.Seq)
                .FirstOrDefaultAsync(cancellationToken));
            if (after.Fault is not null)
            {
                return after.Fault;
            }

            query = query.Where(i => i.Seq > after.Value);
        }

        var (items, hasMore) = await query.OrderBy(i => i.Seq).TakePageAsync(page.Value.Limit, cancellationToken);
        var ids = items.Select(i => i.Id).ToList();
        var backingUp = await db.Backups
            .Where(b => ids.Contains(b.InstanceId)
                && (b.Status == BackupStatus.New || b.Status == BackupStatus.Building))
            .Select(b => b.InstanceId)
            .ToListAsync(cancellationToken);
        var accountUrl = ServiceUrls.Account(request, accountId);
        var views = items.Select(i => InstanceView.Of(i, accountUrl, backingUp.Contains(i.Id))).ToList();
        return Results.Ok(new InstanceList(views, page.Value.NextLinks(request, hasMore, views.LastOrDefault()?.Id)));
    }

    private static async Task<IResult> Show(
        string accountId,
        string instanceId,
        HttpRequest request,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var instance = await FindAsync(db, accountId, instanceId, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        var backingUp = await BackupFactory.IsInstanceBusyAsync(db, instance.Id, cancellationToken);
        var view = InstanceView.Of(instance, ServiceUrls.Account(request, accountId), backingUp);
        return Results.Ok(new InstanceEnvelope(view));
    }

    private static async Task<IResult> Delete(
        string accountId,
        string instanceId,
        SchedulesDbContext db,
        ScheduleTriggers triggers,
        ILogger<Instance> logger,
        CancellationToken cancellationToken)
    {
        if (!Ids.TryParse(instanceId, out var id))
        {
            return NotFound(instanceId);
        }

        // The schedule, databases and users go by the foreign keys' cascade, in the same statement, which also
        // spares an instance with a running backup; backups keep their own copy of what they need.
        var scheduleIds = await db.Schedules.Where(s => s.AccountId == accountId && s.InstanceId == id)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        var deleted = await db.Instances
            .Where(i => i.AccountId == accountId && i.Id == id
                && !db.Backups.Any(b => b.InstanceId == i.Id
                    && (b.Status == BackupStatus.New || b.Status == BackupStatus.Building)))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return await db.Instances.AnyAsync(i => i.AccountId == accountId && i.Id == id, cancellationToken)
                ? Busy(id)
                : NotFound(instanceId);
        }

        foreach (var scheduleId in scheduleIds)
        {
            await triggers.SyncAsync(scheduleId, (t, ct) => t.RemoveAsync(scheduleId, ct), cancellationToken);
        }

        LogDeleted(logger, id, accountId);
        return Results.Accepted();
    }

    /// <summary>
    /// <c>{"restart": {}}</c> or <c>{"stop": {}}</c>. The registry does not reach the instance's host: an accepted
    /// action is logged for the operator; <c>resize</c>, which the original API documents, is not supported.
    /// </summary>
    private static async Task<IResult> Act(
        string accountId,
        string instanceId,
        HttpRequest request,
        SchedulesDbContext db,
        ILogger<Instance> logger,
        CancellationToken cancellationToken)
    {
        var instance = await FindAsync(db, accountId, instanceId, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var action = body.Fault is null ? InstanceRequestReader.ReadAction(body.Value) : body.Fault;
        if (action.Fault is not null)
        {
            return action.Fault;
        }

        if (await BackupFactory.IsInstanceBusyAsync(db, instance.Id, cancellationToken))
        {
            return Busy(instance.Id);
        }

        LogAction(logger, action.Value!, instance.Id, accountId);
        return Results.Accepted();
    }

    public static async Task<Instance?> FindAsync(
        SchedulesDbContext db,
        string accountId,
        string instanceId,
        CancellationToken cancellationToken) =>
        Ids.TryParse(instanceId, out var id)
            ? await db.Instances.AsNoTracking()
                .FirstOrDefaultAsync(i => i.AccountId == accountId && i.Id == id, cancellationToken)
            : null;

    public static Fault NotFound(string instanceId) =>
        Fault.NotFound($"Instance {JsonFields.Truncate(instanceId)} could not be found.");

    /// <summary>The answer to anything but a read while a backup of the instance is NEW or BUILDING.</summary>
    public static Fault Busy(Guid instanceId) => Fault.Unprocessable(BackupFactory.BusyMessage(instanceId));

    /// <summary>The instance, or the fault that keeps a change from it: unknown (404) or backing up (422).</summary>
    public static async Task<Checked<Instance>> FindForChangeAsync(
        SchedulesDbContext db,
        string accountId,
        string instanceId,
        CancellationToken cancellationToken)
    {
        var instance = await FindAsync(db, accountId, instanceId, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        var busy = await BackupFactory.IsInstanceBusyAsync(db, instance.Id, cancellationToken);
        return busy ? Busy(instance.Id) : instance;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registered instance {InstanceId} for account {AccountId}")]
    private static partial void LogCreated(ILogger logger, Guid instanceId, string accountId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Deleted instance {InstanceId} of account {AccountId}")]
    private static partial void LogDeleted(ILogger logger, Guid instanceId, string accountId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Accepted action {Action} on instance {InstanceId} of account {AccountId}")]
    private static partial void LogAction(ILogger logger, string action, Guid instanceId, string accountId);
}
