using System.Net;
using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class InstanceTests(SchedulesApp app)
{
    [Fact]
    public async Task Create_RegistersTheInstance_InTrovesShape()
    {
        var account = await app.NewAccountAsync();

        using var response = await account.PostAsync("instances", """
            {"instance": {"name": "orders",
                          "flavorRef": "https://dfw.databases.api.rackspacecloud.com/v1.0/1/flavors/3",
                          "volume": {"size": 5}, "datastore": {"type": "mariadb", "version": "10.11"},
                          "databases": [], "users": []}}
            """);

        var instance = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("instance");
        var id = instance.GetProperty("id").GetString()!;
        Assert.Equal("orders", instance.GetProperty("name").GetString());
        Assert.Equal("ACTIVE", instance.GetProperty("status").GetString());
        Assert.Equal("3", instance.GetProperty("flavor").GetProperty("id").GetString());
        Assert.Equal(5, instance.GetProperty("volume").GetProperty("size").GetInt32());
        Assert.Equal("mariadb", instance.GetProperty("datastore").GetProperty("type").GetString());
        Assert.Equal("10.11", instance.GetProperty("datastore").GetProperty("version").GetString());
        Assert.Equal("2014-10-30T12:30:00", instance.GetProperty("created").GetString());
        Assert.Equal(
            $"http://localhost/v1.0/{account.Id}/instances/{id}",
            instance.GetProperty("links")[0].GetProperty("href").GetString());
        using var shown = await account.GetAsync($"instances/{id}");
        var shownInstance = (await shown.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("instance");
        Assert.Equal(instance.ToString(), shownInstance.ToString());
    }

    [Fact]
    public async Task Create_DefaultsTheDatastoreToMySql()
    {
        var account = await app.NewAccountAsync();

        using var response = await account.PostAsync("instances", """
            {"instance": {"name": "plain", "flavorRef": 1, "volume": {"size": 1}}}
            """);

        var datastore = (await response.ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("instance")
            .GetProperty("datastore");
        Assert.Equal("mysql", datastore.GetProperty("type").GetString());
        Assert.Equal("5.6", datastore.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("""{"instance": {"flavorRef": "1", "volume": {"size": 1}}}""", "'name'")]
    [InlineData("""{"instance": {"name": "", "flavorRef": "1", "volume": {"size": 1}}}""", "'name'")]
    [InlineData("""{"instance": {"name": "a", "volume": {"size": 1}}}""", "'flavorRef'")]
    [InlineData("""{"instance": {"name": "a", "flavorRef": {}, "volume": {"size": 1}}}""", "'flavorRef'")]
    [InlineData("""{"instance": {"name": "a", "flavorRef": "1"}}""", "'volume'")]
    [InlineData("""{"instance": {"name": "a", "flavorRef": "1", "volume": 1}}""", "'volume'")]
    [InlineData("""{"instance": {"name": "a", "flavorRef": "1", "volume": {"size": 0}}}""", "'volume.size'")]
    [InlineData("""{"instance": {"name": "a", "flavorRef": "1", "volume": {"size": "2"}}}""", "'volume.size'")]
    [InlineData(
        """{"instance": {"name": "a", "flavorRef": "1", "volume": {"size": 1}, "datastore": {"type": "oracle"}}}""",
        "'datastore.type'")]
    [InlineData(
        """{"instance": {"name": "a", "flavorRef": "1", "volume": {"size": 1}, "datastore": "mysql"}}""",
        "'datastore'")]
    [InlineData("""{"name": "a"}""", "'instance'")]
    public async Task Create_AnswersBadRequestNamingTheField_AndRegistersNothing(string body, string field)
    {
        var account = await app.NewAccountAsync();

        using var response = await account.PostAsync("instances", body);

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains(field, message, StringComparison.Ordinal);
        using var list = await account.GetAsync("instances");
        Assert.Empty((await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("instances").EnumerateArray());
    }

    [Fact]
    public async Task List_PagesWithLimitAndMarker()
    {
        var account = await app.NewAccountAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await account.CreateInstanceAsync($"db{i}"));
        }

        using var first = await account.GetAsync("instances?limit=2");
        var firstBody = await first.ReadJsonAsync(HttpStatusCode.OK);
        var next = firstBody.GetProperty("links")[0].GetProperty("href").GetString()!;
        using var second = await account.Http.GetAsync(new Uri(next).PathAndQuery);
        var secondBody = await second.ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(ids[..2], IdsOf(firstBody));
        Assert.Equal(ids[2..], IdsOf(secondBody));
        Assert.False(secondBody.TryGetProperty("links", out _));
    }

    [Fact]
    public async Task Delete_RemovesTheInstanceAndItsSchedule()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var scheduleId = (await account.CreateScheduleAsync(instanceId)).GetProperty("id").GetString();

        using var deleted = await account.DeleteAsync($"instances/{instanceId}");
        using var instance = await account.GetAsync($"instances/{instanceId}");
        using var schedule = await account.GetAsync($"schedules/{scheduleId}");
        using var again = await account.DeleteAsync($"instances/{instanceId}");

        await deleted.ReadEmptyAsync(HttpStatusCode.Accepted);
        await instance.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await schedule.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await again.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
    }

    [Fact]
    public async Task ShowAndDelete_AnswerNotFound_ForAnotherAccountsInstance()
    {
        var owner = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var instanceId = await owner.CreateInstanceAsync();

        using var shown = await stranger.GetAsync($"instances/{instanceId}");
        using var deleted = await stranger.DeleteAsync($"instances/{instanceId}");
        using var list = await stranger.GetAsync("instances");

        await shown.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await deleted.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        Assert.Empty((await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("instances").EnumerateArray());
        using var stillThere = await owner.GetAsync($"instances/{instanceId}");
        await stillThere.ReadJsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("2e351a71-dd28-4bcb-a7d6-d36a5b487173")]
    public async Task List_AnswersBadRequest_ForAMarkerThatNamesNoInstanceOfTheAccount(string marker)
    {
        var account = await app.NewAccountAsync();
        await account.CreateInstanceAsync();

        using var response = await account.GetAsync($"instances?marker={marker}");

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Equal($"Invalid 'marker': '{marker}' names no instance in this account.", message);
    }

    private static string[] IdsOf(JsonElement body) =>
        [.. body.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}

[Collection(OnSqlite.Name)]
public sealed class InstanceOnSqlite(SqliteApp app) : InstanceTests(app);

[Collection(OnPostgres.Name)]
public sealed class InstanceOnPostgres(PostgresApp app) : InstanceTests(app);
