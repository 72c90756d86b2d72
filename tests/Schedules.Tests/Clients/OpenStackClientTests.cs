using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Clients;

/// <summary>
/// Debian's python-troveclient and openstack CLI, run as processes against the listening service: what they send
/// is what the service must accept, and what it answers is what they must read.
/// </summary>
[Collection(OnLiveService.Name)]
public sealed class OpenStackClientTests(LiveApp app)
{
    private const string Python = "/usr/bin/python3";
    private const string OpenStack = "/usr/bin/openstack";
    private const string Trove = "/usr/bin/trove";

    [Fact]
    public async Task TroveClientApi_ListsCreatesShowsAndDeletesBackups_WithAKeystoneSession()
    {
        var user = await app.NewUser();
        var instanceId = await user.Account.CreateInstanceAsync("orders");

        var script = "tests/clients/troveclient_session.py";
        var run = await ClientProcess.RunAsync(Python, [script], new Dictionary<string, string>
        {
            ["SCHEDULES_URL"] = app.Url,
            ["SCHEDULES_USER"] = user.Name,
            ["SCHEDULES_PASSWORD"] = user.Password,
            ["SCHEDULES_PROJECT"] = user.ProjectId,
            ["SCHEDULES_INSTANCE"] = instanceId,
        });

        using var document = JsonDocument.Parse(run.Succeeded().Output);
        var read = document.RootElement;
        var instance = Assert.Single(read.GetProperty("instances").EnumerateArray());
        Assert.Equal(instanceId, instance.GetProperty("id").GetString());
        Assert.Equal("orders", instance.GetProperty("name").GetString());
        Assert.Equal("ACTIVE", instance.GetProperty("status").GetString());
        var created = read.GetProperty("created");
        var backupId = created.GetProperty("id").GetString();
        Assert.Equal("nightly", created.GetProperty("name").GetString());
        Assert.Equal("NEW", created.GetProperty("status").GetString());
        Assert.Equal(instanceId, created.GetProperty("instance_id").GetString());
        Assert.Equal("from troveclient", created.GetProperty("description").GetString());
        Assert.Equal(backupId, read.GetProperty("shown").GetProperty("id").GetString());
        Assert.Equal("COMPLETED", read.GetProperty("shown").GetProperty("status").GetString());
        Assert.Equal(backupId, Assert.Single(read.GetProperty("listed").EnumerateArray()).GetString());
        Assert.Equal(backupId, Assert.Single(read.GetProperty("of_instance").EnumerateArray()).GetString());
        Assert.Empty(read.GetProperty("after_delete").EnumerateArray());
    }

    [Fact]
    public async Task OpenStackCli_ListsCreatesShowsAndDeletesBackups_WithTheIdentityEndpoint()
    {
        var user = await app.NewUser();
        var instanceId = await user.Account.CreateInstanceAsync();
        var environment = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = $"{app.Url}/v3",
            ["OS_IDENTITY_API_VERSION"] = "3",
            ["OS_USERNAME"] = user.Name,
            ["OS_PASSWORD"] = user.Password,
            ["OS_PROJECT_ID"] = user.ProjectId,
            ["OS_USER_DOMAIN_ID"] = "default",
            ["OS_REGION_NAME"] = "RegionOne",
        };

