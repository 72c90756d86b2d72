using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class DatabaseAndUserTests(SchedulesApp app)
{
    [Fact]
    public async Task Databases_AreCreatedListedByNameAndDeleted_InTrovesShape()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var created = await account.PostAsync($"instances/{instanceId}/databases", """
            {"databases": [{"name": "sampledb", "character_set": "utf8mb4"},
                           {"name": "testingdb", "character_set": "latin1", "collate": "latin1_general_ci"},
                           {"name": "analytics", "collate": "utf8mb4_unicode_ci"},
                           {"name": "plain"}]}
            """);
        using var listed = await account.GetAsync($"instances/{instanceId}/databases");
        using var deleted = await account.DeleteAsync($"instances/{instanceId}/databases/testingdb");
        using var after = await account.GetAsync($"instances/{instanceId}/databases");

        await created.ReadEmptyAsync(HttpStatusCode.Accepted);
        AssertJson("""
            {"databases": [
                {"name": "analytics", "character_set": "utf8mb4", "collate": "utf8mb4_unicode_ci"},
                {"name": "plain", "character_set": "utf8", "collate": "utf8_general_ci"},
                {"name": "sampledb", "character_set": "utf8mb4", "collate": "utf8mb4_general_ci"},
                {"name": "testingdb", "character_set": "latin1", "collate": "latin1_general_ci"}]}
            """, await listed.ReadJsonAsync(HttpStatusCode.OK));
        await deleted.ReadEmptyAsync(HttpStatusCode.Accepted);
        var remaining = NamesOf(await after.ReadJsonAsync(HttpStatusCode.OK), "databases");
        Assert.Equal(["analytics", "plain", "sampledb"], remaining);
    }

    [Theory]
    [InlineData("""{"databases": []}""", "'databases'")]
    [InlineData("""{"databases": "shop"}""", "'databases'")]
    [InlineData("""{"database": [{"name": "shop"}]}""", "'databases'")]
    [InlineData("""{"databases": [{"character_set": "utf8"}]}""", "'databases[0].name'")]
    [InlineData("""{"databases": [{"name": "ok_db"}, {"name": "bad name!"}]}""", "'databases[1].name'")]
    [InlineData("""{"databases": [{"name": "x"}]}""", "'databases[0].name'")]
    [InlineData("""{"databases": [{"name": " padded"}]}""", "'databases[0].name'")]
    [InlineData("""{"databases": [{"name": "back\\slash"}]}""", "'databases[0].name'")]
    [InlineData("""{"databases": [{"name": "{65}"}]}""", "'databases[0].name'")]
    [InlineData("""{"databases": [{"name": "mysql"}]}""", "reserved")]
    [InlineData("""{"databases": [{"name": "shop", "character_set": "klingon"}]}""", "'databases[0].character_set'")]
    [InlineData("""{"databases": [{"name": "shop", "collate": "nonsense_ci"}]}""", "'databases[0].collate'")]
    [InlineData("""{"databases": [{"name": "shop", "character_set": "utf8", "collate": "latin1_swedish_ci"}]}""",
        "'databases[0].collate'")]
    [InlineData("""{"databases": [{"name": "shop"}, {"name": "shop"}]}""", "'databases[1].name'")]
    public async Task Databases_Create_AnswersBadRequestNamingTheField_AndCreatesNone(string body, string expected)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync(
            $"instances/{instanceId}/databases", body.Replace("{65}", new string('d', 65), StringComparison.Ordinal));

        Assert.Contains(expected, await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest"),
            StringComparison.Ordinal);
        using var list = await account.GetAsync($"instances/{instanceId}/databases");
        Assert.Empty(NamesOf(await list.ReadJsonAsync(HttpStatusCode.OK), "databases"));
    }

    [Fact]
    public async Task Databases_Create_AnswersBadRequest_ForANameThatExists_AndCreatesNoneOfTheRequest()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var shop = """{"databases": [{"name": "shop"}]}""";
        using (var first = await account.PostAsync($"instances/{instanceId}/databases", shop))
        {
            await first.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        using var again = await account.PostAsync($"instances/{instanceId}/databases", """
            {"databases": [{"name": "orders"}, {"name": "shop"}]}
            """);

        Assert.Equal("A database with the name \"shop\" already exists.",
            await again.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest"));
        using var list = await account.GetAsync($"instances/{instanceId}/databases");
        Assert.Equal(["shop"], NamesOf(await list.ReadJsonAsync(HttpStatusCode.OK), "databases"));
    }

    [Fact]
    public async Task Databases_List_PagesByNameWithTheLastNameAsMarker()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        using (var created = await account.PostAsync($"instances/{instanceId}/databases", """
            {"databases": [{"name": "db3"}, {"name": "db1"}, {"name": "db2"}]}
            """))
        {
            await created.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        using var first = await account.GetAsync($"instances/{instanceId}/databases?limit=2");
        var firstBody = await first.ReadJsonAsync(HttpStatusCode.OK);
        var next = firstBody.GetProperty("links")[0].GetProperty("href").GetString()!;
        using var second = await account.Http.GetAsync(new Uri(next).PathAndQuery);
        var secondBody = await second.ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["db1", "db2"], NamesOf(firstBody, "databases"));
        Assert.Equal("db2", QueryHelpers.ParseQuery(new Uri(next).Query)["marker"]);
        Assert.Equal(["db3"], NamesOf(secondBody, "databases"));
        Assert.False(secondBody.TryGetProperty("links", out _));
    }

    [Fact]
    public async Task Databases_Delete_AnswersNotFound_ForAnUnknownName_AndBadRequest_ForAReservedOne()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var unknown = await account.DeleteAsync($"instances/{instanceId}/databases/nothere");
        using var reserved = await account.DeleteAsync($"instances/{instanceId}/databases/mysql");

        Assert.Contains("nothere", await unknown.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound"),
            StringComparison.Ordinal);
        Assert.Contains("reserved", await reserved.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_AreCreatedListedAndDeleted_AndNoPasswordIsEverShown()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var created = await account.PostAsync($"instances/{instanceId}/users", """
            {"users": [{"name": "dbuser1", "password": "Zebra-Crossing-42", "databases": [{"name": "sampledb"}]},
                       {"name": "dbuser2", "password": "Zebra-Crossing-43", "host": "10.0.0.%",
                        "databases": [{"name": "a_db"}, {"name": "b_db"}]},
                       {"name": "dbuser2", "password": "Zebra-Crossing-44", "host": "192.168.1.0/24"}]}
            """);
        using var listed = await account.GetAsync($"instances/{instanceId}/users");
        var listText = await listed.Content.ReadAsStringAsync();
        using var deleted = await account.DeleteAsync($"instances/{instanceId}/users/dbuser2@10.0.0.%25");
        using var deletedAnyHost = await account.DeleteAsync($"instances/{instanceId}/users/dbuser1");
        using var after = await account.GetAsync($"instances/{instanceId}/users");

        await created.ReadEmptyAsync(HttpStatusCode.Accepted);
        AssertJson("""
            {"users": [
                {"name": "dbuser1", "host": "%", "databases": [{"name": "sampledb"}]},
                {"name": "dbuser2", "host": "10.0.0.%", "databases": [{"name": "a_db"}, {"name": "b_db"}]},
                {"name": "dbuser2", "host": "192.168.1.0/24", "databases": []}]}
            """, await listed.ReadJsonAsync(HttpStatusCode.OK));
        Assert.DoesNotContain("Zebra", listText, StringComparison.Ordinal);
        Assert.DoesNotContain("password", listText, StringComparison.Ordinal);
        await deleted.ReadEmptyAsync(HttpStatusCode.Accepted);
        await deletedAnyHost.ReadEmptyAsync(HttpStatusCode.Accepted);
        var users = (await after.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("users");
        var remaining = Assert.Single(users.EnumerateArray());
        Assert.Equal("192.168.1.0/24", remaining.GetProperty("host").GetString());
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("Zebra", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"users": []}""", "'users'")]
    [InlineData("""{"users": [{"password": "pw"}]}""", "'users[0].name'")]
    [InlineData("""{"users": [{"name": "", "password": "pw"}]}""", "'users[0].name'")]
    [InlineData("""{"users": [{"name": "bob;", "password": "pw"}]}""", "'users[0].name'")]
    [InlineData("""{"users": [{"name": "bob ", "password": "pw"}]}""", "'users[0].name'")]
    [InlineData("""{"users": [{"name": "{33}", "password": "pw"}]}""", "'users[0].name'")]
    [InlineData("""{"users": [{"name": "root", "password": "pw"}]}""", "reserved")]
    [InlineData("""{"users": [{"name": "bob"}]}""", "'users[0].password'")]
    [InlineData("""{"users": [{"name": "bob", "password": "it's"}]}""", "'users[0].password'")]
    [InlineData("""{"users": [{"name": "bob", "password": "pw", "host": "example.com"}]}""", "'users[0].host'")]
    [InlineData("""{"users": [{"name": "bob", "password": "pw", "databases": "shop"}]}""", "'users[0].databases'")]
    [InlineData("""{"users": [{"name": "bob", "password": "pw", "databases": [{"name": "a b!"}]}]}""",
        "'users[0].databases[0].name'")]
    [InlineData("""{"users": [{"name": "bob", "password": "pw"}, {"name": "bob", "password": "pw2"}]}""",
        "'users[1]'")]
    public async Task Users_Create_AnswersBadRequestNamingTheField_AndCreatesNone(string body, string expected)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync(
            $"instances/{instanceId}/users", body.Replace("{33}", new string('u', 33), StringComparison.Ordinal));

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("it's", message, StringComparison.Ordinal);
        using var list = await account.GetAsync($"instances/{instanceId}/users");
        Assert.Empty(NamesOf(await list.ReadJsonAsync(HttpStatusCode.OK), "users"));
    }

    [Fact]
    public async Task Users_Create_AnswersBadRequest_ForAUserThatExists()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var body = """{"users": [{"name": "clerk", "password": "pw"}]}""";
        using (var first = await account.PostAsync($"instances/{instanceId}/users", body))
        {
            await first.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        using var again = await account.PostAsync($"instances/{instanceId}/users", body);
        using var otherHost = await account.PostAsync($"instances/{instanceId}/users", """
            {"users": [{"name": "clerk", "password": "pw", "host": "10.1.1.1"}]}
            """);

        Assert.Equal("A user with the name \"clerk\" already exists.",
            await again.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest"));
        await otherHost.ReadEmptyAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Users_Delete_AnswersNotFound_ForAnUnknownUser()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.DeleteAsync($"instances/{instanceId}/users/nobody");

        Assert.Contains("nobody", await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound"),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("databases")]
    [InlineData("users")]
    public async Task SubResources_AnswerNotFound_ForAnotherAccountsInstance(string resource)
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var foreign = await stranger.CreateInstanceAsync();
        var body = resource == "databases"
            ? """{"databases": [{"name": "shop"}]}"""
            : """{"users": [{"name": "clerk", "password": "pw"}]}""";

        using var listed = await account.GetAsync($"instances/{foreign}/{resource}");
        using var created = await account.PostAsync($"instances/{foreign}/{resource}", body);
        using var deleted = await account.DeleteAsync($"instances/{foreign}/{resource}/shop");

        await listed.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await created.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await deleted.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        using var theirs = await stranger.GetAsync($"instances/{foreign}/{resource}");
        Assert.Empty(NamesOf(await theirs.ReadJsonAsync(HttpStatusCode.OK), resource));
    }

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())),
            $"Expected {expected}, got {actual.GetRawText()}");

    private static string[] NamesOf(JsonElement body, string resource) =>
        [.. body.GetProperty(resource).EnumerateArray().Select(item => item.GetProperty("name").GetString()!)];
}

[Collection(OnSqlite.Name)]
public sealed class DatabaseAndUserOnSqlite(SqliteApp app) : DatabaseAndUserTests(app);

[Collection(OnPostgres.Name)]
public sealed class DatabaseAndUserOnPostgres(PostgresApp app) : DatabaseAndUserTests(app);
