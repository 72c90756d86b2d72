using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Schedules.Backups;
using Schedules.Data;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Backups;

/// <summary>
/// Retention as the runner triggers it when a scheduled backup ends. Scheduled backups are started here through the
/// service's own factory and runner, as the scheduler starts them.
/// </summary>
public abstract class BackupRetentionTests(SchedulesApp app)
{
    [Fact]
    public async Task Retention2_KeepsTheTwoNewestFullChains_AndExpiresTheOldestWithItsIncrementals()
    {
        var (account, instanceId, scheduleId) = await ScheduleAsync(retention: 2);
        var manual = (await account.BackUpAsync(instanceId, "manual")).GetProperty("id").GetString()!;
        var full1 = await RunAsync(account, instanceId, scheduleId);
        var daily1 = await RunAsync(account, instanceId, scheduleId, full1);
        var daily1b = await RunAsync(account, instanceId, scheduleId, daily1);
        var full2 = await RunAsync(account, instanceId, scheduleId);
        var daily2 = await RunAsync(account, instanceId, scheduleId, full2);

        await AssertPresentAsync(account, manual, full1, daily1, daily1b, full2, daily2);
        var full3 = await RunAsync(account, instanceId, scheduleId);

        await AssertGoneAsync(account, full1, daily1, daily1b);
        await AssertPresentAsync(account, manual, full2, daily2, full3);
    }

    [Fact]
    public async Task Retention3_KeepsThreeFullChains()
    {
        var (account, instanceId, scheduleId) = await ScheduleAsync(retention: 3);
        var full1 = await RunAsync(account, instanceId, scheduleId);
        var daily1 = await RunAsync(account, instanceId, scheduleId, full1);
        var full2 = await RunAsync(account, instanceId, scheduleId);
        var full3 = await RunAsync(account, instanceId, scheduleId);

        await AssertPresentAsync(account, full1, daily1, full2, full3);
        var full4 = await RunAsync(account, instanceId, scheduleId);
        await AssertGoneAsync(account, full1, daily1);
        await AssertPresentAsync(account, full2, full3, full4);

        var full5 = await RunAsync(account, instanceId, scheduleId);
        await AssertGoneAsync(account, full2);
        await AssertPresentAsync(account, full3, full4, full5);
    }

    [Fact]
    public async Task Retention_KeepsTheLastGoodBackups_WhileTheSchedulesBackupsFail()
    {
        var (account, instanceId, scheduleId) = await ScheduleAsync(retention: 2);
        var full1 = await RunAsync(account, instanceId, scheduleId);
        var full2 = await RunAsync(account, instanceId, scheduleId);
        app.Executor.Fail(instanceId, "The instance's volume is full.");
        var failed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            failed.Add(await RunAsync(account, instanceId, scheduleId));
        }

        app.Executor.Succeed(instanceId);

        Assert.All(failed, id => Assert.Equal("FAILED", Status(account, id)));
        await AssertPresentAsync(account, full1, full2);
        var full3 = await RunAsync(account, instanceId, scheduleId);
        await AssertGoneAsync(account, full1);
        await AssertPresentAsync(account, full2, full3);
    }

    [Fact]
    public async Task Retention_IsPaused_WhenTheSchedulesLatestBackupFailed()
    {
        var (account, instanceId, scheduleId) = await ScheduleAsync(retention: 2);
        var full1 = await RunAsync(account, instanceId, scheduleId);
        var full2 = await RunAsync(account, instanceId, scheduleId);
        var full3 = await SeedCompletedFullAsync(account, instanceId, scheduleId);
        app.Executor.Fail(instanceId, "Lost connection to MySQL server.");
        var failed = await RunAsync(account, instanceId, scheduleId, full3);
        app.Executor.Succeed(instanceId);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
            var completed = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == Guid.Parse(full3));
            var retention = scope.ServiceProvider.GetServices<IBackupFinishedHandler>()
                .OfType<BackupRetention>()
                .Single();
            await retention.OnFinishedAsync(completed, CancellationToken.None);
        }

        Assert.Equal("FAILED", Status(account, failed));
        await AssertPresentAsync(account, full1, full2, full3);
        Assert.Contains(app.Logs.Lines, line => line.Contains($"Retention of schedule {scheduleId} is paused",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_KeepsEveryBackup_OfADeletedSchedule()
    {
        var (account, instanceId, scheduleId) = await ScheduleAsync(retention: 2);
        var full1 = await RunAsync(account, instanceId, scheduleId);
        var full2 = await RunAsync(account, instanceId, scheduleId);
        using (var deleted = await account.DeleteAsync($"schedules/{scheduleId}"))
        {
            await deleted.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        var full3 = await RunAsync(account, instanceId, scheduleId);

        await AssertPresentAsync(account, full1, full2, full3);
    }

    private async Task<(Account Account, string InstanceId, string ScheduleId)> ScheduleAsync(int retention)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        using var response = await account.PostAsync("schedules", $$"""
            {"schedule": {"action": "backup", "day_of_week": 0, "hour": 14, "minute": 30,
                          "instance_id": "{{instanceId}}", "full_backup_retention": {{retention}} } }
            """);
        var schedule = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("schedule");
        return (account, instanceId, schedule.GetProperty("id").GetString()!);
    }

    private Task<string> RunAsync(Account account, string instanceId, string scheduleId, string? parentId = null) =>
        app.RunScheduledBackupAsync(account, instanceId, scheduleId, parentId);

    /// <summary>A completed full backup of the schedule put straight into the database, unseen by retention.</summary>
    private async Task<string> SeedCompletedFullAsync(Account account, string instanceId, string scheduleId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == Guid.Parse(instanceId));
        var backup = scope.ServiceProvider.GetRequiredService<BackupFactory>()
            .Create(instance, "weekly", null, null, Guid.Parse(scheduleId));
        backup.Status = BackupStatus.Completed;
        backup.LeaseOwner = null;
        backup.LeaseExpires = null;
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
        Assert.Equal(account.Id, backup.AccountId);
        return backup.Id.ToString();
    }

    private string Status(Account account, string backupId)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        return db.Backups.AsNoTracking()
            .Where(b => b.AccountId == account.Id && b.Id == Guid.Parse(backupId))
            .Select(b => b.Status)
            .Single();
    }

    private static async Task AssertPresentAsync(Account account, params string[] backupIds)
    {
        foreach (var id in backupIds)
        {
            Assert.Equal("COMPLETED", (await account.ShowBackupAsync(id)).GetProperty("status").GetString());
        }
    }

    private static async Task AssertGoneAsync(Account account, params string[] backupIds)
    {
        foreach (var id in backupIds)
        {
            using var response = await account.GetAsync($"backups/{id}");
            await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        }
    }
}

[Collection(OnSqlite.Name)]
public sealed class BackupRetentionOnSqlite(SqliteApp app) : BackupRetentionTests(app);

[Collection(OnPostgres.Name)]
public sealed class BackupRetentionOnPostgres(PostgresApp app) : BackupRetentionTests(app);
