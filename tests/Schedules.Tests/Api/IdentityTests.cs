using System.Net;
using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class IdentityTests(SchedulesApp app)
{
    private const string V2Password = $$"""
        {"auth": {"passwordCredentials": {"username": "{{SchedulesApp.DemoUser}}",
                                          "password": "{{SchedulesApp.DemoPassword}}"},
                  "tenantId": "{{SchedulesApp.DemoProject}}"} }
        """;

    [Fact]
    public async Task V2Tokens_IssueAToken_WithTheDatabaseEndpointInTheCatalog()
    {
        var client = app.CreateClient();

        using var response = await client.PostAsync("/v2.0/tokens", Account.Json(V2Password));

        var access = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access");
        var token = access.GetProperty("token").GetProperty("id").GetString()!;
        var tenantId = access.GetProperty("token").GetProperty("tenant").GetProperty("id").GetString();
        Assert.Equal(SchedulesApp.DemoProject, tenantId);
        var database = Assert.Single(access.GetProperty("serviceCatalog").EnumerateArray(),
            entry => entry.GetProperty("type").GetString() == "database");
        Assert.Equal(
            $"http://localhost/v1.0/{SchedulesApp.DemoProject}",
            database.GetProperty("endpoints")[0].GetProperty("publicURL").GetString());
        await AssertTokenWorksAsync(token);
    }

    [Fact]
    public async Task V2Tokens_AcceptTheRackspaceApiKeyCredential()
    {
        var client = app.CreateClient();

        using var response = await client.PostAsync("/v2.0/tokens", Account.Json($$"""
            {"auth": {"RAX-KSKEY:apiKeyCredentials": {"username": "{{SchedulesApp.DemoUser}}",
                                                      "apiKey": "{{SchedulesApp.DemoApiKey}}"} } }
            """));

        var token = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access").GetProperty("token");
        await AssertTokenWorksAsync(token.GetProperty("id").GetString()!);
    }

    [Theory]
    [InlineData("""{"auth": {"passwordCredentials": {"username": "demo", "password": "wrong"}}}""")]
    [InlineData("""{"auth": {"passwordCredentials": {"username": "nobody", "password": "demo-password"}}}""")]
    [InlineData("""
        {"auth": {"passwordCredentials": {"username": "demo", "password": "demo-password"},
                  "tenantId": "999"}}
        """)]
    [InlineData("""{"auth": {"RAX-KSKEY:apiKeyCredentials": {"username": "demo", "apiKey": "demo-password"}}}""")]
    public async Task V2Tokens_AnswerUnauthorized_ForBadCredentialsOrAnotherTenant(string body)
    {
        var client = app.CreateClient();

        using var response = await client.PostAsync("/v2.0/tokens", Account.Json(body));

        var message = await response.ReadFaultAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.DoesNotContain("demo-password", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"auth": {}}""")]
    [InlineData("""{"auth": "demo"}""")]
    [InlineData("""{"credentials": {}}""")]
    public async Task V2Tokens_AnswerBadRequest_ForMalformedBodies(string body)
    {
        var client = app.CreateClient();

        using var response = await client.PostAsync("/v2.0/tokens", Account.Json(body));

        await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
    }

    [Fact]
    public async Task V3Tokens_IssueATokenInTheSubjectHeader_WithTheDatabaseEndpointInTheCatalog()
    {
        var client = app.CreateClient();

        using var response = await client.PostAsync("/v3/auth/tokens", Account.Json($$"""
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "{{SchedulesApp.DemoUser}}",
                      "domain": {"id": "default"}, "password": "{{SchedulesApp.DemoPassword}}"} } },
                      "scope": {"project": {"id": "{{SchedulesApp.DemoProject}}", "domain": {"id": "default"} } } } }
            """));

        var token = (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("token");
        var subject = Assert.Single(response.Headers.GetValues("X-Subject-Token"));
        Assert.Equal(SchedulesApp.DemoProject, token.GetProperty("project").GetProperty("id").GetString());
        var database = Assert.Single(token.GetProperty("catalog").EnumerateArray(),
            entry => entry.GetProperty("type").GetString() == "database");
        var endpoint = Assert.Single(database.GetProperty("endpoints").EnumerateArray(),
            e => e.GetProperty("interface").GetString() == "public");
        Assert.Equal($"http://localhost/v1.0/{SchedulesApp.DemoProject}", endpoint.GetProperty("url").GetString());
        Assert.DoesNotContain(subject, token.ToString(), StringComparison.Ordinal);
        await AssertTokenWorksAsync(subject);
    }

    [Fact]
    public async Task V3Tokens_AnswerUnauthorized_ForAWrongPassword()
    {
        var client = app.CreateClient();

        using var response = await client.PostAsync("/v3/auth/tokens", Account.Json("""
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "password": "x"}}}}}
            """));

        await response.ReadFaultAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.False(response.Headers.Contains("X-Subject-Token"));
    }

    [Fact]
    public async Task Logs_NeverHoldPasswordsOrTokens()
    {
        var client = app.CreateClient();
        using var response = await client.PostAsync("/v2.0/tokens", Account.Json(V2Password));
        var token = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access").GetProperty("token")
            .GetProperty("id").GetString()!;

        Assert.DoesNotContain(
            app.Logs.Lines,
            line => line.Contains(SchedulesApp.DemoPassword, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    private async Task AssertTokenWorksAsync(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Auth-Token", token);
        using var response = await client.GetAsync($"/v1.0/{SchedulesApp.DemoProject}/schedules");
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("schedules").ValueKind);
    }
}

[Collection(OnSqlite.Name)]
public sealed class IdentityOnSqlite(SqliteApp app) : IdentityTests(app);

[Collection(OnPostgres.Name)]
public sealed class IdentityOnPostgres(PostgresApp app) : IdentityTests(app);
