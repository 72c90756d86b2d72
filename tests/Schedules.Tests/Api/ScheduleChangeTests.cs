using System.Net;
using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class ScheduleChangeTests(SchedulesApp app)
{
    [Fact]
    public async Task Show_AnswersNotFound_ForUnknownIdsAndOtherAccounts()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var foreign = (await stranger.CreateScheduleAsync(await stranger.CreateInstanceAsync()))
            .GetProperty("id").GetString();

        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-an-id", foreign! })
        {
            using var response = await account.GetAsync($"schedules/{id}");
            var message = await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
            Assert.Contains(id, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Update_ChangesTheGivenFields_AndRecomputesNextRun()
    {
        var account = await app.NewAccountAsync();
        var created = await account.CreateScheduleAsync(await account.CreateInstanceAsync());
        var id = created.GetProperty("id").GetString()!;

        using var response = await account.PutAsync($"schedules/{id}", """
            {"schedule": {"day_of_week": 5, "hour": 3, "full_backup_retention": 4, "copy_to": ["DFW"]}}
            """);

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        var shown = await account.ShowScheduleAsync(id);
        Assert.Equal(5, shown.GetProperty("day_of_week").GetInt32());
        Assert.Equal(3, shown.GetProperty("hour").GetInt32());
        Assert.Equal(30, shown.GetProperty("minute").GetInt32());
        Assert.Equal(4, shown.GetProperty("full_backup_retention").GetInt32());
        Assert.Equal(["DFW"], shown.GetProperty("copy_to").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("2014-10-31T03:30:00", shown.GetProperty("next_run").GetString());
        Assert.Equal(created.GetProperty("created").GetString(), shown.GetProperty("created").GetString());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("last_scheduled").ValueKind);
    }

    [Fact]
    public async Task Update_TakesCopyToAsACommaString_AndAnEmptyStringClearsIt()
    {
        var account = await app.NewAccountAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync()))
            .GetProperty("id").GetString()!;

        using (var set = await account.PutAsync($"schedules/{id}", """{"schedule": {"copy_to": "ORD,IAD"}}"""))
        {
            await set.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        var copyTo = (await account.ShowScheduleAsync(id)).GetProperty("copy_to").EnumerateArray();
        Assert.Equal(["ORD", "IAD"], copyTo.Select(r => r.GetString()));

        using (var clear = await account.PutAsync($"schedules/{id}", """{"schedule": {"copy_to": ""}}"""))
        {
            await clear.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        Assert.Equal(0, (await account.ShowScheduleAsync(id)).GetProperty("copy_to").GetArrayLength());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("\"true\"")]
    [InlineData("\"True\"")]
    public async Task Update_WithRunNow_StartsTheBackupWithinSeconds(string runNow)
    {
        var account = await app.NewAccountAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync()))
            .GetProperty("id").GetString()!;

        using var response = await account.PutAsync($"schedules/{id}", $$"""{"schedule": {"run_now": {{runNow}} } }""");

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        var schedule = await Eventually.GetAsync(
            () => account.ShowScheduleAsync(id),
            s => s.GetProperty("last_scheduled").ValueKind == JsonValueKind.String,
            "the run asked for",
            seconds: 5);
        Assert.Equal("2014-10-30T12:30:00", schedule.GetProperty("last_scheduled").GetString());
        Assert.Equal("2014-10-30T14:30:00", schedule.GetProperty("next_run").GetString());
        using var runs = await account.GetAsync($"schedules/{id}/runs");
        var run = Assert.Single((await runs.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("runs").EnumerateArray());
        Assert.Equal("started", run.GetProperty("outcome").GetString());
        Assert.Equal("full", run.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.String, run.GetProperty("backup_id").ValueKind);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("\"false\"")]
    public async Task Update_WithRunNowFalse_KeepsTheNextSlot(string runNow)
    {
        var account = await app.NewAccountAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync()))
            .GetProperty("id").GetString()!;

        using var response = await account.PutAsync($"schedules/{id}", $$"""{"schedule": {"run_now": {{runNow}} } }""");

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        Assert.Equal("2014-11-02T14:30:00", (await account.ShowScheduleAsync(id)).GetProperty("next_run").GetString());
    }

    [Theory]
    [InlineData("""{"schedule": {"hour": 25}}""", "'hour'")]
    [InlineData("""{"schedule": {"minute": -1}}""", "'minute'")]
    [InlineData("""{"schedule": {"day_of_week": "monday"}}""", "'day_of_week'")]
    [InlineData("""{"schedule": {"full_backup_retention": 0}}""", "'full_backup_retention'")]
    [InlineData("""{"schedule": {"copy_to": "ORD,NOWHERE"}}""", "'copy_to'")]
    [InlineData("""{"schedule": {"run_now": "yes"}}""", "'run_now'")]
    [InlineData("""{"schedule": {"hour": 3, "run_now": 1}}""", "'run_now'")]
    [InlineData("""{"schedule": {}}""", "Nothing to update")]
    [InlineData("""{"schedule": {"hour": null, "minute": null}}""", "Nothing to update")]
    [InlineData("""{"hour": 3}""", "'schedule'")]
    public async Task Update_AnswersBadRequest_AndChangesNothing(string body, string expected)
    {
        var account = await app.NewAccountAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync()))
            .GetProperty("id").GetString()!;
        var before = await account.ShowScheduleAsync(id);

        using var response = await account.PutAsync($"schedules/{id}", body);

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal(before.ToString(), (await account.ShowScheduleAsync(id)).ToString());
    }

    [Fact]
    public async Task Update_AnswersNotFound_ForAnotherAccountsSchedule()
    {
        var owner = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var id = (await owner.CreateScheduleAsync(await owner.CreateInstanceAsync())).GetProperty("id").GetString()!;

        using var response = await stranger.PutAsync($"schedules/{id}", """{"schedule": {"hour": 1}}""");

        await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        Assert.Equal(14, (await owner.ShowScheduleAsync(id)).GetProperty("hour").GetInt32());
    }

    [Fact]
    public async Task Runs_AnswerBadRequest_ForAMarkerThatNamesNoRunOfTheSchedule()
    {
        var account = await app.NewAccountAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync())).GetProperty("id").GetString();
        var marker = Guid.NewGuid().ToString();

        using var response = await account.GetAsync($"schedules/{id}/runs?marker={marker}");

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Equal($"Invalid 'marker': '{marker}' names no run of this schedule.", message);
    }

    [Fact]
    public async Task Delete_RemovesTheSchedule_AndASecondDeleteAnswersNotFound()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var id = (await account.CreateScheduleAsync(instanceId)).GetProperty("id").GetString()!;

        using var first = await account.DeleteAsync($"schedules/{id}");
        using var second = await account.DeleteAsync($"schedules/{id}");
        using var shown = await account.GetAsync($"schedules/{id}");

        await first.ReadEmptyAsync(HttpStatusCode.Accepted);
        await second.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await shown.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await account.CreateScheduleAsync(instanceId);
    }

    [Fact]
    public async Task Delete_AnswersNotFound_ForAnotherAccountsSchedule_AndKeepsIt()
    {
        var owner = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var id = (await owner.CreateScheduleAsync(await owner.CreateInstanceAsync())).GetProperty("id").GetString()!;

        using var response = await stranger.DeleteAsync($"schedules/{id}");

        await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await owner.ShowScheduleAsync(id);
    }
}

[Collection(OnSqlite.Name)]
public sealed class ScheduleChangeOnSqlite(SqliteApp app) : ScheduleChangeTests(app);

[Collection(OnPostgres.Name)]
public sealed class ScheduleChangeOnPostgres(PostgresApp app) : ScheduleChangeTests(app);
