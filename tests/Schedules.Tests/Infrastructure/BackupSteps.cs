using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Schedules.Backups;
using Schedules.Data;

namespace Schedules.Tests.Infrastructure;

/// <summary>Steps that backup tests take again and again: take one, wait for its end, seed a scheduled one.</summary>
public static class BackupSteps
{
    /// <summary>How long a backup may take in a test before the test gives up on it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly string[] Ended = ["COMPLETED", "FAILED", "DELETE_FAILED"];

    /// <summary>Asks for a backup; <paramref name="more"/> adds fields, e.g. <c>"incremental": 1</c>.</summary>
    public static async Task<JsonElement> CreateBackupAsync(
        this Account account,
        string instanceId,
        string name = "nightly",
        string more = "")
    {
        var extra = more.Length > 0 ? ", " + more : "";
        using var response = await account.PostAsync("backups", $$"""
            {"backup": {"name": "{{name}}", "instance": "{{instanceId}}"{{extra}} } }
            """);
        return (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("backup");
    }

    public static async Task<JsonElement> ShowBackupAsync(this Account account, string backupId)
    {
        using var response = await account.GetAsync($"backups/{backupId}");
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("backup");
    }

    /// <summary>Polls the backup till it ends (COMPLETED, FAILED, DELETE_FAILED), for <see cref="Patience"/>.</summary>
    public static async Task<JsonElement> WaitForBackupAsync(this Account account, string backupId)
    {
        // Polls start quick and slow down, to stay well inside the tenant's rate limit of GET requests.
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var backup = await account.ShowBackupAsync(backupId);
            if (Ended.Contains(backup.GetProperty("status").GetString()))
            {
                return backup;
            }

            Assert.True(clock.Elapsed < Patience, $"Backup {backupId} is still {backup.GetProperty("status")}.");
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(250).Ticks));
        }
    }

    /// <summary>Takes a backup and waits for it to end; returns it as shown then.</summary>
    public static async Task<JsonElement> BackUpAsync(
        this Account account,
        string instanceId,
        string name = "nightly",
        string more = "")
    {
        var backup = await account.CreateBackupAsync(instanceId, name, more);
        return await account.WaitForBackupAsync(backup.GetProperty("id").GetString()!);
    }

    /// <summary>
    /// Starts a backup as a schedule does (automated, with the schedule's id) through the service's own factory and
    /// runner, and waits for it to end and for what its end sets off, such as retention; returns its id.
    /// </summary>
    public static async Task<string> RunScheduledBackupAsync(
        this SchedulesApp app,
        Account account,
        string instanceId,
        string scheduleId,
        string? parentId = null)
    {
        Guid backupId;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
            var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == Guid.Parse(instanceId));
            var parent = parentId is null
                ? null
                : await db.Backups.AsNoTracking().FirstAsync(b => b.Id == Guid.Parse(parentId));
            var backup = app.Services.GetRequiredService<BackupFactory>()
                .Create(instance, parent is null ? "weekly" : "daily", null, parent, Guid.Parse(scheduleId));
            db.Backups.Add(backup);
            await db.SaveChangesAsync();
            backupId = backup.Id;
        }

        app.Services.GetRequiredService<BackupRunner>().Enqueue(backupId);
        await app.Endings.HandledAsync(backupId);
        await account.WaitForBackupAsync(backupId.ToString());
        return backupId.ToString();
    }
}
