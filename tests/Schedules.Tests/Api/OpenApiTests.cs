using System.Net;
using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

[Collection(OnSqlite.Name)]
public sealed class OpenApiTests(SqliteApp app)
{
    [Fact]
    public async Task Document_DescribesTheSchedulesApi_WithTheSeedExample_AndTheTokenHeader()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        var document = await response.ReadJsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1.0/{accountId}/schedules", out var schedules));
        Assert.True(paths.TryGetProperty("/v1.0/{accountId}/schedules/{scheduleId}", out _));
        Assert.True(paths.TryGetProperty("/v3/auth/tokens", out _));
        var create = schedules.GetProperty("post");
        var example = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("schedule");
        Assert.Equal("44b277eb-39be-4921-be31-3d61b43651d7", example.GetProperty("instance_id").GetString());
        Assert.Equal(14, example.GetProperty("hour").GetInt32());
        Assert.True(create.GetProperty("responses").TryGetProperty("202", out _));
        Assert.Equal(JsonValueKind.Array, create.GetProperty("security").ValueKind);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("token");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-Auth-Token", scheme.GetProperty("name").GetString());
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("CreateScheduleFields");
        Assert.True(schema.GetProperty("properties").TryGetProperty("day_of_week", out _));
    }

    [Fact]
    public async Task Document_DescribesBackupsAndTheInstancesDatabasesAndUsers()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        var paths = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("paths");
        string[] expected =
        [
            "/v1.0/{accountId}/backups", "/v1.0/{accountId}/backups/{backupId}",
            "/v1.0/{accountId}/instances/{instanceId}/backups", "/v1.0/{accountId}/instances/{instanceId}/action",
            "/v1.0/{accountId}/instances/{instanceId}/databases",
            "/v1.0/{accountId}/instances/{instanceId}/databases/{name}",
            "/v1.0/{accountId}/instances/{instanceId}/users", "/v1.0/{accountId}/instances/{instanceId}/users/{name}",
        ];
        Assert.All(expected, path => Assert.True(paths.TryGetProperty(path, out _), path));
        var create = paths.GetProperty("/v1.0/{accountId}/backups").GetProperty("post");
        var example = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("backup");
        Assert.Equal("Incremental Snapshot", example.GetProperty("name").GetString());
        Assert.True(create.GetProperty("responses").TryGetProperty("202", out _));
    }

    [Fact]
    public async Task Document_MarksTheConnectionProfileAndRestoreChecksAsExtensions()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        var document = await response.ReadJsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        var verify = paths.GetProperty("/v1.0/{accountId}/backups/{backupId}/action").GetProperty("post");
        Assert.StartsWith("Extension", verify.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("{\"verify\": {}}", verify.GetProperty("description").GetString(), StringComparison.Ordinal);
        var runs = paths.GetProperty("/v1.0/{accountId}/backups/{backupId}/verifications").GetProperty("get");
        Assert.StartsWith("Extension", runs.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var register = paths.GetProperty("/v1.0/{accountId}/instances").GetProperty("post");
        Assert.StartsWith("Extension: 'connection_profile'", register.GetProperty("description").GetString(),
            StringComparison.Ordinal);
        var profile = document.GetProperty("components").GetProperty("schemas").GetProperty("CreateInstanceFields")
            .GetProperty("properties").GetProperty("connection_profile");
        Assert.StartsWith("Extension", profile.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwaggerUi_IsServed()
    {
        using var response = await app.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
