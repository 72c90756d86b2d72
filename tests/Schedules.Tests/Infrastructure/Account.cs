using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Schedules.Tests.Infrastructure;

/// <summary>A tenant of the service under test: its id, its token, and an HTTP client that sends the token.</summary>
public sealed class Account
{
    public Account(SchedulesApp app, string id, string token)
    {
        Id = id;
        Token = token;
        Http = app.CreateClient();
        Http.DefaultRequestHeaders.Add("X-Auth-Token", token);
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public string Id { get; }

    public string Token { get; }

    public HttpClient Http { get; }

    /// <summary>The account's base path, <c>/v1.0/{accountId}</c>.</summary>
    public string Path(string rest) => $"/v1.0/{Id}/{rest.TrimStart('/')}";

    public Task<HttpResponseMessage> GetAsync(string rest) => Http.GetAsync(Path(rest));

    public Task<HttpResponseMessage> DeleteAsync(string rest) => Http.DeleteAsync(Path(rest));

    public Task<HttpResponseMessage> PostAsync(string rest, string json) =>
        Http.PostAsync(Path(rest), Json(json));

    public Task<HttpResponseMessage> PutAsync(string rest, string json) =>
        Http.PutAsync(Path(rest), Json(json));

    public async Task<string> CreateInstanceAsync(string name = "db1")
    {
        using var response = await PostAsync("instances", $$"""
            {"instance": {"name": "{{name}}", "flavorRef": "1", "volume": {"size": 2},
                          "datastore": {"type": "mysql", "version": "5.6"} } }
            """);
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        return body.GetProperty("instance").GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> CreateScheduleAsync(
        string instanceId, int dayOfWeek = 0, int hour = 14, int minute = 30, int retention = 2)
    {
        using var response = await PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "day_of_week": {{dayOfWeek}}, "hour": {{hour}}, "minute": {{minute}},
                          "instance_id": "{{instanceId}}", "full_backup_retention": {{retention}} } }
            """);
        var body = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        return body.GetProperty("schedule");
    }

    public async Task<JsonElement> ShowScheduleAsync(string scheduleId)
    {
        using var response = await GetAsync($"schedules/{scheduleId}");
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("schedule");
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

public static class ResponseAssertions
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            expected == response.StatusCode,
            $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the contract's fault body and returns its message.</summary>
    public static async Task<string> ReadFaultAsync(
        this HttpResponseMessage response,
        HttpStatusCode status,
        string name)
    {
        var body = await response.ReadJsonAsync(status);
        Assert.Equal("application/json; charset=UTF-8", response.Content.Headers.ContentType?.ToString());
        var property = Assert.Single(body.EnumerateObject());
        Assert.Equal(name, property.Name);
        Assert.Equal((int)status, property.Value.GetProperty("code").GetInt32());
        var message = property.Value.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    public static async Task ReadEmptyAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("", text);
    }
}
