using Microsoft.EntityFrameworkCore;
using Schedules.Api;
using Schedules.Data;
using Schedules.OpenApi;

namespace Schedules.Instances;

/// <summary>The databases (schemas) of an instance: <c>/v1.0/{accountId}/instances/{instanceId}/databases</c>.
/// </summary>
internal static partial class DatabaseEndpoints
{
    public static RouteGroupBuilder MapDatabases(this RouteGroupBuilder account)
    {
        var databases = account.MapGroup("/instances/{instanceId}/databases").WithTags("Databases");
        databases.MapPost("/", Create)
            .WithSummary("Create databases on an instance")
            .Accepts<CreateDatabasesRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.CreateDatabases))
            .Produces(StatusCodes.Status202Accepted);
        databases.MapGet("/", List).WithSummary("List an instance's databases by name").Produces<DatabaseList>();
        databases.MapDelete("/{name}", Delete)
            .WithSummary("Delete a database from an instance")
            .Produces(StatusCodes.Status202Accepted);
        return account;
    }

    private static async Task<IResult> Create(
        string accountId,
        string instanceId,
        HttpRequest request,
        SchedulesDbContext db,
        ILogger<InstanceDatabase> logger,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var fields = body.Fault is null ? AccessRequestReader.ReadDatabases(body.Value) : body.Fault;
        if (fields.Fault is not null)
        {
            return fields.Fault;
        }

        var instance = await InstanceEndpoints.FindForChangeAsync(db, accountId, instanceId, cancellationToken);
        if (instance.Fault is not null)
        {
            return instance.Fault;
        }

        var id = instance.Value!.Id;
        var names = fields.Value!.Select(d => d.Name).ToList();
        var existing = await ExistingAsync(db, id, names, cancellationToken);
        if (existing is not null)
        {
            return AlreadyExists(existing);
        }

        db.InstanceDatabases.AddRange(fields.Value!.Select(d => new InstanceDatabase
        {
            InstanceId = id,
            Name = d.Name,
            CharacterSet = d.CharacterSet,
            Collate = d.Collate,
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            // Another request created one of them between the check above and this insert.
            db.ChangeTracker.Clear();
            return AlreadyExists(await ExistingAsync(db, id, names, cancellationToken) ?? names[0]);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsForeignKeyViolation(e))
        {
            return InstanceEndpoints.NotFound(instanceId);
        }

        LogCreated(logger, names, id);
        return Results.Accepted();
    }

    private static async Task<IResult> List(
        string accountId,
        string instanceId,
        HttpRequest request,
        SchedulesDbContext db,
        CancellationToken cancellationToken)
    {
        var instance = await InstanceEndpoints.FindAsync(db, accountId, instanceId, cancellationToken);
        if (instance is null)
        {
            return InstanceEndpoints.NotFound(instanceId);
        }

        var page = PageRequest.From(request);
        if (page.Fault is not null)
        {
            return page.Fault;
        }

        // As in Trove, the marker is the name of the last database of the previous page.
        var query = db.InstanceDatabases.AsNoTracking().Where(d => d.InstanceId == instance.Id);
        if (page.Value!.Marker is { } marker)
        {
            query = query.Where(d => string.Compare(d.Name, marker) > 0);
        }

        var (items, hasMore) = await query.OrderBy(d => d.Name).TakePageAsync(page.Value.Limit, cancellationToken);
        var views = items.Select(DatabaseView.Of).ToList();
        return Results.Ok(new DatabaseList(views, page.Value.NextLinks(request, hasMore, views.LastOrDefault()?.Name)));
    }

    private static async Task<IResult> Delete(
        string accountId,
        string instanceId,
        string name,
        SchedulesDbContext db,
        ILogger<InstanceDatabase> logger,
        CancellationToken cancellationToken)
    {
        var nameFault = AccessRequestReader.CheckDatabaseName(name, "name");
        if (nameFault is not null)
        {
            return nameFault;
        }

        var instance = await InstanceEndpoints.FindForChangeAsync(db, accountId, instanceId, cancellationToken);
        if (instance.Fault is not null)
        {
            return instance.Fault;
        }

        var id = instance.Value!.Id;
        var deleted = await db.InstanceDatabases
            .Where(d => d.InstanceId == id && d.Name == name)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return Fault.NotFound($"Database {name} could not be found on instance {id:D}.");
        }

        LogDeleted(logger, name, id);
        return Results.Accepted();
    }

    private static Task<string?> ExistingAsync(
        SchedulesDbContext db,
        Guid instanceId,
        List<string> names,
        CancellationToken cancellationToken) =>
        db.InstanceDatabases
            .Where(d => d.InstanceId == instanceId && names.Contains(d.Name))
            .OrderBy(d => d.Name)
            .Select(d => d.Name)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Trove answers a database that exists with 400 and this message.</summary>
    private static Fault AlreadyExists(string name) =>
        Fault.BadRequest($"A database with the name \"{name}\" already exists.");

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
        Message = "Created databases {Names} on instance {InstanceId}")]
    private static partial void LogCreated(ILogger logger, IEnumerable<string> names, Guid instanceId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information,
        Message = "Deleted database {Name} from instance {InstanceId}")]
    private static partial void LogDeleted(ILogger logger, string name, Guid instanceId);
}
