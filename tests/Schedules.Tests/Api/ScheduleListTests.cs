using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class ScheduleListTests(SchedulesApp app)
{
    [Fact]
    public async Task List_ShowsTheAccountsSchedulesOldestFirst_WithoutLinks_WhenAllFit()
    {
        var account = await app.NewAccountAsync();
        var ids = await CreateSchedulesAsync(account, 3);
        var stranger = await app.NewAccountAsync();
        await CreateSchedulesAsync(stranger, 1);

        using var response = await account.GetAsync("schedules");

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(ids, IdsOf(body));
        Assert.False(body.TryGetProperty("links", out _));
    }

    [Fact]
    public async Task List_PagesWithLimitAndMarker_AndLinksToTheNextPage()
    {
        var account = await app.NewAccountAsync();
        var ids = await CreateSchedulesAsync(account, 5);

        using var first = await account.GetAsync("schedules?limit=2");
        var firstBody = await first.ReadJsonAsync(HttpStatusCode.OK);
        var next = NextHref(firstBody);
        using var second = await account.Http.GetAsync(new Uri(next).PathAndQuery);
        var secondBody = await second.ReadJsonAsync(HttpStatusCode.OK);
        using var third = await account.Http.GetAsync(new Uri(NextHref(secondBody)).PathAndQuery);
        var thirdBody = await third.ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(ids[..2], IdsOf(firstBody));
        var query = QueryHelpers.ParseQuery(new Uri(next).Query);
        Assert.Equal("2", query["limit"]);
        Assert.Equal(ids[1], query["marker"]);
        Assert.StartsWith($"http://localhost/v1.0/{account.Id}/schedules?", next, StringComparison.Ordinal);
        Assert.Equal(ids[2..4], IdsOf(secondBody));
        Assert.Equal(ids[4..], IdsOf(thirdBody));
        Assert.False(thirdBody.TryGetProperty("links", out _));
    }

    [Fact]
    public async Task List_KeepsFiltersInTheNextLink()
    {
        var account = await app.NewAccountAsync();
        await CreateSchedulesAsync(account, 3);

        using var response = await account.GetAsync("schedules?action=backup&limit=1");

        var href = NextHref(await response.ReadJsonAsync(HttpStatusCode.OK));
        Assert.Equal("backup", QueryHelpers.ParseQuery(new Uri(href).Query)["action"]);
    }

    [Fact]
    public async Task List_LowersALimitAboveTheMaximumToIt()
    {
        var account = await app.NewAccountAsync();
        await CreateSchedulesAsync(account, 2);

        using var response = await account.GetAsync("schedules?limit=1000");

        Assert.Equal(2, IdsOf(await response.ReadJsonAsync(HttpStatusCode.OK)).Length);
    }

    [Theory]
    [InlineData("limit=0", "'limit'")]
    [InlineData("limit=-3", "'limit'")]
    [InlineData("limit=ten", "'limit'")]
    [InlineData("marker=2e351a71-dd28-4bcb-a7d6-d36a5b487173", "'marker'")]
    [InlineData("marker=not-an-id", "'marker'")]
    [InlineData("instance_id=not-an-id", "'instance_id'")]
    [InlineData("source_id=42", "'source_id'")]
    public async Task List_AnswersBadRequest_ForBadParameters(string query, string field)
    {
        var account = await app.NewAccountAsync();

        using var response = await account.GetAsync($"schedules?{query}");

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_RefusesAMarkerFromAnotherAccount()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var foreign = await CreateSchedulesAsync(stranger, 1);

        using var response = await account.GetAsync($"schedules?marker={foreign[0]}");

        await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
    }

    [Fact]
    public async Task List_FiltersByInstanceSourceActionAndSourceType()
    {
        var account = await app.NewAccountAsync();
        var first = await account.CreateInstanceAsync("one");
        var second = await account.CreateInstanceAsync("two");
        var firstSchedule = (await account.CreateScheduleAsync(first)).GetProperty("id").GetString();
        await account.CreateScheduleAsync(second);

        async Task<string[]> ListAsync(string query)
        {
            using var response = await account.GetAsync($"schedules?{query}");
            return IdsOf(await response.ReadJsonAsync(HttpStatusCode.OK));
        }

        Assert.Equal([firstSchedule!], await ListAsync($"instance_id={first}"));
        Assert.Equal([firstSchedule!], await ListAsync($"source_id={first}&source_type=instance"));
        Assert.Equal(2, (await ListAsync("action=backup")).Length);
        Assert.Empty(await ListAsync("action=restore"));
        Assert.Empty(await ListAsync("source_type=ha"));
        Assert.Empty(await ListAsync($"instance_id={Guid.NewGuid()}"));
    }

    private static async Task<string[]> CreateSchedulesAsync(Account account, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var instanceId = await account.CreateInstanceAsync($"db{i}");
            ids.Add((await account.CreateScheduleAsync(instanceId, i % 8)).GetProperty("id").GetString()!);
        }

        return [.. ids];
    }

    private static string[] IdsOf(JsonElement body) =>
        [.. body.GetProperty("schedules").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static string NextHref(JsonElement body)
    {
        var link = Assert.Single(body.GetProperty("links").EnumerateArray());
        Assert.Equal("next", link.GetProperty("rel").GetString());
        return link.GetProperty("href").GetString()!;
    }
}

[Collection(OnSqlite.Name)]
public sealed class ScheduleListOnSqlite(SqliteApp app) : ScheduleListTests(app);

[Collection(OnPostgres.Name)]
public sealed class ScheduleListOnPostgres(PostgresApp app) : ScheduleListTests(app);
