using System.Net;
using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class ScheduleCreateTests(SchedulesApp app)
{
    [Fact]
    public async Task Create_AnswersTheSeedExample_WhenSentAsTheSeedPageSendsIt()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, account.Path("schedules"));
        request.Headers.Add("User-Agent", "python-troveclient");
        request.Content = Account.Json($$"""
            {
                "schedule": {
                    "action": "backup",
                    "day_of_week": 0,
                    "hour": 14,
                    "instance_id": "{{instanceId}}",
                    "minute": 30
                }
            }
            """);

        using var response = await account.Http.SendAsync(request);

        var schedule = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("schedule");
        string[] seedFields =
        [
            "action", "created", "day_of_month", "day_of_week", "hour", "id", "instance_id", "last_scheduled",
            "minute", "month", "next_run", "updated",
        ];
        Assert.All(seedFields, field => Assert.True(schedule.TryGetProperty(field, out _), field));
        Assert.Equal("backup", schedule.GetProperty("action").GetString());
        Assert.Equal("2014-10-30T12:30:00", schedule.GetProperty("created").GetString());
        Assert.Equal("2014-10-30T12:30:00", schedule.GetProperty("updated").GetString());
        Assert.Equal("2014-11-02T14:30:00", schedule.GetProperty("next_run").GetString());
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("day_of_month").ValueKind);
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("month").ValueKind);
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("last_scheduled").ValueKind);
        Assert.Equal(0, schedule.GetProperty("day_of_week").GetInt32());
        Assert.Equal(14, schedule.GetProperty("hour").GetInt32());
        Assert.Equal(30, schedule.GetProperty("minute").GetInt32());
        Assert.Equal(instanceId, schedule.GetProperty("instance_id").GetString());
        Assert.Matches(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            schedule.GetProperty("id").GetString());
        Assert.Equal(2, schedule.GetProperty("full_backup_retention").GetInt32());
        Assert.False(schedule.GetProperty("running").GetBoolean());
        Assert.Equal(instanceId, schedule.GetProperty("source").GetProperty("id").GetString());
        Assert.Equal("instance", schedule.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal(0, schedule.GetProperty("copy_to").GetArrayLength());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Create_TakesNullAsAbsent_WhenARackspaceClientSendsEveryUnsetOption()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "instance_id": "{{instanceId}}", "day_of_week": 3, "hour": 1,
                          "minute": 5, "full_backup_retention": null, "copy_to": null, "source_id": null,
                          "source_type": null, "instance": null, "run_now": null, "month": null,
                          "day_of_month": null} }
            """);

        var schedule = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("schedule");
        Assert.Equal(2, schedule.GetProperty("full_backup_retention").GetInt32());
        Assert.Equal(0, schedule.GetProperty("copy_to").GetArrayLength());
        Assert.Equal("2014-11-05T01:05:00", schedule.GetProperty("next_run").GetString());
    }

    [Theory]
    [InlineData("instance")]
    [InlineData("source_id")]
    public async Task Create_AcceptsTheInstanceUnderItsOtherNames(string field)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "{{field}}": "{{instanceId}}",
                          "day_of_week": 7, "hour": 14, "minute": 30} }
            """);

        var schedule = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("schedule");
        Assert.Equal(instanceId, schedule.GetProperty("instance_id").GetString());
        Assert.Equal("2014-10-30T14:30:00", schedule.GetProperty("next_run").GetString());
    }

    [Fact]
    public async Task Create_KeepsRetentionAndCopyTo_WhenGiven()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "instance_id": "{{instanceId}}", "day_of_week": 1, "hour": 0,
                          "minute": 0, "full_backup_retention": 5, "copy_to": "ORD, IAD"} }
            """);

        var created = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("schedule");
        var shown = await account.ShowScheduleAsync(created.GetProperty("id").GetString()!);
        Assert.Equal(5, shown.GetProperty("full_backup_retention").GetInt32());
        Assert.Equal(["ORD", "IAD"], shown.GetProperty("copy_to").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(created.ToString(), shown.ToString());
    }

    public static TheoryData<string, string> InvalidFields => new()
    {
        { """ "action": "backup", "hour": 14, "minute": 30 """, "'day_of_week'" },
        { """ "action": "backup", "day_of_week": 0, "minute": 30 """, "'hour'" },
        { """ "action": "backup", "day_of_week": 0, "hour": 14 """, "'minute'" },
        { """ "day_of_week": 0, "hour": 14, "minute": 30 """, "'action'" },
        { """ "action": "restore", "day_of_week": 0, "hour": 14, "minute": 30 """, "'action'" },
        { """ "action": 1, "day_of_week": 0, "hour": 14, "minute": 30 """, "'action'" },
        { """ "action": "backup", "day_of_week": 8, "hour": 14, "minute": 30 """, "'day_of_week'" },
        { """ "action": "backup", "day_of_week": -1, "hour": 14, "minute": 30 """, "'day_of_week'" },
        { """ "action": "backup", "day_of_week": "0", "hour": 14, "minute": 30 """, "'day_of_week'" },
        { """ "action": "backup", "day_of_week": 0, "hour": 24, "minute": 30 """, "'hour'" },
        { """ "action": "backup", "day_of_week": 0, "hour": 1.5, "minute": 30 """, "'hour'" },
        { """ "action": "backup", "day_of_week": 0, "hour": 99999999999999, "minute": 30 """, "'hour'" },
        { """ "action": "backup", "day_of_week": 0, "hour": true, "minute": 30 """, "'hour'" },
        { """ "action": "backup", "day_of_week": 0, "hour": 14, "minute": 60 """, "'minute'" },
        { """ "action": "backup", "day_of_week": 0, "hour": 14, "minute": [30] """, "'minute'" },
        {
            """ "action": "backup", "day_of_week": 0, "hour": 14, "minute": 30, "full_backup_retention": 1 """,
            "'full_backup_retention'"
        },
        { """ "action": "backup", "day_of_week": 0, "hour": 14, "minute": 30, "copy_to": ["LON"] """, "'copy_to'" },
        { """ "action": "backup", "day_of_week": 0, "hour": 14, "minute": 30, "copy_to": 5 """, "'copy_to'" },
        {
            """ "action": "backup", "day_of_week": 0, "hour": 14, "minute": 30, "source_type": "cluster" """,
            "'source_type'"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task Create_AnswersBadRequestNamingTheField_AndStoresNothing(string fields, string field)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync(
            "schedules", $$"""{"schedule": { {{fields}}, "instance_id": "{{instanceId}}" } }""");

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains(field, message, StringComparison.Ordinal);
        await AssertNoSchedulesAsync(account);
    }

    [Theory]
    [InlineData("""{"schedule": {"action": "backup", "day_of_week": 0, "hour": 14, "minute": 30}}""", "'instance_id'")]
    [InlineData(
        """
        {"schedule": {"action": "backup", "day_of_week": 0, "hour": 14, "minute": 30,
                      "instance_id": "nope"}}
        """,
        "'instance_id'")]
    [InlineData(
        """
        {"schedule": {"action": "backup", "day_of_week": 0, "hour": 14, "minute": 30,
                      "instance_id": ""}}
        """,
        "'instance_id'")]
    [InlineData("""{"schedule": "backup"}""", "'schedule'")]
    [InlineData("""{"backup": {}}""", "'schedule'")]
    [InlineData("""[1, 2]""", "'schedule'")]
    [InlineData("""{"schedule": {"action": "backup",""", "not valid JSON")]
    public async Task Create_AnswersBadRequest_ForMalformedBodies(string body, string expected)
    {
        var account = await app.NewAccountAsync();

        using var response = await account.PostAsync("schedules", body);

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains(expected, message, StringComparison.Ordinal);
        await AssertNoSchedulesAsync(account);
    }

    [Fact]
    public async Task Create_AnswersBadRequest_WhenTwoNamesOfTheInstanceDisagree()
    {
        var account = await app.NewAccountAsync();
        var first = await account.CreateInstanceAsync("one");
        var second = await account.CreateInstanceAsync("two");

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "day_of_week": 0, "hour": 1, "minute": 2,
                          "instance_id": "{{first}}", "source_id": "{{second}}"} }
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains("'source_id'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AnswersBadRequest_ForAHugeString()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var huge = new string('x', 40_000);

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "{{huge}}", "day_of_week": 0, "hour": 1, "minute": 2,
                          "instance_id": "{{instanceId}}"} }
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains("'action'", message, StringComparison.Ordinal);
        Assert.True(message.Length < 300, message);
    }

    [Fact]
    public async Task Create_AnswersNotImplemented_ForHaGroups()
    {
        var account = await app.NewAccountAsync();

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "day_of_week": 0, "hour": 1, "minute": 2,
                          "source_type": "ha", "source_id": "{{Guid.NewGuid()}}"} }
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.NotImplemented, "notImplemented");
        Assert.Contains("ha", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AnswersNotFound_ForAnUnknownInstance()
    {
        var account = await app.NewAccountAsync();
        var unknown = Guid.NewGuid().ToString();

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "day_of_week": 0, "hour": 1, "minute": 2, "instance_id": "{{unknown}}"} }
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        Assert.Contains(unknown, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AnswersNotFound_ForAnotherAccountsInstance()
    {
        var owner = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var instanceId = await owner.CreateInstanceAsync();

        using var response = await stranger.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "day_of_week": 0, "hour": 1, "minute": 2,
                          "instance_id": "{{instanceId}}"} }
            """);

        await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        await AssertNoSchedulesAsync(owner);
    }

    [Fact]
    public async Task Create_AnswersUnprocessable_WhenTheInstanceAlreadyHasASchedule()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        await account.CreateScheduleAsync(instanceId);

        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "day_of_week": 2, "hour": 3, "minute": 4,
                          "instance_id": "{{instanceId}}"} }
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity");
        Assert.Equal($"{instanceId} already has an active schedule", message);
    }

    [Fact]
    public async Task Create_GivesExactlyOneSchedule_WhenManyRequestsForOneInstanceRace()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var body = $$"""
            {"schedule": {"action": "backup", "day_of_week": 2, "hour": 3, "minute": 4,
                          "instance_id": "{{instanceId}}"} }
            """;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => account.PostAsync("schedules", body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        using var list = await account.GetAsync("schedules");
        Assert.Single((await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("schedules").EnumerateArray());
    }

    private static async Task AssertNoSchedulesAsync(Account account)
    {
        using var list = await account.GetAsync("schedules");
        Assert.Empty((await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("schedules").EnumerateArray());
    }
}

[Collection(OnSqlite.Name)]
public sealed class ScheduleCreateOnSqlite(SqliteApp app) : ScheduleCreateTests(app);

[Collection(OnPostgres.Name)]
public sealed class ScheduleCreateOnPostgres(PostgresApp app) : ScheduleCreateTests(app);
