using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Schedules.Backups;
using Schedules.Data;
using Schedules.Schedules;
using Schedules.Scheduling;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Scheduling;

/// <summary>Reads and drives a host's scheduler state directly, the way a Quartz firing would.</summary>
internal static class SchedulerHarness
{
    public static DateTime Utc(string text) => DateTime.ParseExact(
        text, "s", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static void SetClock(this SchedulesApp app, string utc) =>
        app.Time.SetUtcNow(new DateTimeOffset(Utc(utc), TimeSpan.Zero));

    public static async Task<SlotOutcome> ProcessAsync(this SchedulesApp app, string scheduleId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SlotProcessor>()
            .ProcessAsync(Guid.Parse(scheduleId), CancellationToken.None);
    }

    public static async Task<List<Backup>> BackupsAsync(this SchedulesApp app, string scheduleId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var id = Guid.Parse(scheduleId);
        return await db.Backups.AsNoTracking().Where(b => b.ScheduleId == id).OrderBy(b => b.Seq).ToListAsync();
    }

    public static async Task<List<ScheduleRun>> RunsAsync(this SchedulesApp app, string scheduleId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var id = Guid.Parse(scheduleId);
        return await db.ScheduleRuns
            .AsNoTracking()
            .Where(r => r.ScheduleId == id)
            .OrderBy(r => r.SlotTime)
            .ToListAsync();
    }

    public static async Task<Schedule> ScheduleAsync(this SchedulesApp app, string scheduleId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var id = Guid.Parse(scheduleId);
        return await db.Schedules.AsNoTracking().FirstAsync(s => s.Id == id);
    }

    /// <summary>Waits until every backup of the schedule has ended and returns them, oldest first.</summary>
    public static Task<List<Backup>> SettledBackupsAsync(this SchedulesApp app, string scheduleId, int count) =>
        Eventually.GetAsync(
            () => app.BackupsAsync(scheduleId),
            backups => backups.Count >= count && backups.All(b => !b.IsRunning),
            $"{count} finished backups of schedule {scheduleId}");

    /// <summary>Puts a backup of the instance in BUILDING, as if another process were taking it.</summary>
    public static async Task<Guid> StartForeignBackupAsync(this SchedulesApp app, string accountId, string instanceId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var id = Guid.Parse(instanceId);
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == id && i.AccountId == accountId);
        var backup = scope.ServiceProvider.GetRequiredService<BackupFactory>().Create(instance, "manual", null, null);
        backup.Status = BackupStatus.Building;
        backup.LeaseExpires = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.Backups.Add(backup);
        await db.SaveChangesAsync();
        return backup.Id;
    }

    public static async Task FinishForeignBackupAsync(this SchedulesApp app, Guid backupId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        await db.Backups.Where(b => b.Id == backupId)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.Status, BackupStatus.Completed));
    }

    public static async Task<Backup> BackupAsync(this SchedulesApp app, Guid backupId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        return await db.Backups.AsNoTracking().FirstAsync(b => b.Id == backupId);
    }

    public static async Task FailBackupAsync(this SchedulesApp app, Guid backupId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        await db.Backups.Where(b => b.Id == backupId)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.Status, BackupStatus.Failed));
    }

    public static async Task ExpireLeaseAsync(this SchedulesApp app, Guid backupId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var past = app.Time.GetUtcNow().UtcDateTime.AddMinutes(-1);
        await db.Backups.Where(b => b.Id == backupId)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.LeaseExpires, past));
    }

    public static Task<int> SweepLeasesAsync(this SchedulesApp app) =>
        app.Services.GetRequiredService<BackupLeaseSweeper>().SweepAsync(CancellationToken.None);
}
