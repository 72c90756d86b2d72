using System.Net;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class InstanceBackupStatusTests(SchedulesApp app)
{
    [Fact]
    public async Task Instance_ShowsStatusBackup_WhileABackupRuns_AndActiveAfterIt()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync("busy");
        var idle = await account.CreateInstanceAsync("idle");
        using var hold = app.Executor.Hold(instanceId);
        var backupId = (await account.CreateBackupAsync(instanceId)).GetProperty("id").GetString()!;

        var shownDuring = await StatusAsync(account, instanceId);
        var listedDuring = await ListedStatusesAsync(account);
        hold.Release();
        await account.WaitForBackupAsync(backupId);

        Assert.Equal("BACKUP", shownDuring);
        Assert.Equal("BACKUP", listedDuring[instanceId]);
        Assert.Equal("ACTIVE", listedDuring[idle]);
        Assert.Equal("ACTIVE", await StatusAsync(account, instanceId));
        Assert.Equal("ACTIVE", (await ListedStatusesAsync(account))[instanceId]);
    }

    [Fact]
    public async Task ChangesToTheInstance_AnswerUnprocessable_WhileABackupRuns_AndAreAllowedAfterIt()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        await SendAsync(account, HttpMethod.Post, $"instances/{instanceId}/databases",
            """{"databases": [{"name": "shop"}]}""");
        await SendAsync(account, HttpMethod.Post, $"instances/{instanceId}/users",
            """{"users": [{"name": "clerk", "password": "s3cret"}]}""");
        var busy = $"Instance {instanceId} is not currently available for an action to be performed "
            + "(status was BACKUP).";
        (HttpMethod Method, string Path, string? Body)[] changes =
        [
            (HttpMethod.Post, $"instances/{instanceId}/action", """{"restart": {}}"""),
            (HttpMethod.Post, $"instances/{instanceId}/action", """{"stop": {}}"""),
            (HttpMethod.Post, $"instances/{instanceId}/databases", """{"databases": [{"name": "orders"}]}"""),
            (HttpMethod.Delete, $"instances/{instanceId}/databases/shop", null),
            (HttpMethod.Post, $"instances/{instanceId}/users", """{"users": [{"name": "boss", "password": "pw"}]}"""),
            (HttpMethod.Delete, $"instances/{instanceId}/users/clerk", null),
            (HttpMethod.Delete, $"instances/{instanceId}", null),
        ];

        using (var hold = app.Executor.Hold(instanceId))
        {
            var backupId = (await account.CreateBackupAsync(instanceId)).GetProperty("id").GetString()!;
            foreach (var (method, path, body) in changes)
            {
                using var refused = await account.Http.SendAsync(Request(account, method, path, body));
                var message = await refused.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity");
                Assert.Equal(busy, message);
            }

            Assert.Equal("BACKUP", await StatusAsync(account, instanceId));
            hold.Release();
            await account.WaitForBackupAsync(backupId);
        }

        foreach (var (method, path, body) in changes)
        {
            await SendAsync(account, method, path, body);
        }

        using var gone = await account.GetAsync($"instances/{instanceId}");
        await gone.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
    }

    [Theory]
    [InlineData("""{"restart": {}}""")]
    [InlineData("""{"stop": {}}""")]
    [InlineData("""{"restart": null}""")]
    public async Task Action_AnswersAccepted_ForRestartAndStop(string body)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync($"instances/{instanceId}/action", body);

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        Assert.Equal("ACTIVE", await StatusAsync(account, instanceId));
    }

    [Theory]
    [InlineData("""{"reboot": {}}""", HttpStatusCode.BadRequest, "'reboot'")]
    [InlineData("""{}""", HttpStatusCode.BadRequest, "'restart' or 'stop'")]
    [InlineData("""["restart"]""", HttpStatusCode.BadRequest, "'restart' or 'stop'")]
    [InlineData("""{"restart": true}""", HttpStatusCode.BadRequest, "'restart'")]
    [InlineData("""{"resize": {"flavorRef": "2"}}""", HttpStatusCode.NotImplemented, "'resize'")]
    public async Task Action_AnswersAFault_ForAnUnknownOrMalformedAction(
        string body,
        HttpStatusCode status,
        string expected)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync($"instances/{instanceId}/action", body);

        var name = status == HttpStatusCode.BadRequest ? "badRequest" : "notImplemented";
        Assert.Contains(expected, await response.ReadFaultAsync(status, name), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Action_AnswersNotFound_ForAnotherAccountsInstance()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var foreign = await stranger.CreateInstanceAsync();

        using var response = await account.PostAsync($"instances/{foreign}/action", """{"restart": {}}""");

        await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
    }

    private static async Task<string> StatusAsync(Account account, string instanceId)
    {
        using var response = await account.GetAsync($"instances/{instanceId}");
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("instance").GetProperty("status")
            .GetString()!;
    }

    private static async Task<Dictionary<string, string>> ListedStatusesAsync(Account account)
    {
        using var response = await account.GetAsync("instances");
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("instances").EnumerateArray()
            .ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("status").GetString()!);
    }

    private static async Task SendAsync(Account account, HttpMethod method, string path, string? body)
    {
        using var response = await account.Http.SendAsync(Request(account, method, path, body));
        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
    }

    private static HttpRequestMessage Request(Account account, HttpMethod method, string path, string? body) =>
        new(method, account.Path(path)) { Content = body is null ? null : Account.Json(body) };
}

[Collection(OnSqlite.Name)]
public sealed class InstanceBackupStatusOnSqlite(SqliteApp app) : InstanceBackupStatusTests(app);

[Collection(OnPostgres.Name)]
public sealed class InstanceBackupStatusOnPostgres(PostgresApp app) : InstanceBackupStatusTests(app);
