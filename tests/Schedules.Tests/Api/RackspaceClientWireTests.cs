using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

/// <summary>
/// The Rackspace client (<c>cdbclient</c>, python-troveclient's sibling with a schedules manager) is not packaged
/// anywhere reachable, so these tests send what it sends: its headers, <c>null</c> for every option the user did
/// not give, <c>copy_to</c> as a comma string and <c>run_now</c> as given on update, and every list parameter it
/// knows; and they read the answers as it does: the resource under its envelope key, the next page's marker from
/// the <c>next</c> link, and nothing from a 202 without a body. What ScheduleCreateTests, ScheduleChangeTests and
/// ScheduleListTests already show one field at a time is not repeated here.
/// </summary>
public abstract class RackspaceClientWireTests(SchedulesApp app)
{
    [Fact]
    public async Task Create_ByItsSource_WithEveryOtherOptionNull_AnswersEveryAttributeTheClientReads()
    {
        var account = await ClientAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "source_id": "{{instanceId}}", "source_type": "instance",
                          "instance_id": null, "day_of_week": 2, "hour": 23, "minute": 59,
                          "full_backup_retention": null, "copy_to": null, "run_now": null} }
            """);

        var schedule = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("schedule");
        Assert.Equal(
            ["action", "copy_to", "created", "day_of_month", "day_of_week", "full_backup_retention", "hour", "id",
             "instance_id", "last_scheduled", "minute", "month", "next_run", "running", "source", "updated"],
            schedule.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(instanceId, schedule.GetProperty("instance_id").GetString());
        Assert.Equal(instanceId, schedule.GetProperty("source").GetProperty("id").GetString());
        Assert.Equal("instance", schedule.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal(2, schedule.GetProperty("full_backup_retention").GetInt32());
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("last_scheduled").ValueKind);
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("day_of_month").ValueKind);
        Assert.Equal("2014-11-04T23:59:00", schedule.GetProperty("next_run").GetString());
    }

    [Fact]
    public async Task Update_ChangesOnlyWhatIsGiven_WhenTheRestIsNullAndCopyToIsACommaString()
    {
        var account = await ClientAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync(), retention: 3))
            .GetProperty("id").GetString()!;

        using var response = await account.PutAsync($"schedules/{id}", """
            {"schedule": {"day_of_week": null, "hour": 3, "minute": null, "full_backup_retention": null,
                          "copy_to": "DFW,ORD", "run_now": null} }
            """);

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        var schedule = await account.ShowScheduleAsync(id);
        Assert.Equal(0, schedule.GetProperty("day_of_week").GetInt32());
        Assert.Equal(3, schedule.GetProperty("hour").GetInt32());
        Assert.Equal(30, schedule.GetProperty("minute").GetInt32());
        Assert.Equal(3, schedule.GetProperty("full_backup_retention").GetInt32());
        Assert.Equal(["DFW", "ORD"], schedule.GetProperty("copy_to").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("2014-11-02T03:30:00", schedule.GetProperty("next_run").GetString());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("\"true\"")]
    public async Task Update_RunsNow_WhenRunNowComesWithEveryOtherOptionNull(string runNow)
    {
        var account = await ClientAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync()))
            .GetProperty("id").GetString()!;

        using var response = await account.PutAsync($"schedules/{id}", $$"""
            {"schedule": {"day_of_week": null, "hour": null, "minute": null, "full_backup_retention": null,
                          "copy_to": null, "run_now": {{runNow}} } }
            """);

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        var schedule = await Eventually.GetAsync(
            () => account.ShowScheduleAsync(id),
            s => s.GetProperty("last_scheduled").ValueKind == JsonValueKind.String,
            "the run asked for",
            seconds: 5);
        Assert.Equal("2014-10-30T12:30:00", schedule.GetProperty("last_scheduled").GetString());
        Assert.Equal(14, schedule.GetProperty("hour").GetInt32());
    }

    [Fact]
    public async Task List_WalksEveryPage_WithAllTheClientsParameters_TakingTheMarkerFromTheNextLink()
    {
        var account = await ClientAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await account.CreateScheduleAsync(await account.CreateInstanceAsync($"db{i}"), i))
                .GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var query = "limit=2" + (marker is null ? "" : $"&marker={marker}") + "&action=backup&source_type=instance";
            using var response = await account.GetAsync($"schedules?{query}");
            var body = await response.ReadJsonAsync(HttpStatusCode.OK);
            seen.AddRange(body.GetProperty("schedules").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            marker = body.TryGetProperty("links", out var links)
                ? QueryHelpers.ParseQuery(new Uri(links.EnumerateArray()
                    .Single(l => l.GetProperty("rel").GetString() == "next").GetProperty("href").GetString()!).Query)
                    ["marker"].ToString()
                : null;
            pages++;
        }
        while (marker is not null);

        Assert.Equal(ids, seen);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task List_BySourceId_AnswersTheOneSchedule_WithTheClientsDefaultLimit()
    {
        var account = await ClientAsync();
        var instanceId = await account.CreateInstanceAsync("one");
        var id = (await account.CreateScheduleAsync(instanceId)).GetProperty("id").GetString();
        await account.CreateScheduleAsync(await account.CreateInstanceAsync("two"));

        using var response = await account.GetAsync(
            $"schedules?limit=20&action=backup&source_id={instanceId}&source_type=instance");

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        var schedule = Assert.Single(body.GetProperty("schedules").EnumerateArray());
        Assert.Equal(id, schedule.GetProperty("id").GetString());
        Assert.False(body.TryGetProperty("links", out _));
    }

    [Fact]
    public async Task Delete_AnswersAnEmpty202_AndShowThenAnswersTheFaultTheClientRaises()
    {
        var account = await ClientAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync()))
            .GetProperty("id").GetString()!;

        using var deleted = await account.DeleteAsync($"schedules/{id}");
        using var shown = await account.GetAsync($"schedules/{id}");

        await deleted.ReadEmptyAsync(HttpStatusCode.Accepted);
        await shown.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
    }

    /// <summary>An account whose HTTP client sends the headers the Rackspace client adds to every request.</summary>
    private async Task<Account> ClientAsync()
    {
        var account = await app.NewAccountAsync();
        account.Http.DefaultRequestHeaders.Add("X-Auth-Project-Id", account.Id);
        account.Http.DefaultRequestHeaders.UserAgent.ParseAdd("python-cdbclient");
        return account;
    }
}

[Collection(OnSqlite.Name)]
public sealed class RackspaceClientWireOnSqlite(SqliteApp app) : RackspaceClientWireTests(app);

[Collection(OnPostgres.Name)]
public sealed class RackspaceClientWireOnPostgres(PostgresApp app) : RackspaceClientWireTests(app);
