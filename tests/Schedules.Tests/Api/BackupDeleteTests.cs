using System.Net;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class BackupDeleteTests(SchedulesApp app)
{
    [Fact]
    public async Task Delete_RemovesTheBackupAndEveryIncrementalOnIt_WithTheirObjects()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var full = await BackUpAsync(account, instanceId);
        var daily = await BackUpAsync(account, instanceId, full);
        var nextDaily = await BackUpAsync(account, instanceId, daily);
        var sibling = await BackUpAsync(account, instanceId, full);
        var otherFull = await BackUpAsync(account, instanceId);
        var onOther = await BackUpAsync(account, instanceId, otherFull);

        using var response = await account.DeleteAsync($"backups/{full}");

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        foreach (var id in new[] { full, daily, nextDaily, sibling })
        {
            using var shown = await account.GetAsync($"backups/{id}");
            await shown.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
            Assert.False(File.Exists(ObjectPath(account, id)), id);
        }

        foreach (var id in new[] { otherFull, onOther })
        {
            Assert.Equal("COMPLETED", (await account.ShowBackupAsync(id)).GetProperty("status").GetString());
            Assert.True(File.Exists(ObjectPath(account, id)), id);
        }
    }

    [Fact]
    public async Task Delete_OfAnIncremental_KeepsWhatItBuildsOn()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var full = await BackUpAsync(account, instanceId);
        var daily = await BackUpAsync(account, instanceId, full);

        using var response = await account.DeleteAsync($"backups/{daily}");

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        Assert.Equal("COMPLETED", (await account.ShowBackupAsync(full)).GetProperty("status").GetString());
        Assert.True(File.Exists(ObjectPath(account, full)));
        Assert.False(File.Exists(ObjectPath(account, daily)));
    }

    [Fact]
    public async Task Delete_RemovesAFailedBackup()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        app.Executor.Fail(instanceId, "No space left on device.");
        var failed = (await account.BackUpAsync(instanceId)).GetProperty("id").GetString()!;

        using var response = await account.DeleteAsync($"backups/{failed}");
        using var shown = await account.GetAsync($"backups/{failed}");

        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        await shown.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
    }

    [Fact]
    public async Task Delete_AnswersUnprocessable_ForARunningBackup()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        using var hold = app.Executor.Hold(instanceId);
        var running = (await account.CreateBackupAsync(instanceId)).GetProperty("id").GetString()!;

        using var response = await account.DeleteAsync($"backups/{running}");

        Assert.Equal($"Backup {running} cannot be deleted because it is running.",
            await response.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity"));
        hold.Release();
        Assert.Equal("COMPLETED", (await account.WaitForBackupAsync(running)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_AnswersUnprocessable_AndKeepsTheChain_WhenAnIncrementalOnItIsRunning()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var full = await BackUpAsync(account, instanceId);
        var daily = await BackUpAsync(account, instanceId, full);
        using var hold = app.Executor.Hold(instanceId);
        var running = (await account.CreateBackupAsync(instanceId, "next", $"\"parent_id\": \"{daily}\""))
            .GetProperty("id").GetString()!;

        using var response = await account.DeleteAsync($"backups/{full}");

        Assert.Equal($"Backup {running} cannot be deleted because it is running.",
            await response.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity"));
        hold.Release();
        Assert.Equal("COMPLETED", (await account.WaitForBackupAsync(running)).GetProperty("status").GetString());
        foreach (var id in new[] { full, daily })
        {
            Assert.Equal("COMPLETED", (await account.ShowBackupAsync(id)).GetProperty("status").GetString());
            Assert.True(File.Exists(ObjectPath(account, id)), id);
        }
    }

    [Fact]
    public async Task Delete_LeavesTheChainDeleteFailed_WhenObjectsCannotBeRemoved_AndDeletingAgainRetries()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var full = await BackUpAsync(account, instanceId);
        var daily = await BackUpAsync(account, instanceId, full);
        app.Storage.FailDeletes(account.Id);

        using (var failing = await account.DeleteAsync($"backups/{full}"))
        {
            await failing.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        var fullAfterFailure = await account.ShowBackupAsync(full);
        var dailyAfterFailure = await account.ShowBackupAsync(daily);
        using (var refused = await account.PostAsync("backups", $$"""
            {"backup": {"name": "on it", "instance": "{{instanceId}}", "parent_id": "{{daily}}"} }
            """))
        {
            await refused.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity");
        }

        app.Storage.AllowDeletes(account.Id);
        using var retried = await account.DeleteAsync($"backups/{full}");

        Assert.Equal("DELETE_FAILED", fullAfterFailure.GetProperty("status").GetString());
        Assert.Equal("DELETE_FAILED", dailyAfterFailure.GetProperty("status").GetString());
        await retried.ReadEmptyAsync(HttpStatusCode.Accepted);
        foreach (var id in new[] { full, daily })
        {
            using var shown = await account.GetAsync($"backups/{id}");
            await shown.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
            Assert.False(File.Exists(ObjectPath(account, id)), id);
        }
    }

    [Fact]
    public async Task Delete_AnswersNotFound_ForUnknownIdsAndOtherAccounts()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var foreign = await BackUpAsync(stranger, await stranger.CreateInstanceAsync());

        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-an-id", foreign })
        {
            using var response = await account.DeleteAsync($"backups/{id}");
            Assert.Equal($"Backup {id} could not be found.",
                await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound"));
        }

        Assert.Equal("COMPLETED", (await stranger.ShowBackupAsync(foreign)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DeletingTheScheduleOrTheInstance_KeepsTheBackups()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var scheduleId = (await account.CreateScheduleAsync(instanceId)).GetProperty("id").GetString()!;
        var automated = await app.RunScheduledBackupAsync(account, instanceId, scheduleId);
        var manual = await BackUpAsync(account, instanceId);

        using (var schedule = await account.DeleteAsync($"schedules/{scheduleId}"))
        {
            await schedule.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        using (var instance = await account.DeleteAsync($"instances/{instanceId}"))
        {
            await instance.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        foreach (var id in new[] { automated, manual })
        {
            var backup = await account.ShowBackupAsync(id);
            Assert.Equal("COMPLETED", backup.GetProperty("status").GetString());
            Assert.Equal(instanceId, backup.GetProperty("instance_id").GetString());
            Assert.True(File.Exists(ObjectPath(account, id)), id);
        }

        Assert.Equal(1, (await account.ShowBackupAsync(automated)).GetProperty("is_automated").GetInt32());
    }

    private static async Task<string> BackUpAsync(Account account, string instanceId, string? parentId = null)
    {
        var backup = await account.BackUpAsync(
            instanceId, parentId is null ? "full" : "daily", parentId is null ? "" : $"\"parent_id\": \"{parentId}\"");
        Assert.Equal("COMPLETED", backup.GetProperty("status").GetString());
        return backup.GetProperty("id").GetString()!;
    }

    private string ObjectPath(Account account, string backupId) =>
        app.Storage.Files.ObjectPath(account.Id, $"{backupId}.xbstream.gz");
}

[Collection(OnSqlite.Name)]
public sealed class BackupDeleteOnSqlite(SqliteApp app) : BackupDeleteTests(app);

[Collection(OnPostgres.Name)]
public sealed class BackupDeleteOnPostgres(PostgresApp app) : BackupDeleteTests(app);
