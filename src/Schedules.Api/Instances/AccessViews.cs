using System.Text.Json.Serialization;
using Schedules.Api;

namespace Schedules.Instances;

/// <summary>A database on an instance, as Trove shows it.</summary>
internal sealed record DatabaseView(string Name, string? CharacterSet, string? Collate)
{
    public static DatabaseView Of(InstanceDatabase database) =>
        new(database.Name, database.CharacterSet, database.Collate);
}

internal sealed record DatabaseList(
    IReadOnlyList<DatabaseView> Databases,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Link>? Links);

/// <summary>A database user on an instance, as Trove shows it: never with a password.</summary>
internal sealed record UserView(string Name, string Host, IReadOnlyList<UserDatabase> Databases)
{
    public static UserView Of(InstanceUser user) =>
        new(user.Name, user.Host, UserDatabase.Split(user.Databases));
}

internal sealed record UserDatabase(string Name)
{
    public static string Join(IReadOnlyList<UserDatabase>? databases) =>
        databases is null ? "" : string.Join(',', databases.Select(d => d.Name));

    public static IReadOnlyList<UserDatabase> Split(string databases) =>
        [.. databases.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => new UserDatabase(name))];
}

internal sealed record UserList(
    IReadOnlyList<UserView> Users,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Link>? Links);