        await BackupCommandsAsync([], environment, instanceId);
    }

    [Fact]
    public async Task OpenStackCli_ListsCreatesShowsAndDeletesBackups_WithAStaticToken()
    {
        var user = await app.NewUser();
        var instanceId = await user.Account.CreateInstanceAsync();
        string[] token = ["--os-token", user.Account.Token, "--os-endpoint", $"{app.Url}/v1.0/{user.ProjectId}"];

        await BackupCommandsAsync(token, new Dictionary<string, string>(), instanceId);
    }

    [Fact]
    public async Task OpenStackCli_ReportsTheServicesFault_WhenTheStaticTokenIsUnknown()
    {
        var user = await app.NewUser();

        var endpoint = $"{app.Url}/v1.0/{user.ProjectId}";
        var run = await ClientProcess.RunAsync(OpenStack,
            ["--os-token", "not-a-token", "--os-endpoint", endpoint, "database", "backup", "list"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("give a valid X-Auth-Token. (HTTP 401)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TroveCli_ListsInstancesAndCreatesShowsAndDeletesBackups_ThroughTheIdentityEndpoint()
    {
        var user = await app.NewUser();
        var instanceId = await user.Account.CreateInstanceAsync("legacy-db");
        var environment = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = $"{app.Url}/v2.0",
            ["OS_USERNAME"] = user.Name,
            ["OS_PASSWORD"] = user.Password,
            ["OS_TENANT_ID"] = user.ProjectId,
        };

        var instances = (await ClientProcess.RunAsync(Trove, ["list"], environment)).Succeeded();
        var created = (await ClientProcess.RunAsync(Trove, ["backup-create", instanceId, "legacy"], environment))
            .Succeeded();
        var backupId = TableValue(created.Output, "id");
        var shown = await WaitForCompletedAsync(
            () => ClientProcess.RunAsync(Trove, ["backup-show", backupId], environment),
            run => TableValue(run.Output, "status"));
        var listed = (await ClientProcess.RunAsync(Trove, ["backup-list"], environment)).Succeeded();
        var ofInstance = (await ClientProcess.RunAsync(Trove, ["backup-list-instance", instanceId], environment))
            .Succeeded();
        (await ClientProcess.RunAsync(Trove, ["backup-delete", backupId], environment)).Succeeded();
        var afterDelete = (await ClientProcess.RunAsync(Trove, ["backup-list"], environment)).Succeeded();

        Assert.Contains(instanceId, instances.Output, StringComparison.Ordinal);
        Assert.Contains("legacy-db", instances.Output, StringComparison.Ordinal);
        Assert.Equal("legacy", TableValue(created.Output, "name"));
        Assert.Equal(instanceId, TableValue(created.Output, "instance_id"));
        Assert.Equal("COMPLETED", TableValue(shown.Output, "status"));
        Assert.Contains(backupId, listed.Output, StringComparison.Ordinal);
        Assert.Contains(backupId, ofInstance.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(backupId, afterDelete.Output, StringComparison.Ordinal);
    }

    private static async Task BackupCommandsAsync(
        string[] auth,
        Dictionary<string, string> environment,
        string instanceId)
    {
        Task<ClientProcess> Database(params string[] command) =>
            ClientProcess.RunAsync(OpenStack, [.. auth, "database", "backup", .. command], environment);

        var empty = (await Database("list", "-f", "json")).Succeeded();
        var created = (await Database("create", "-i", instanceId, "cli-backup", "-f", "json")).Succeeded();
        using var createdBody = JsonDocument.Parse(created.Output);
        var backupId = createdBody.RootElement.GetProperty("id").GetString()!;
        var shown = await WaitForCompletedAsync(
            () => Database("show", backupId, "-f", "json"),
            run => JsonDocument.Parse(run.Output).RootElement.GetProperty("status").GetString()!);
        var listed = (await Database("list", "-f", "json")).Succeeded();
        var deleted = (await Database("delete", backupId)).Succeeded();
        var afterDelete = (await Database("list", "-f", "json")).Succeeded();

        Assert.Equal("[]", empty.Output.Trim());
        Assert.Equal("cli-backup", createdBody.RootElement.GetProperty("name").GetString());
        Assert.Equal("NEW", createdBody.RootElement.GetProperty("status").GetString());
        Assert.Equal(instanceId, createdBody.RootElement.GetProperty("instance_id").GetString());
        using var shownBody = JsonDocument.Parse(shown.Output);
        Assert.Equal(backupId, shownBody.RootElement.GetProperty("id").GetString());
        var location = shownBody.RootElement.GetProperty("locationRef").GetString();
        Assert.StartsWith("file://", location, StringComparison.Ordinal);
        using var listedBody = JsonDocument.Parse(listed.Output);
        var row = Assert.Single(listedBody.RootElement.EnumerateArray());
        Assert.Equal(backupId, row.GetProperty("ID").GetString());
        Assert.Equal("COMPLETED", row.GetProperty("Status").GetString());
        Assert.Contains($"Request to delete database backup {backupId} has been accepted.", deleted.Output,
            StringComparison.Ordinal);
        Assert.Equal("[]", afterDelete.Output.Trim());
    }

    /// <summary>A backup runs in the service's background; a client shows it again until it has ended.</summary>
    private static async Task<ClientProcess> WaitForCompletedAsync(
        Func<Task<ClientProcess>> show,
        Func<ClientProcess, string> status)
    {
        for (var attempt = 0; ; attempt++)
        {
            var run = (await show()).Succeeded();
            if (status(run) == "COMPLETED" || attempt == 20)
            {
                return run;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>A value from the legacy CLI's two-column table, which prints text as Python bytes (b'...').</summary>
    private static string TableValue(string table, string property)
    {
        var row = table.Split('\n')
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .First(cells => cells.Length > 2 && cells[1] == property);
        var value = row[2];
        return value.StartsWith("b'", StringComparison.Ordinal) ? value[2..^1] : value;
    }
}
