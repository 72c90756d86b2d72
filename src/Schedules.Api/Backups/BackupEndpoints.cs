using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Api;
using Schedules.Data;
using Schedules.Instances;
using Schedules.OpenApi;

namespace Schedules.Backups;

/// <summary>
/// Backups: <c>/v1.0/{accountId}/backups</c> and <c>/v1.0/{accountId}/instances/{instanceId}/backups</c>.
/// </summary>
internal static partial class BackupEndpoints
{
    public static RouteGroupBuilder MapBackups(this RouteGroupBuilder account)
    {
        var backups = account.MapGroup("/backups").WithTags("Backups");
        backups.MapPost("/", Create)
            .WithSummary("Back up an instance now")
            .Accepts<CreateBackupRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.CreateBackup))
            .Produces<BackupEnvelope>(StatusCodes.Status202Accepted);
        backups.MapGet("/", List).WithSummary("List backups, newest first").Produces<BackupList>();
        backups.MapGet("/{backupId}", Show).WithSummary("Show a backup").Produces<BackupEnvelope>();
        backups.MapDelete("/{backupId}", Delete)
            .WithSummary("Delete a backup, the incrementals built on it and their stored objects")
            .Produces(StatusCodes.Status202Accepted);
        account.MapGet("/instances/{instanceId}/backups", ListOfInstance)
            .WithTags("Backups")
            .WithSummary("List an instance's backups, newest first; also after the instance is deleted")
            .Produces<BackupList>();
        return account;
    }

    private static async Task<IResult> Create(
        string accountId,
        HttpRequest request,
        SchedulesDbContext db,
        BackupFactory factory,
        BackupRunner runner,
        IOptions<QuotaOptions> quotas,
        ILogger<Backup> logger,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadEnvelopeAsync(request, "backup", cancellationToken);
        var fields = body.Fault is null ? BackupRequestReader.ReadCreate(body.Value) : body.Fault;
        if (fields.Fault is not null)
        {
            return fields.Fault;
        }

        var create = fields.Value!;
        var instanceId = Ids.Format(create.Instance);
        var instance = await InstanceEndpoints.FindAsync(db, accountId, instanceId, cancellationToken);
        if (instance is null)
        {
            return InstanceEndpoints.NotFound(instanceId);
        }

        var parent = await FindParentAsync(db, accountId, create, cancellationToken);
        if (parent.Fault is not null)
        {
            return parent.Fault;
        }

        var held = await db.Backups.CountAsync(b => b.AccountId == accountId, cancellationToken);
        if (held >= quotas.Value.Backups)
        {
            return QuotaOptions.Exceeded("backups");
        }

        var backup = factory.Create(instance, create.Name, create.Description, parent.Value);
        db.Backups.Add(backup);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            // The database allows one NEW or BUILDING backup per instance, whoever asks and wherever.
            return InstanceEndpoints.Busy(instance.Id);
        }

        if (parent.Value is { } parentBackup && !await IsCompletedAsync(db, parentBackup.Id, cancellationToken))
        {
            // The parent was deleted between the check above and the insert: an incremental on nothing is no backup.
            await db.Backups.Where(b => b.Id == backup.Id).ExecuteDeleteAsync(CancellationToken.None);
            return NotFound(Ids.Format(parentBackup.Id));
        }

        runner.Enqueue(backup.Id);
        LogCreated(logger, backup.Id, backup.InstanceId, backup.Kind, backup.ParentId);
        return Results.Json(new BackupEnvelope(BackupView.Of(backup)), statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// The backup an incremental builds on: <c>parent_id</c>, a completed backup of the same instance; or with
    /// <c>incremental</c> 1, the instance's latest completed backup (none: a full backup).
    /// </summary>
    private static async Task<Checked<Backup?>> FindParentAsync(
        SchedulesDbContext db,
        string accountId,
        CreateBackupFields create,
        CancellationToken cancellationToken)
    {
        if (create.ParentId is not { } parentId)
        {
            return create.Incremental
                ? await db.Backups.AsNoTracking()
                    .Where(b => b.AccountId == accountId && b.InstanceId == create.Instance
                        && b.Status == BackupStatus.Completed)
                    .OrderByDescending(b => b.Seq)
                    .FirstOrDefaultAsync(cancellationToken)
                : null;
        }

        var parent = await db.Backups.AsNoTracking()
            .FirstOrDefaultAsync(b => b.AccountId == accountId && b.Id == parentId, cancellationToken);
        if (parent is null)
        {
            return NotFound(Ids.Format(parentId));
        }

        if (parent.InstanceId != create.Instance)
        {
            return Fault.BadRequest($"Invalid 'parent_id': backup {parent.Id:D} is a backup of instance "
                + $"{parent.InstanceId:D}, not of {create.Instance:D}.");
        }

        if (parent.Status != BackupStatus.Completed)
        {
            return Fault.Unprocessable($"Backup {parent.Id:D} cannot be the parent of an incremental backup "
                + $"because it is not COMPLETED (status was {parent.Status}).");
        }

        return parent;
    }

    private static Task<bool> IsCompletedAsync(
        SchedulesDbContext db,
        Guid backupId,
        CancellationToken cancellationToken) =>
        db.Backups.AnyAsync(b => b.Id == backupId && b.Status == BackupStatus.Completed, cancellationToken);

    private static async Task<IResult> List(
        string accountId,
        HttpRequest request,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var query = db.Backups.AsNoTracking().Where(b => b.AccountId == accountId);
        var filtered = Filter(query, request.Query);
        if (filtered.Fault is not null)
        {
            return filtered.Fault;
        }

        return await PageAsync(filtered.Value!, request, cancellationToken);
    }

    /// <summary>The list filters: <c>instance_id</c>, and <c>datastore</c> (a datastore type).</summary>
    private static Checked<IQueryable<Backup>> Filter(IQueryable<Backup> query, IQueryCollection parameters)
    {
        var instance = parameters["instance_id"].ToString();
        if (instance.Length > 0)
        {
            if (!Ids.TryParse(instance, out var instanceId))
            {
                return Fault.BadRequest($"Invalid 'instance_id': '{JsonFields.Truncate(instance)}' is not a UUID.");
            }

            query = query.Where(b => b.InstanceId == instanceId);
        }

        var datastore = parameters["datastore"].ToString().ToLowerInvariant();
        if (datastore.Length > 0)
        {
            if (!InstanceRequestReader.Datastores.ContainsKey(datastore))
            {
                return Fault.NotFound($"Datastore '{JsonFields.Truncate(datastore)}' cannot be found.");
            }

            query = query.Where(b => b.DatastoreType == datastore);
        }

        return Checked<IQueryable<Backup>>.Of(query);
    }

    private static async Task<IResult> ListOfInstance(
        string accountId,
        string instanceId,
        HttpRequest request,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Ids.TryParse(instanceId, out var id))
        {
            return InstanceEndpoints.NotFound(instanceId);
        }

        // Backups outlive their instance: a deleted instance is known by the backups it left.
        var query = db.Backups.AsNoTracking().Where(b => b.AccountId == accountId && b.InstanceId == id);
        if (!await db.Instances.AnyAsync(i => i.AccountId == accountId && i.Id == id, cancellationToken)
            && !await query.AnyAsync(cancellationToken))
        {
            return InstanceEndpoints.NotFound(instanceId);
        }

        return await PageAsync(query, request, cancellationToken);
    }

    /// <summary>Newest first; as in Trove, <c>marker</c> is an offset, and the next link gives the next.</summary>
    private static async Task<IResult> PageAsync(
        IQueryable<Backup> query,
        HttpRequest request,
        CancellationToken cancellationToken)
    {
        var page = PageRequest.From(request);
        if (page.Fault is not null)
        {
            return page.Fault;
        }

        var offset = 0;
        if (page.Value!.Marker is { } marker
            && (!int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            return Fault.BadRequest($"Invalid 'marker': '{JsonFields.Truncate(marker)}' is not an offset "
                + "(an integer of 0 or more).");
        }

        var (items, hasMore) = await query
            .OrderByDescending(b => b.Seq)
            .Skip(offset)
            .TakePageAsync(page.Value.Limit, cancellationToken);
        var next = (offset + items.Count).ToString(CultureInfo.InvariantCulture);
        var views = items.Select(BackupView.Of).ToList();
        return Results.Ok(new BackupList(views, page.Value.NextLinks(request, hasMore, next)));
    }

    private static async Task<IResult> Show(
        string accountId,
        string backupId,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var backup = Ids.TryParse(backupId, out var id)
            ? await db.Backups.AsNoTracking()
                .FirstOrDefaultAsync(b => b.AccountId == accountId && b.Id == id, cancellationToken)
            : null;
        return backup is null ? NotFound(backupId) : Results.Ok(new BackupEnvelope(BackupView.Of(backup)));
    }

    private static async Task<IResult> Delete(
        string accountId,
        string backupId,
        BackupDeleter deleter,
        ILogger<Backup> logger,
        CancellationToken cancellationToken)
    {
        if (!Ids.TryParse(backupId, out var id))
        {
            return NotFound(backupId);
        }

        var deletion = await deleter.DeleteChainAsync(accountId, id, cancellationToken);
        if (!deletion.Found)
        {
            return NotFound(backupId);
        }

        if (deletion.RunningId is { } runningId)
        {
            return Fault.Unprocessable($"Backup {runningId:D} cannot be deleted because it is running.");
        }

        // Objects that could not be removed leave their backups DELETE_FAILED, as Trove shows them; deleting again
        // retries.
        LogDeleteRequested(logger, id, deletion.Deleted, deletion.Failed);
        return Results.Accepted();
    }

    private static Fault NotFound(string backupId) =>
        Fault.NotFound($"Backup {JsonFields.Truncate(backupId)} could not be found.");

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information,
        Message = "Created backup {BackupId} of instance {InstanceId} ({Kind}, parent {ParentId})")]
    private static partial void LogCreated(
        ILogger logger, Guid backupId, Guid instanceId, BackupKind kind, Guid? parentId);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Information,
        Message = "Deleting backup {BackupId}: {Deleted} backups deleted, {Failed} left DELETE_FAILED")]
    private static partial void LogDeleteRequested(ILogger logger, Guid backupId, int deleted, int failed);
}
