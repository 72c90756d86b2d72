using System.Net;
using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Clients;

/// <summary>Swagger UI in Debian's headless Chromium, driven by playwright-core (tests/browser).</summary>
[Collection(OnLiveService.Name)]
public sealed class SwaggerUiTests(LiveApp app)
{
    [Fact]
    public async Task TryItOut_CreatesASchedule_AfterAuthorizingWithAToken()
    {
        var user = await app.NewUser();
        var instanceId = await user.Account.CreateInstanceAsync();
        var screenshot = Path.Combine(
            ClientProcess.RepositoryRoot, ".test", "artifacts", "swagger-create-schedule.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        var run = await ClientProcess.RunAsync(
            "node",
            [
                "tests/browser/swagger-create-schedule.mjs", app.Url, user.Account.Token, user.ProjectId, instanceId,
                screenshot,
            ],
            timeout: TimeSpan.FromSeconds(90));

        using var answer = JsonDocument.Parse(run.Succeeded().Output);
        Assert.Equal("202", answer.RootElement.GetProperty("status").GetString());
        using var body = JsonDocument.Parse(answer.RootElement.GetProperty("body").GetString()!);
        var created = body.RootElement.GetProperty("schedule");
        Assert.Equal(instanceId, created.GetProperty("instance_id").GetString());
        Assert.Equal(14, created.GetProperty("hour").GetInt32());
        var stored = await user.Account.ShowScheduleAsync(created.GetProperty("id").GetString()!);
        Assert.Equal(instanceId, stored.GetProperty("instance_id").GetString());
        Assert.Equal(0, stored.GetProperty("day_of_week").GetInt32());
        Assert.True(new FileInfo(screenshot).Length > 0, "Swagger UI's screenshot was not saved.");
        using var list = await user.Account.GetAsync("schedules");
        Assert.Single((await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("schedules").EnumerateArray());
    }
}
