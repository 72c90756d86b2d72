using Microsoft.EntityFrameworkCore;
using Schedules.Api;
using Schedules.Data;
using Schedules.OpenApi;

namespace Schedules.Instances;

/// <summary>
/// The database users of an instance: <c>/v1.0/{accountId}/instances/{instanceId}/users</c>. Passwords are checked
/// when given and never kept or shown.
/// </summary>
internal static partial class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder account)
    {
        var users = account.MapGroup("/instances/{instanceId}/users").WithTags("Users");
        users.MapPost("/", Create)
            .WithSummary("Create database users on an instance")
            .Accepts<CreateUsersRequest>("application/json")
            .WithMetadata(new RequestExample(Examples.CreateUsers))
            .Produces(StatusCodes.Status202Accepted);
        users.MapGet("/", List).WithSummary("List an instance's users by name and host").Produces<UserList>();
        users.MapDelete("/{name}", Delete)
            .WithSummary("Delete a user from an instance; name it as name or name@host (host % by default)")
            .Produces(StatusCodes.Status202Accepted);
        return account;
    }

    private static async Task<IResult> Create(
        string accountId,
        string instanceId,
        HttpRequest request,
        SchedulesDbContext db,
        ILogger<InstanceUser> logger,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var fields = body.Fault is null ? AccessRequestReader.ReadUsers(body.Value) : body.Fault;
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
        var users = fields.Value!;
        var names = users.Select(u => $"{u.Name}@{u.Host}").ToList();
        var existing = await ExistingAsync(db, id, users, cancellationToken);
        if (existing is not null)
        {
            return AlreadyExists(existing);
        }

        db.InstanceUsers.AddRange(users.Select(u => new InstanceUser
        {
            InstanceId = id,
            Name = u.Name,
            Host = u.Host!,
            Databases = UserDatabase.Join(u.Databases),
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            // Another request created one of them between the check above and this insert.
            db.ChangeTracker.Clear();
            return AlreadyExists(await ExistingAsync(db, id, users, cancellationToken) ?? users[0].Name);
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

        // As in Trove, the marker is the last user of the previous page as name@host.
        var query = db.InstanceUsers.AsNoTracking().Where(u => u.InstanceId == instance.Id);
        if (page.Value!.Marker is { } marker)
        {
            var (name, host) = SplitNameAndHost(marker);
            query = query.Where(u => string.Compare(u.Name, name) > 0
                || (u.Name == name && string.Compare(u.Host, host) > 0));
        }

        var (items, hasMore) = await query
            .OrderBy(u => u.Name)
            .ThenBy(u => u.Host)
            .TakePageAsync(page.Value.Limit, cancellationToken);
        var last = items.LastOrDefault();
        var next = page.Value.NextLinks(request, hasMore, last is null ? null : $"{last.Name}@{last.Host}");
        return Results.Ok(new UserList([.. items.Select(UserView.Of)], next));
    }

    private static async Task<IResult> Delete(
        string accountId,
        string instanceId,
        string name,
        SchedulesDbContext db,
        ILogger<InstanceUser> logger,
        CancellationToken cancellationToken)
    {
        var (userName, host) = SplitNameAndHost(name);
        var nameFault = AccessRequestReader.CheckUserName(userName, "name");
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
        var deleted = await db.InstanceUsers
            .Where(u => u.InstanceId == id && u.Name == userName && u.Host == host)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return Fault.NotFound($"User {JsonFields.Truncate(name)} could not be found on instance {id:D}.");
        }

        LogDeleted(logger, userName, host, id);
        return Results.Accepted();
    }

    /// <summary>
    /// A user as Trove names it in paths and markers: <c>name</c> (any host, <c>%</c>) or <c>name@host</c>, split at
    /// the last <c>@</c>.
    /// </summary>
    private static (string Name, string Host) SplitNameAndHost(string text)
    {
        var at = text.LastIndexOf('@');
        return at < 0 || at == text.Length - 1
            ? (text.TrimEnd('@'), MySqlNames.AnyHost)
            : (text[..at], text[(at + 1)..]);
    }

    private static async Task<string?> ExistingAsync(
        SchedulesDbContext db,
        Guid instanceId,
        IReadOnlyList<UserFields> users,
        CancellationToken cancellationToken)
    {
        var names = users.Select(u => u.Name).ToList();
        var taken = await db.InstanceUsers
            .Where(u => u.InstanceId == instanceId && names.Contains(u.Name))
            .Select(u => new { u.Name, u.Host })
            .ToListAsync(cancellationToken);
        return users.FirstOrDefault(u => taken.Any(t => t.Name == u.Name && t.Host == u.Host))?.Name;
    }

    /// <summary>Trove answers a user that exists with 400 and this message.</summary>
    private static Fault AlreadyExists(string name) =>
        Fault.BadRequest($"A user with the name \"{name}\" already exists.");

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information,
        Message = "Created users {Users} on instance {InstanceId}")]
    private static partial void LogCreated(ILogger logger, IEnumerable<string> users, Guid instanceId);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information,
        Message = "Deleted user {Name}@{Host} from instance {InstanceId}")]
    private static partial void LogDeleted(ILogger logger, string name, string host, Guid instanceId);
}
