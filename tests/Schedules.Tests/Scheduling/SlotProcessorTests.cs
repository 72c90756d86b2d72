using System.Net;
using Schedules.Backups;
using Schedules.Schedules;
using Schedules.Scheduling;
using Schedules.Tests.Infrastructure;
using static Schedules.Tests.Scheduling.SchedulerHarness;

namespace Schedules.Tests.Scheduling;

/// <summary>
/// The scheduling rules, driven slot by slot on a fake clock through the same processor a Quartz firing calls.
/// Quartz itself is off in these hosts, so each test decides exactly when slots are handled.
/// </summary>
public abstract class SlotProcessorTests(SchedulesApp app)
{
    private static readonly string[] WeekOfSlots =
    [
        "2014-11-02T14:30:00", "2014-11-03T14:30:00", "2014-11-04T14:30:00", "2014-11-05T14:30:00",
        "2014-11-06T14:30:00", "2014-11-07T14:30:00", "2014-11-08T14:30:00",
    ];

    [Fact]
    public async Task OneWeek_GivesOneFullAndSixIncrementals_EachOnThePreviousBackup()
    {
        await using var host = await StartAsync();
        var (_, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);

        await RunSlotsAsync(host, scheduleId, WeekOfSlots);

        var backups = await host.SettledBackupsAsync(scheduleId, 7);
        Assert.Equal(7, backups.Count);
        Assert.Null(backups[0].ParentId);
        Assert.Equal(Backup.FullType, backups[0].Type);
        for (var i = 1; i < 7; i++)
        {
            Assert.Equal(backups[i - 1].Id, backups[i].ParentId);
            Assert.Equal(Backup.IncrementalType, backups[i].Type);
        }

        Assert.All(backups, b => Assert.True(b.IsAutomated));
        Assert.All(backups, b => Assert.Equal(BackupStatus.Completed, b.Status));
        var runs = await host.RunsAsync(scheduleId);
        Assert.Equal(WeekOfSlots.Select(Utc), runs.Select(r => r.SlotTime));
        Assert.All(runs, r => Assert.Equal(RunOutcome.Started, r.Outcome));
        Assert.Equal(backups.Select(b => (Guid?)b.Id), runs.Select(r => r.BackupId));
        var schedule = await host.ScheduleAsync(scheduleId);
        Assert.Equal(Utc("2014-11-08T14:30:00"), schedule.LastScheduled);
        Assert.Equal(Utc("2014-11-09T14:30:00"), schedule.NextRun);
        Assert.False(schedule.Running);
    }

    [Fact]
    public async Task DayOfWeekSeven_GivesAFullEveryDay()
    {
        await using var host = await StartAsync();
        var (_, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 7, retention: 10);
        string[] days =
        [
            "2014-10-30T14:30:00", "2014-10-31T14:30:00", "2014-11-01T14:30:00", "2014-11-02T14:30:00",
            "2014-11-03T14:30:00", "2014-11-04T14:30:00", "2014-11-05T14:30:00",
        ];

        await RunSlotsAsync(host, scheduleId, days);

        var backups = await host.SettledBackupsAsync(scheduleId, 7);
        Assert.Equal(7, backups.Count);
        Assert.All(backups, b => Assert.Null(b.ParentId));
        Assert.All(backups, b => Assert.Equal(Backup.FullType, b.Type));
    }

    [Fact]
    public async Task BeforeTheFirstFull_IncrementalSlotsDoNotCount()
    {
        await using var host = await StartAsync();
        var (_, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);

        host.SetClock("2014-10-30T14:30:05");
        var thursday = await host.ProcessAsync(scheduleId);
        host.SetClock("2014-11-01T14:30:05");
        var saturday = await host.ProcessAsync(scheduleId);

        Assert.Equal(SlotOutcome.NotDue, thursday);
        Assert.Equal(SlotOutcome.NotDue, saturday);
        Assert.Empty(await host.BackupsAsync(scheduleId));
        Assert.Empty(await host.RunsAsync(scheduleId));
    }

