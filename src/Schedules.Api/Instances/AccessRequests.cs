using System.Text.Json;
using Schedules.Api;

namespace Schedules.Instances;

/// <summary>The body of <c>POST /instances/{instanceId}/databases</c>.</summary>
internal sealed record CreateDatabasesRequest(IReadOnlyList<DatabaseFields> Databases);

/// <summary>A database to create, checked, with its character set and collation settled.</summary>
internal sealed record DatabaseFields(string Name, string? CharacterSet, string? Collate);

/// <summary>The body of <c>POST /instances/{instanceId}/users</c>.</summary>
internal sealed record CreateUsersRequest(IReadOnlyList<UserFields> Users);

/// <summary>A user to create, checked. The password is checked and then forgotten: it is never kept.</summary>
internal sealed record UserFields(string Name, string Password, string? Host, IReadOnlyList<UserDatabase>? Databases);

/// <summary>Reads and checks the databases and users bodies, in Trove's shapes; faults name the item's field.</summary>
internal static class AccessRequestReader
{
    public const int MaxUserDatabasesLength = 4096;

    public static Checked<IReadOnlyList<DatabaseFields>> ReadDatabases(JsonElement body)
    {
        var items = JsonFields.ObjectList(body, "databases");
        if (items.Fault is not null)
        {
            return items.Fault;
        }

        var databases = new List<DatabaseFields>();
        for (var i = 0; i < items.Value!.Count; i++)
        {
            var database = ReadDatabase(items.Value[i], $"databases[{i}]");
            if (database.Fault is not null)
            {
                return database.Fault;
            }

            if (databases.Any(d => d.Name == database.Value!.Name))
            {
                return Fault.BadRequest(
                    $"Invalid 'databases[{i}].name': '{database.Value!.Name}' is given more than once.");
            }

            databases.Add(database.Value!);
        }

        return databases;
    }

    public static Checked<IReadOnlyList<UserFields>> ReadUsers(JsonElement body)
    {
        var items = JsonFields.ObjectList(body, "users");
        if (items.Fault is not null)
        {
            return items.Fault;
        }

        var users = new List<UserFields>();
        for (var i = 0; i < items.Value!.Count; i++)
        {
            var user = ReadUser(items.Value[i], $"users[{i}]");
            if (user.Fault is not null)
            {
                return user.Fault;
            }

            if (users.Any(u => u.Name == user.Value!.Name && u.Host == user.Value.Host))
            {
                return Fault.BadRequest(
                    $"Invalid 'users[{i}]': user '{user.Value!.Name}'@'{user.Value.Host}' is given more than once.");
            }

            users.Add(user.Value!);
        }

        return users;
    }

    /// <summary>A database name as it comes in a path, checked as in a body, reserved names refused.</summary>
    public static Fault? CheckDatabaseName(string name, string field)
    {
        if (MySqlNames.DatabaseProblem(name) is { } problem)
        {
            return Fault.BadRequest($"Invalid '{field}': '{JsonFields.Truncate(name)}' {problem}.");
        }

        return MySqlNames.ReservedDatabases.Contains(name)
            ? Fault.BadRequest($"Invalid '{field}': '{name}' is a reserved database name.")
            : null;
    }

    /// <summary>A user name as it comes in a path, checked as in a body, reserved names refused.</summary>
    public static Fault? CheckUserName(string name, string field)
    {
        if (MySqlNames.UserProblem(name) is { } problem)
        {
            return Fault.BadRequest($"Invalid '{field}': '{JsonFields.Truncate(name)}' {problem}.");
        }

        return MySqlNames.ReservedUsers.Contains(name)
            ? Fault.BadRequest($"Invalid '{field}': '{name}' is a reserved user name.")
            : null;
    }

    private static Checked<DatabaseFields> ReadDatabase(JsonElement item, string path)
    {
        var name = JsonFields.ExactString(item, "name", $"{path}.name", required: true);
        if (name.Fault is not null)
        {
            return name.Fault;
        }

        var nameFault = CheckDatabaseName(name.Value!, $"{path}.name");
        if (nameFault is not null)
        {
            return nameFault;
        }

        var characterSet = JsonFields.ExactString(item, "character_set", $"{path}.character_set", required: false);
        var collate = JsonFields.ExactString(item, "collate", $"{path}.collate", required: false);
        var fault = characterSet.Fault ?? collate.Fault;
        if (fault is not null)
        {
            return fault;
        }

        var (set, collation, field, problem) = MySqlNames.CharacterSetAndCollation(
            characterSet.Value?.ToLowerInvariant(), collate.Value?.ToLowerInvariant());
        if (problem is not null)
        {
            return Fault.BadRequest($"Invalid '{path}.{field}': {problem}.");
        }

        return new DatabaseFields(name.Value!, set, collation);
    }

    private static Checked<UserFields> ReadUser(JsonElement item, string path)
    {
        var name = JsonFields.ExactString(item, "name", $"{path}.name", required: true);
        if (name.Fault is not null)
        {
            return name.Fault;
        }

        var nameFault = CheckUserName(name.Value!, $"{path}.name");
        if (nameFault is not null)
        {
            return nameFault;
        }

        var password = JsonFields.ExactString(item, "password", $"{path}.password", required: true);
        if (password.Fault is not null)
        {
            return password.Fault;
        }

        if (MySqlNames.PasswordProblem(password.Value!) is { } passwordProblem)
        {
            // The password itself is never repeated back.
            return Fault.BadRequest($"Invalid '{path}.password': the password {passwordProblem}.");
        }

        var host = JsonFields.ExactString(item, "host", $"{path}.host", required: false);
        if (host.Fault is not null)
        {
            return host.Fault;
        }

        if (host.Value is not null && MySqlNames.HostProblem(host.Value) is { } hostProblem)
        {
            return Fault.BadRequest($"Invalid '{path}.host': '{JsonFields.Truncate(host.Value)}' {hostProblem}.");
        }

        var databases = ReadUserDatabases(item, path);
        if (databases.Fault is not null)
        {
            return databases.Fault;
        }

        return new UserFields(name.Value!, password.Value!, host.Value ?? MySqlNames.AnyHost, databases.Value);
    }

    private static Checked<IReadOnlyList<UserDatabase>?> ReadUserDatabases(JsonElement item, string path)
    {
        if (!item.TryGetProperty("databases", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Checked<IReadOnlyList<UserDatabase>?>.Of([]);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Fault.BadRequest($"Invalid '{path}.databases': must be a list of objects with a 'name'.");
        }

        var databases = new List<UserDatabase>();
        var i = 0;
        foreach (var database in value.EnumerateArray())
        {
            var field = $"{path}.databases[{i++}].name";
            if (database.ValueKind != JsonValueKind.Object)
            {
                return Fault.BadRequest($"Invalid '{path}.databases': must be a list of objects with a 'name'.");
            }

            var name = JsonFields.ExactString(database, "name", field, required: true);
            if (name.Fault is not null)
            {
                return name.Fault;
            }

            if (MySqlNames.DatabaseProblem(name.Value!) is { } problem)
            {
                return Fault.BadRequest($"Invalid '{field}': '{JsonFields.Truncate(name.Value!)}' {problem}.");
            }

            if (databases.All(d => d.Name != name.Value))
            {
                databases.Add(new UserDatabase(name.Value!));
            }
        }

        if (databases.Sum(d => d.Name.Length + 1) > MaxUserDatabasesLength)
        {
            return Fault.BadRequest($"Invalid '{path}.databases': too many databases for one user.");
        }

        return Checked<IReadOnlyList<UserDatabase>?>.Of(databases);
    }
}
