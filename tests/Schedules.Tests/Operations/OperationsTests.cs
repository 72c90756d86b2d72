using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Operations;

/// <summary><c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>, which answer without a token.</summary>
public abstract class OperationsTests(SchedulesApp app)
{
    [Fact]
    public async Task Healthz_AnswersOk_WithoutAToken()
    {
        using var http = app.CreateClient();

        using var response = await http.GetAsync("/healthz");

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ok", Assert.Single(body.EnumerateObject()).Value.GetString());
    }

    [Fact]
    public async Task Readyz_NamesEachCheck_WhenDatabaseSchedulerAndStorageAreUsable()
    {
        using var http = app.CreateClient();

        using var response = await http.GetAsync("/readyz");

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks");
        Assert.Equal("ok", checks.GetProperty("database").GetString());
        Assert.Equal("ok", checks.GetProperty("scheduler").GetString());
        Assert.Equal("ok", checks.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Readyz_Answers503InTheFaultFormat_WhenTheStorageRootCannotBeWritten()
    {
        var notAFolder = Path.Combine(Path.GetTempPath(), "schedules-tests", $"file-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(notAFolder)!);
        await File.WriteAllTextAsync(notAFolder, "a file where the storage root should be");
        await using var host = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["Storage:Root"] = notAFolder,
            ["Scheduler:Enabled"] = "false",
        });
        using var http = host.CreateClient();

        using var response = await http.GetAsync("/readyz");

        var message = await response.ReadFaultAsync(HttpStatusCode.ServiceUnavailable, "serviceUnavailable");
        Assert.Equal("The service is not ready (storage: the storage root is not writable).", message);
        File.Delete(notAFolder);
    }

    [Fact]
    public async Task Metrics_ShowTheScheduledBackupAndHowLateItsSlotStarted_AfterAScheduledRun()
    {
        await using var host = await app.StartVariantAsync(new Dictionary<string, string?>());
        var account = await host.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        // Thursday 2014-10-30 12:30: a full backup every Thursday at 12:31; the clock passes it by 29 seconds.
        var id = (await account.CreateScheduleAsync(instanceId, dayOfWeek: 4, hour: 12, minute: 31))
            .GetProperty("id").GetString()!;
        host.Time.Advance(TimeSpan.FromSeconds(89));
        await Eventually.GetAsync(
            () => account.ShowScheduleAsync(id),
            s => s.GetProperty("last_scheduled").ValueKind == JsonValueKind.String
                && !s.GetProperty("running").GetBoolean(),
            "the 12:31 slot to run");
        await host.Endings.HandledAsync(Guid.Parse(await OnlyBackupIdAsync(account, instanceId)));
        using var http = host.CreateClient();

        var metrics = await Eventually.GetAsync(
            () => http.GetStringAsync("/metrics"),
            text => Sample(text, "schedules_backups_completed_total", "full") >= 1,
            "the completed backup to be exported");

        Assert.True(Sample(metrics, "schedules_backups_started_total", "full") >= 1, metrics);
        Assert.True(Sample(metrics, "schedules_slot_lateness_seconds_count", "full") >= 1, metrics);
        Assert.True(Sample(metrics, "schedules_slot_lateness_seconds_sum", "full") >= 29, metrics);
        Assert.True(Sample(metrics, "schedules_backup_duration_seconds_count", "full") >= 1, metrics);
        Assert.True(Sample(metrics, "schedules_backup_size_bytes_count", "full") >= 1, metrics);
        Assert.Contains("http_server_request_duration_seconds_count{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountAFailedBackupByKind()
    {
        await using var host = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
        });
        var account = await host.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        host.Executor.Fail(instanceId, "the instance's disk is full");

        using var created = await account.PostAsync("backups", $$"""
            {"backup": {"name": "doomed", "instance": "{{instanceId}}"} }
            """);
        var backupId = (await created.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("backup")
            .GetProperty("id").GetString()!;
        await host.Endings.HandledAsync(Guid.Parse(backupId));
        using var http = host.CreateClient();

        var metrics = await Eventually.GetAsync(
            () => http.GetStringAsync("/metrics"),
            text => Sample(text, "schedules_backups_failed_total", "full") >= 1,
            "the failed backup to be exported");

        Assert.True(Sample(metrics, "schedules_backups_started_total", "full") >= 1, metrics);
    }

    private static async Task<string> OnlyBackupIdAsync(Account account, string instanceId)
    {
        using var response = await account.GetAsync($"instances/{instanceId}/backups");
        var backups = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("backups");
        return Assert.Single(backups.EnumerateArray()).GetProperty("id").GetString()!;
    }

    /// <summary>The value of a Prometheus sample with the given kind label, or -1 when there is none.</summary>
    private static double Sample(string metrics, string name, string kind)
    {
        var match = Regex.Match(metrics, $@"^{name}\{{[^}}]*kind=""{kind}""[^}}]*\}} (\S+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }
}

[Collection(OnSqlite.Name)]
public sealed class OperationsOnSqlite(SqliteApp app) : OperationsTests(app);

[Collection(OnPostgres.Name)]
public sealed class OperationsOnPostgres(PostgresApp app) : OperationsTests(app);