    [Fact]
    public async Task Update_MovesTheNextSlot_AndStartsNothing()
    {
        await using var host = await StartAsync();
        var (account, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        await RunSlotsAsync(host, scheduleId, WeekOfSlots[..2]);
        await host.SettledBackupsAsync(scheduleId, 2);
        host.SetClock("2014-11-03T20:00:00");

        using var response = await account.PutAsync(
            $"schedules/{scheduleId}", """{"schedule": {"hour": 6, "minute": 0}}""");
        await response.ReadEmptyAsync(HttpStatusCode.Accepted);
        var outcome = await host.ProcessAsync(scheduleId);

        Assert.Equal(SlotOutcome.NotDue, outcome);
        Assert.Equal(2, (await host.BackupsAsync(scheduleId)).Count);
        var nextRun = (await account.ShowScheduleAsync(scheduleId)).GetProperty("next_run").GetString();
        Assert.Equal("2014-11-04T06:00:00", nextRun);
    }

    [Fact]
    public async Task RunningTheSameSlotAgain_StartsNothingMore()
    {
        await using var host = await StartAsync();
        var (_, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        host.SetClock("2014-11-02T14:30:01");

        var first = await host.ProcessAsync(scheduleId);
        var again = await host.ProcessAsync(scheduleId);

        Assert.Equal(SlotOutcome.Started, first);
        Assert.Equal(SlotOutcome.NotDue, again);
        Assert.Single(await host.SettledBackupsAsync(scheduleId, 1));
    }

    [Fact]
    public async Task AnOutageOverAFullSlot_TakesTheFullOnce_AndRecordsOlderSlotsAsMissed()
    {
        await using var host = await StartAsync();
        var (_, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        await RunSlotsAsync(host, scheduleId, WeekOfSlots[..6]);
        await host.SettledBackupsAsync(scheduleId, 6);

        // Down from Friday 15:00 to Sunday 16:00: Saturday's slot is 25.5 hours old, Sunday's full 1.5 hours.
        host.SetClock("2014-11-09T16:00:00");
        var outcome = await host.ProcessAsync(scheduleId);

        Assert.Equal(SlotOutcome.Started, outcome);
        var backups = await host.SettledBackupsAsync(scheduleId, 7);
        Assert.Equal(7, backups.Count);
        Assert.Null(backups[^1].ParentId);
        var runs = await host.RunsAsync(scheduleId);
        var saturday = Assert.Single(runs, r => r.SlotTime == Utc("2014-11-08T14:30:00"));
        Assert.Equal(RunOutcome.Missed, saturday.Outcome);
        Assert.Null(saturday.BackupId);
        Assert.Contains("not running", saturday.Reason, StringComparison.Ordinal);
        var sunday = Assert.Single(runs, r => r.SlotTime == Utc("2014-11-09T14:30:00"));
        Assert.Equal(RunOutcome.Started, sunday.Outcome);
        Assert.Equal("full", sunday.Kind);
        Assert.Equal(Utc("2014-11-10T14:30:00"), (await host.ScheduleAsync(scheduleId)).NextRun);
    }

    [Fact]
    public async Task AnOutageOverIncrementals_CoalescesThemIntoOne()
    {
        await using var host = await StartAsync(new() { ["Scheduler:CatchUpWindow"] = "2.00:00:00" });
        var (_, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        await RunSlotsAsync(host, scheduleId, WeekOfSlots[..2]);
        var before = await host.SettledBackupsAsync(scheduleId, 2);

        // Down from Monday 15:00 to Wednesday 15:00: Tuesday's and Wednesday's incrementals are due.
        host.SetClock("2014-11-05T15:00:00");
        var outcome = await host.ProcessAsync(scheduleId);

        Assert.Equal(SlotOutcome.Started, outcome);
        var backups = await host.SettledBackupsAsync(scheduleId, 3);
        Assert.Equal(3, backups.Count);
        Assert.Equal(before[1].Id, backups[2].ParentId);
        var runs = await host.RunsAsync(scheduleId);
        Assert.Equal(
            [RunOutcome.Started, RunOutcome.Started, RunOutcome.Coalesced, RunOutcome.Started],
            runs.Select(r => r.Outcome));
        Assert.Equal(backups[2].Id, runs[2].BackupId);
        Assert.Equal(backups[2].Id, runs[3].BackupId);
    }

    [Fact]
    public async Task ASlotThatFindsABackupRunning_WaitsForIt_AndThenStarts()
    {
        await using var host = await StartAsync();
        var (account, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        var instanceId = (await account.ShowScheduleAsync(scheduleId)).GetProperty("instance_id").GetString()!;
        var foreign = await host.StartForeignBackupAsync(account.Id, instanceId);
        host.SetClock("2014-11-02T14:30:01");

        var waiting = await host.ProcessAsync(scheduleId);
        await host.FinishForeignBackupAsync(foreign);
        host.SetClock("2014-11-02T15:10:00");
        var started = await host.ProcessAsync(scheduleId);

        Assert.Equal(SlotOutcome.Busy, waiting);
        Assert.Equal(SlotOutcome.Started, started);
        var run = Assert.Single(await host.RunsAsync(scheduleId));
        Assert.Equal(Utc("2014-11-02T14:30:00"), run.SlotTime);
        Assert.Equal(RunOutcome.Started, run.Outcome);
        Assert.Single(await host.SettledBackupsAsync(scheduleId, 1));
    }

    [Fact]
    public async Task ASlotStillWaitingAtTheNextSlot_IsSkippedWithTheReason()
    {
        await using var host = await StartAsync();
        var (account, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        await RunSlotsAsync(host, scheduleId, WeekOfSlots[..1]);
        await host.SettledBackupsAsync(scheduleId, 1);
        var instanceId = (await account.ShowScheduleAsync(scheduleId)).GetProperty("instance_id").GetString()!;
        var foreign = await host.StartForeignBackupAsync(account.Id, instanceId);

        host.SetClock("2014-11-03T14:30:01");
        var monday = await host.ProcessAsync(scheduleId);
        host.SetClock("2014-11-04T14:30:01");
        var tuesday = await host.ProcessAsync(scheduleId);
        await host.FinishForeignBackupAsync(foreign);
        var afterwards = await host.ProcessAsync(scheduleId);

        Assert.Equal(SlotOutcome.Busy, monday);
        Assert.Equal(SlotOutcome.Busy, tuesday);
        Assert.Equal(SlotOutcome.Started, afterwards);
        var runs = await host.RunsAsync(scheduleId);
        var skipped = Assert.Single(runs, r => r.SlotTime == Utc("2014-11-03T14:30:00"));
        Assert.Equal(RunOutcome.Skipped, skipped.Outcome);
        Assert.Contains("still running", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Started, Assert.Single(runs, r => r.SlotTime == Utc("2014-11-04T14:30:00")).Outcome);
        var backups = await host.SettledBackupsAsync(scheduleId, 2);
        Assert.Equal(backups[0].Id, backups[1].ParentId);
    }

    [Fact]
    public async Task AnIncrementalWithoutACompletedFull_IsTakenAsAFull()
    {
        await using var host = await StartAsync();
        var (_, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        await RunSlotsAsync(host, scheduleId, WeekOfSlots[..1]);
        var full = Assert.Single(await host.SettledBackupsAsync(scheduleId, 1));
        await host.FailBackupAsync(full.Id);

        await RunSlotsAsync(host, scheduleId, WeekOfSlots[1..2]);

        var backups = await host.SettledBackupsAsync(scheduleId, 2);
        Assert.Null(backups[1].ParentId);
        Assert.Equal(Backup.FullType, backups[1].Type);
    }

    [Fact]
    public async Task TwoNodesHandlingTheSameSlots_StartExactlyOneBackupPerSlot()
    {
        await using var first = await StartAsync();
        await using var second = await first.StartVariantAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Schedules"] = first.ConnectionString,
            ["Scheduler:Enabled"] = "false",
        });
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await NewScheduleAsync(first, dayOfWeek: 0)).ScheduleId);
        }

        foreach (var slot in WeekOfSlots[..4])
        {
            first.SetClock(slot);
            first.Time.Advance(TimeSpan.FromSeconds(1));
            second.Time.SetUtcNow(first.Time.GetUtcNow());
            var outcomes = await Task.WhenAll(
                ids.SelectMany(id => new[] { first.ProcessAsync(id), second.ProcessAsync(id) }));
            Assert.Equal(ids.Count, outcomes.Count(o => o == SlotOutcome.Started));
            foreach (var id in ids)
            {
                await first.SettledBackupsAsync(id, Array.IndexOf(WeekOfSlots, slot) + 1);
            }
        }

        foreach (var id in ids)
        {
            var runs = await first.RunsAsync(id);
            Assert.Equal(WeekOfSlots[..4].Select(Utc), runs.Select(r => r.SlotTime));
            Assert.Equal(4, (await first.BackupsAsync(id)).Count);
        }
    }

    [Fact]
    public async Task RunsList_ShowsEverySlotNewestFirst_WithPaging()
    {
        await using var host = await StartAsync();
        var (account, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        await RunSlotsAsync(host, scheduleId, WeekOfSlots[..3]);
        var backups = await host.SettledBackupsAsync(scheduleId, 3);

        using var first = await account.GetAsync($"schedules/{scheduleId}/runs?limit=2");
        var firstBody = await first.ReadJsonAsync(HttpStatusCode.OK);
        var next = new Uri(firstBody.GetProperty("links")[0].GetProperty("href").GetString()!).PathAndQuery;
        using var second = await account.Http.GetAsync(next);
        var secondBody = await second.ReadJsonAsync(HttpStatusCode.OK);
        using var stranger = await (await host.NewAccountAsync()).GetAsync($"schedules/{scheduleId}/runs");

        var runs = firstBody.GetProperty("runs").EnumerateArray()
            .Concat(secondBody.GetProperty("runs").EnumerateArray())
            .ToList();
        Assert.Equal(
            ["2014-11-04T14:30:00", "2014-11-03T14:30:00", "2014-11-02T14:30:00"],
            runs.Select(r => r.GetProperty("slot").GetString()));
        Assert.Equal(["incremental", "incremental", "full"], runs.Select(r => r.GetProperty("kind").GetString()));
        Assert.All(runs, r => Assert.Equal("started", r.GetProperty("outcome").GetString()));
        Assert.Equal(
            backups.Select(b => b.Id.ToString()).Reverse(),
            runs.Select(r => r.GetProperty("backup_id").GetString()));
        Assert.False(secondBody.TryGetProperty("links", out _));
        await stranger.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
    }

    [Fact]
    public async Task ABackupWhoseProcessDied_IsFailedWhenItsLeaseRunsOut()
    {
        await using var host = await StartAsync();
        var (account, scheduleId) = await NewScheduleAsync(host, dayOfWeek: 0);
        var instanceId = (await account.ShowScheduleAsync(scheduleId)).GetProperty("instance_id").GetString()!;
        var stuck = await host.StartForeignBackupAsync(account.Id, instanceId);
        await host.ExpireLeaseAsync(stuck);

        var failed = await host.SweepLeasesAsync();

        Assert.Equal(1, failed);
        var backup = await host.BackupAsync(stuck);
        Assert.Equal(BackupStatus.Failed, backup.Status);
        Assert.Contains("lease", backup.Reason, StringComparison.Ordinal);
        host.SetClock("2014-11-02T14:30:01");
        Assert.Equal(SlotOutcome.Started, await host.ProcessAsync(scheduleId));
    }

    private Task<SchedulesApp> StartAsync(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Scheduler:Enabled"] = "false";
        return app.StartVariantAsync(settings);
    }

    private static async Task<(Account Account, string ScheduleId)> NewScheduleAsync(
        SchedulesApp host, int dayOfWeek, int retention = 2)
    {
        var account = await host.NewAccountAsync();
        var schedule = await account.CreateScheduleAsync(
            await account.CreateInstanceAsync(), dayOfWeek, retention: retention);
        return (account, schedule.GetProperty("id").GetString()!);
    }

    /// <summary>Handles each slot a second after it comes, once the previous slot's backup has finished.</summary>
    private static async Task RunSlotsAsync(SchedulesApp host, string scheduleId, IEnumerable<string> slots)
    {
        foreach (var slot in slots)
        {
            await Eventually.GetAsync(
                () => host.BackupsAsync(scheduleId), backups => backups.All(b => !b.IsRunning), "the previous backup");
            host.SetClock(slot);
            host.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(SlotOutcome.Started, await host.ProcessAsync(scheduleId));
        }
    }
}

[Collection(OnSqlite.Name)]
public sealed class SlotProcessorOnSqlite(SqliteApp app) : SlotProcessorTests(app);

[Collection(OnPostgres.Name)]
public sealed class SlotProcessorOnPostgres(PostgresApp app) : SlotProcessorTests(app);
