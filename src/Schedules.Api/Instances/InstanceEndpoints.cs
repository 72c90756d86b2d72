using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Api;
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
            .Accepts<CreateInstanceRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.CreateInstance))
            .Produces<InstanceEnvelope>();
        instances.MapGet("/", List).WithSummary("List instances").Produces<InstanceList>();
        instances.MapGet("/{instanceId}", Show).WithSummary("Show an instance").Produces<InstanceEnvelope>();
        instances.MapDelete("/{instanceId}", Delete)
            .WithSummary("Delete an instance; its schedule goes with it, its backups stay")
            .Produces(StatusCodes.Status202Accepted);
        return account;
    }

    private static async Task<IResult> Create(
        string accountId,
        HttpRequest request,
        SchedulesDbContext db,
        TimeProvider time,
        IOptions<QuotaOptions> quotas,
        ILogger<Instance> logger,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadEnvelopeAsync(request, "instance", cancellationToken);
        var fields = body.Fault is null ? InstanceRequestReader.ReadCreate(body.Value) : body.Fault;
        if (fields.Fault is not null)
        {
            return fields.Fault;
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
            Created = now,
            Updated = now,
        };
        db.Instances.Add(instance);
        await db.SaveChangesAsync(cancellationToken);

        LogCreated(logger, instance.Id, accountId);
        return Results.Ok(new InstanceEnvelope(InstanceView.Of(instance, ServiceUrls.Account(request, accountId))));
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
            var after = Ids.TryParse(marker, out var markerId)
                ? await query.Where(i => i.Id == markerId).Select(i => (long?)i.Seq).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (after is null)
            {
                return Fault.BadRequest($"Invalid 'marker': no instance '{JsonFields.Truncate(marker)}' in this account.");
            }

            query = query.Where(i => i.Seq > after);
        }

        var (items, hasMore) = await query.OrderBy(i => i.Seq).TakePageAsync(page.Value.Limit, cancellationToken);
        var accountUrl = ServiceUrls.Account(request, accountId);
        var views = items.Select(i => InstanceView.Of(i, accountUrl)).ToList();
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
        return instance is null
            ? NotFound(instanceId)
            : Results.Ok(new InstanceEnvelope(InstanceView.Of(instance, ServiceUrls.Account(request, accountId))));
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

        // The schedule goes by the foreign key's cascade, in the same statement; backups keep their own copy.
        var scheduleIds = await db.Schedules.Where(s => s.AccountId == accountId && s.InstanceId == id)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        var deleted = await db.Instances
            .Where(i => i.AccountId == accountId && i.Id == id)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return NotFound(instanceId);
        }

        foreach (var scheduleId in scheduleIds)
        {
            await triggers.SyncAsync(scheduleId, (t, ct) => t.RemoveAsync(scheduleId, ct), cancellationToken);
        }

        LogDeleted(logger, id, accountId);
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

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registered instance {InstanceId} for account {AccountId}")]
    private static partial void LogCreated(ILogger logger, Guid instanceId, string accountId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Deleted instance {InstanceId} of account {AccountId}")]
    private static partial void LogDeleted(ILogger logger, Guid instanceId, string accountId);
}
