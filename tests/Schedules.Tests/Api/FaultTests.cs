using System.Diagnostics;
using System.Net;
using System.Text;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class FaultTests(SchedulesApp app)
{
    [Fact]
    public async Task Root_ListsTheVersions_WithoutAToken()
    {
        using var response = await app.CreateClient().GetAsync("/");

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        const string Versions =
            """{"versions":[{"id":"v1.0","links":[{"href":"http://localhost/"""
            + """v1.0/","rel":"self"}],"status":"CURRENT","updated":"2012-01-01T00:00:00Z"}]}""";
        Assert.Equal(Versions, body.GetRawText());
    }

    [Fact]
    public async Task VersionDocument_NeedsAToken_AndShowsTheVersionWithOne()
    {
        var account = await app.NewAccountAsync();

        using var anonymous = await app.CreateClient().GetAsync("/v1.0/");
        using var signedIn = await account.Http.GetAsync("/v1.0/");

        await anonymous.ReadFaultAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var version = (await signedIn.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("version");
        Assert.Equal("v1.0", version.GetProperty("id").GetString());
        Assert.Equal("CURRENT", version.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task Account_AnswersUnauthorized_WithAKeystoneChallenge_WithoutAValidToken(string? token)
    {
        var client = app.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add("X-Auth-Token", token);
        }

        using var response = await client.GetAsync("/v1.0/1234/schedules");

        await response.ReadFaultAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Keystone uri=\"http://localhost/v3\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Account_AnswersForbidden_ForATokenOfAnotherTenant()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();

        using var response = await account.Http.GetAsync($"/v1.0/{stranger.Id}/schedules");

        var message = await response.ReadFaultAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains(stranger.Id, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/nothing/here")]
    [InlineData("/v2.0/1234/schedules")]
    [InlineData("/v1.1/1234/schedules")]
    [InlineData("/v1.0/1234/unknown")]
    public async Task UnknownRoutes_AnswerItemNotFound(string path)
    {
        var account = await app.NewAccountAsync();

        using var response = await account.Http.GetAsync(path.Replace("1234", account.Id, StringComparison.Ordinal));

        await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
    }

    [Fact]
    public async Task WrongMethod_AnswersBadMethod()
    {
        var account = await app.NewAccountAsync();

        using var patch = await account.Http.PatchAsync(account.Path("schedules"), Account.Json("{}"));
        using var put = await account.PutAsync("schedules", "{}");

        await patch.ReadFaultAsync(HttpStatusCode.MethodNotAllowed, "badMethod");
        await put.ReadFaultAsync(HttpStatusCode.MethodNotAllowed, "badMethod");
    }

    [Fact]
    public async Task BodyOverTheLimit_AnswersOverLimit()
    {
        var account = await app.NewAccountAsync();
        var padding = new string(' ', 70 * 1024);

        using var response = await account.PostAsync("schedules", $$"""{"schedule": {}{{padding}}}""");

        var message = await response.ReadFaultAsync(HttpStatusCode.RequestEntityTooLarge, "overLimit");
        Assert.Contains("64 KiB", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_AnswersOverLimit()
    {
        var account = await app.NewAccountAsync();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('[', 100 * 1024))));
        content.Headers.ContentType = new("application/json");

        using var response = await account.Http.PostAsync(account.Path("schedules"), content);

        await response.ReadFaultAsync(HttpStatusCode.RequestEntityTooLarge, "overLimit");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task NonJsonBody_AnswersBadMediaType(string mediaType)
    {
        var account = await app.NewAccountAsync();

        using var response = await account.Http.PostAsync(
            account.Path("schedules"), new StringContent("action=backup", Encoding.UTF8, mediaType));

        var message = await response.ReadFaultAsync(HttpStatusCode.UnsupportedMediaType, "badMediaType");
        Assert.Contains("application/json", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhandledException_AnswersInstanceFault_WithAnErrorIdThatIsLogged()
    {
        using var response = await app.CreateClient().GetAsync(FailingRoute.Path);

        var message = await response.ReadFaultAsync(HttpStatusCode.InternalServerError, "instanceFault");
        var errorId = System.Text.RegularExpressions.Regex.Match(message, "error id ([0-9a-f]+)").Groups[1].Value;
        Assert.NotEmpty(errorId);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
        Assert.DoesNotContain("at ", message, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Lines, line => line.Contains(errorId, StringComparison.Ordinal)
            && line.Contains(nameof(InvalidOperationException), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimit_AnswersOverLimit_WithRetryAfter_PerTenantAndMethod()
    {
        await using var limited = await app.StartVariantAsync(
            new Dictionary<string, string?> { ["RateLimits:Get"] = "3" });
        var account = await limited.NewAccountAsync();
        var other = await limited.NewAccountAsync();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await account.GetAsync("schedules");
            await allowed.ReadJsonAsync(HttpStatusCode.OK);
        }

        using var refused = await account.GetAsync("schedules");
        using var otherTenant = await other.GetAsync("schedules");
        using var otherMethod = await account.PostAsync("instances", """{"instance": {}}""");

        await refused.ReadFaultAsync(HttpStatusCode.RequestEntityTooLarge, "overLimit");
        var retryAfter = int.Parse(
            Assert.Single(refused.Headers.GetValues("Retry-After")),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        var fault = (await refused.ReadJsonAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("overLimit");
        var expectedRetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expectedRetryAfter, fault.GetProperty("retryAfter").GetString());
        await otherTenant.ReadJsonAsync(HttpStatusCode.OK);
        await otherMethod.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
    }

    [Fact]
    public async Task InstanceQuota_AnswersOverLimit()
    {
        await using var small = await app.StartVariantAsync(
            new Dictionary<string, string?> { ["Quotas:Instances"] = "2" });
        var account = await small.NewAccountAsync();
        await account.CreateInstanceAsync("one");
        await account.CreateInstanceAsync("two");

        using var response = await account.PostAsync("instances", """
            {"instance": {"name": "three", "flavorRef": "1", "volume": {"size": 1}}}
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.RequestEntityTooLarge, "overLimit");
        Assert.Equal("Quota exceeded for resources: ['instances'].", message);
    }

    [Fact]
    public async Task UnreachableDatabase_AnswersServiceUnavailable_Quickly()
    {
        var unreachable = app.Provider == "postgres"
            ? "Host=127.0.0.1;Port=1;Username=postgres;Database=none"
            : "Data Source=/nonexistent/folder/schedules.db;Mode=ReadWrite";
        await using var down = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Schedules"] = unreachable,
            ["Database:MigrateOnStartup"] = "false",
            ["Scheduler:Enabled"] = "false",
        });
        var client = down.CreateClient();
        client.DefaultRequestHeaders.Add("X-Auth-Token", "any-token");

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/v1.0/1234/schedules");
        clock.Stop();

        await response.ReadFaultAsync(HttpStatusCode.ServiceUnavailable, "serviceUnavailable");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered after {clock.Elapsed}");
    }
}

[Collection(OnSqlite.Name)]
public sealed class FaultOnSqlite(SqliteApp app) : FaultTests(app);

[Collection(OnPostgres.Name)]
public sealed class FaultOnPostgres(PostgresApp app) : FaultTests(app);
