using System.Net;
using System.Text.Json;
using Schedules.Backups;
using Schedules.Schedules;
using Schedules.Tests.Infrastructure;
using static Schedules.Tests.Scheduling.SchedulerHarness;

namespace Schedules.Tests.Scheduling;

/// <summary>
/// The hosted Quartz scheduler firing schedules as the fake clock reaches their slots. The clock decides what is
/// due; the tests wait (bounded, in real time) only for the firing thread to catch up with it.
/// </summary>
public abstract class QuartzSchedulingTests(SchedulesApp app)
{
    [Fact]
    public async Task AScheduleForThisWeekdayAMinuteAhead_TakesAFullThen_AndNextRunIsTomorrowsIncremental()
    {
        await using var host = await app.StartVariantAsync(new Dictionary<string, string?>());
        var account = await host.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        // Thursday 2014-10-30 12:30: a full backup every Thursday at 12:31.
        var created = await account.CreateScheduleAsync(instanceId, dayOfWeek: 4, hour: 12, minute: 31);
        var id = created.GetProperty("id").GetString()!;
        host.Time.Advance(TimeSpan.FromSeconds(61));

        var schedule = await Eventually.GetAsync(
            () => account.ShowScheduleAsync(id),
            s => s.GetProperty("last_scheduled").ValueKind == JsonValueKind.String
                && !s.GetProperty("running").GetBoolean(),
            "the 12:31 slot to run");
        var backup = Assert.Single(await host.SettledBackupsAsync(id, 1));

        Assert.Equal("2014-10-30T12:31:00", created.GetProperty("next_run").GetString());
        Assert.Equal("2014-10-30T12:31:00", schedule.GetProperty("last_scheduled").GetString());
        Assert.Equal("2014-10-31T12:31:00", schedule.GetProperty("next_run").GetString());
        Assert.Null(backup.ParentId);
        Assert.Equal(BackupStatus.Completed, backup.Status);
        Assert.True(backup.IsAutomated);
        using var listed = await account.GetAsync($"backups?instance_id={instanceId}");
        var listedBackups = (await listed.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("backups");
        var shown = Assert.Single(listedBackups.EnumerateArray());
        Assert.Equal(backup.Id.ToString(), shown.GetProperty("id").GetString());
        Assert.Equal(1, shown.GetProperty("is_automated").GetInt32());
    }

    [Fact]
    public async Task ARestartMidWeek_ContinuesTheChain()
    {
        await using var before = await app.StartVariantAsync(
            new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
        var account = await before.NewAccountAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync(), dayOfWeek: 0))
            .GetProperty("id").GetString()!;
        foreach (var slot in new[] { "2014-11-02T14:30:01", "2014-11-03T14:30:01", "2014-11-04T14:30:01" })
        {
            before.SetClock(slot);
            await before.ProcessAsync(id);
            await before.SettledBackupsAsync(
                id,
                Array.IndexOf(["2014-11-02T14:30:01", "2014-11-03T14:30:01", "2014-11-04T14:30:01"], slot) + 1);
        }

        // Another process starts on the same database on Wednesday morning, and the clock reaches 14:30.
        await using var after = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Schedules"] = before.ConnectionString,
        });
        after.SetClock("2014-11-05T09:00:00");
        _ = after.Services;
        after.SetClock("2014-11-05T14:30:01");

        var backups = await after.SettledBackupsAsync(id, 4);
        Assert.Equal(4, backups.Count);
        Assert.Equal(backups[2].Id, backups[3].ParentId);
        Assert.Equal(Utc("2014-11-05T14:30:00"), (await after.ScheduleAsync(id)).LastScheduled);
    }

    [Fact]
    public async Task AServiceBackAfterAnOutage_CatchesUpAtOnce()
    {
        await using var before = await app.StartVariantAsync(
            new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
        var account = await before.NewAccountAsync();
        var id = (await account.CreateScheduleAsync(await account.CreateInstanceAsync(), dayOfWeek: 0))
            .GetProperty("id").GetString()!;
        before.SetClock("2014-11-02T14:30:01");
        await before.ProcessAsync(id);
        await before.SettledBackupsAsync(id, 1);

        // Down from Sunday 15:00 until Tuesday 20:00: Monday's slot is past the window, Tuesday's is caught up.
        await using var after = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Schedules"] = before.ConnectionString,
        });
        after.SetClock("2014-11-04T20:00:00");
        _ = after.Services;
        after.Time.Advance(TimeSpan.FromSeconds(1));

        var backups = await after.SettledBackupsAsync(id, 2);
        var runs = await Eventually.GetAsync(() => after.RunsAsync(id), r => r.Count == 3, "three run records");
        Assert.Equal(backups[0].Id, backups[1].ParentId);
        Assert.Equal([RunOutcome.Started, RunOutcome.Missed, RunOutcome.Started], runs.Select(r => r.Outcome));
        Assert.Equal(Utc("2014-11-05T14:30:00"), (await after.ScheduleAsync(id)).NextRun);
    }

    [Fact]
    public async Task DeletingASchedule_StopsItsRuns()
    {
        await using var host = await app.StartVariantAsync(new Dictionary<string, string?>());
        var account = await host.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var id = (await account.CreateScheduleAsync(instanceId, dayOfWeek: 4, hour: 12, minute: 31))
            .GetProperty("id").GetString()!;

        using var deleted = await account.DeleteAsync($"schedules/{id}");
        await deleted.ReadEmptyAsync(HttpStatusCode.Accepted);
        host.Time.Advance(TimeSpan.FromSeconds(61));
        var second = await account.CreateScheduleAsync(instanceId, dayOfWeek: 4, hour: 12, minute: 33);
        host.Time.Advance(TimeSpan.FromMinutes(2));
        await host.SettledBackupsAsync(second.GetProperty("id").GetString()!, 1);

        Assert.Empty(await host.BackupsAsync(id));
    }
}

[Collection(OnSqlite.Name)]
public sealed class QuartzSchedulingOnSqlite(SqliteApp app) : QuartzSchedulingTests(app);

[Collection(OnPostgres.Name)]
public sealed class QuartzSchedulingOnPostgres(PostgresApp app) : QuartzSchedulingTests(app)
{
    [Fact]
    public async Task TwoClusteredNodes_FireEachSlotOfEverySchedule_Once()
    {
        await using var first = await app.StartVariantAsync(new Dictionary<string, string?>());
        await using var second = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Schedules"] = first.ConnectionString,
        });
        _ = first.Services;
        _ = second.Services;
        var account = await first.NewAccountAsync();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var schedule = await account.CreateScheduleAsync(
                await account.CreateInstanceAsync($"db{i}"), dayOfWeek: 7, hour: 12, minute: 31, retention: 10);
            ids.Add(schedule.GetProperty("id").GetString()!);
        }

        for (var day = 0; day < 3; day++)
        {
            var slot = new DateTimeOffset(2014, 10, 30, 12, 31, 1, TimeSpan.Zero).AddDays(day);
            first.Time.SetUtcNow(slot);
            second.Time.SetUtcNow(slot);
            foreach (var id in ids)
            {
                await first.SettledBackupsAsync(id, day + 1);
            }
        }

        foreach (var id in ids)
        {
            var runs = await first.RunsAsync(id);
            Assert.Equal(3, runs.Count);
            Assert.All(runs, r => Assert.Equal(RunOutcome.Started, r.Outcome));
            Assert.Equal(3, (await first.BackupsAsync(id)).Count);
        }
    }
}
