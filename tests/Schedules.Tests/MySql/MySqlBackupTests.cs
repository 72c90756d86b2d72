using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Schedules.Backups;
using Schedules.Data;
using Schedules.Scheduling;
using Schedules.Tests.Infrastructure;
using Schedules.Tests.Scheduling;

namespace Schedules.Tests.MySql;

/// <summary>Real backups of a MariaDB instance with binary logging on, and restore checks of their chains.</summary>
public abstract class MySqlBackupTests(SchedulesApp app)
{
    private static readonly MariaDbServer Source = MariaDbServer.Instance;

    [Fact]
    public async Task Chain_OfAFullAndTwoIncrementals_RestoresTheDataExactly()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await CreateInstanceAsync(account, MariaDbServer.InstanceProfile);
        var database = NewDatabaseName();
        try
        {
            await Source.QueryAsync($"""
                CREATE DATABASE {database};
                CREATE TABLE {database}.orders (id INT PRIMARY KEY, item VARCHAR(40), price DECIMAL(10,2),
                    payload BLOB) ENGINE=InnoDB;
                CREATE TABLE {database}.notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT) ENGINE=InnoDB;
                INSERT INTO {database}.orders VALUES (1, 'tea', 3.50, x'00ff10'), (2, 'cake', 4.25, NULL);
                INSERT INTO {database}.notes (body) VALUES ('first'), ('second');
                """);

            var full = await account.BackUpAsync(instanceId, "full");
            Assert.Equal("COMPLETED", full.GetProperty("status").GetString());
            Assert.Equal("InnoBackupEx", full.GetProperty("type").GetString());
            var fullId = full.GetProperty("id").GetString()!;

            await Source.QueryAsync($"""
                INSERT INTO {database}.orders VALUES (3, 'scone', 2.75, x'cafe');
                UPDATE {database}.orders SET price = 3.75 WHERE id = 1;
                DELETE FROM {database}.notes WHERE body = 'first';
                """);
            var first = await account.BackUpAsync(instanceId, "first", $"\"parent_id\": \"{fullId}\"");
            Assert.Equal("COMPLETED", first.GetProperty("status").GetString());
            Assert.Equal("InnoBackupExIncremental", first.GetProperty("type").GetString());
            Assert.Equal(fullId, first.GetProperty("parent_id").GetString());
            var firstId = first.GetProperty("id").GetString()!;

            await Source.QueryAsync($"""
                INSERT INTO {database}.notes (body) VALUES ('third'), ('fourth');
                ALTER TABLE {database}.orders ADD COLUMN note VARCHAR(20) DEFAULT 'none';
                UPDATE {database}.orders SET note = 'late' WHERE id = 2;
                """);
            var second = await account.BackUpAsync(instanceId, "second", "\"incremental\": 1");
            Assert.Equal("COMPLETED", second.GetProperty("status").GetString());
            Assert.Equal(firstId, second.GetProperty("parent_id").GetString());
            var secondId = second.GetProperty("id").GetString()!;

            var expected = await ChecksumsAsync(database);
            var verification = await VerifyAsync(account, secondId);

            Assert.Equal("SUCCEEDED", verification.GetProperty("status").GetString());
            Assert.Equal([fullId, firstId, secondId],
                verification.GetProperty("chain").EnumerateArray().Select(e => e.GetString()));
            var tables = verification.GetProperty("tables").EnumerateArray()
                .Where(t => t.GetProperty("name").GetString()!.StartsWith(database + ".", StringComparison.Ordinal))
                .ToDictionary(
                    t => t.GetProperty("name").GetString()!,
                    t => (t.GetProperty("rows").GetInt64(), t.GetProperty("checksum").GetInt64()));
            Assert.Equal(expected, tables);
            Assert.Equal((3L, expected[$"{database}.orders"].Item2), tables[$"{database}.orders"]);
            Assert.Equal(3L, tables[$"{database}.notes"].Item1);
            Assert.True(verification.GetProperty("duration_seconds").GetDouble() > 0);
            Assert.Empty(await MariaDbServer.Verify.QueryAsync($"SHOW DATABASES LIKE '{database}'"));
        }
        finally
        {
            await Source.QueryAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }

    [Fact]
    public async Task Objects_AreGzippedDumpAndBinlogText_UnderTheBackupsObjectName()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await CreateInstanceAsync(account, MariaDbServer.InstanceProfile);
        var database = NewDatabaseName();
        try
        {
            await Source.QueryAsync($"CREATE DATABASE {database}; CREATE TABLE {database}.t (id INT PRIMARY KEY);");
            var full = await account.BackUpAsync(instanceId, "full");
            await Source.QueryAsync($"INSERT INTO {database}.t VALUES (42);");
            var incremental = await account.BackUpAsync(instanceId, "incremental", "\"incremental\": 1");

            var dump = await ReadObjectAsync(account, full);
            Assert.Contains("-- CHANGE MASTER TO MASTER_LOG_FILE=", dump, StringComparison.Ordinal);
            Assert.Contains($"CREATE DATABASE /*!32312 IF NOT EXISTS*/ `{database}`", dump, StringComparison.Ordinal);
            var binlog = await ReadObjectAsync(account, incremental);
            Assert.Contains("BINLOG '", binlog, StringComparison.Ordinal);
            Assert.Contains($"INSERT INTO {database}.t VALUES (42)", binlog, StringComparison.Ordinal);
            Assert.DoesNotContain(Source.Password, string.Join('\n', app.Logs.Lines), StringComparison.Ordinal);

            using var deleted = await account.DeleteAsync($"backups/{full.GetProperty("id").GetString()}");
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            foreach (var backup in new[] { full, incremental })
            {
                var id = backup.GetProperty("id").GetString()!;
                Assert.False(File.Exists(app.Storage.Files.ObjectPath(account.Id, $"{id}.xbstream.gz")));
                using var shown = await account.GetAsync($"backups/{id}");
                Assert.Equal(HttpStatusCode.NotFound, shown.StatusCode);
            }
        }
        finally
        {
            await Source.QueryAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }

    [Fact]
    public async Task Backup_Fails_WithTheToolsErrorLine_WhenThePasswordIsWrong()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await CreateInstanceAsync(account, MariaDbServer.WrongPasswordProfile);

        var backup = await account.BackUpAsync(instanceId);

        Assert.Equal("FAILED", backup.GetProperty("status").GetString());
        var id = backup.GetProperty("id").GetString()!;
        Assert.Matches("^ERROR 1045 \\(28000\\).*Access denied for user 'root'", await ReasonAsync(id));
        Assert.False(File.Exists(app.Storage.Files.ObjectPath(account.Id, $"{id}.xbstream.gz")));
        using var instance = await account.GetAsync($"instances/{instanceId}");
        var shown = await instance.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ACTIVE", shown.GetProperty("instance").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Backup_Fails_WithTheToolsErrorLine_WhenTheServerCannotBeReached()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await CreateInstanceAsync(account, MariaDbServer.ClosedPortProfile);

        var backup = await account.BackUpAsync(instanceId);

        Assert.Equal("FAILED", backup.GetProperty("status").GetString());
        Assert.Matches("^ERROR 2002 .*Can't connect", await ReasonAsync(backup.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Incremental_Fails_WithAClearReason_WhenTheBinaryLogIsOff()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await CreateInstanceAsync(account, MariaDbServer.VerifyProfile);
        var database = NewDatabaseName();
        try
        {
            await MariaDbServer.Verify.QueryAsync($"CREATE DATABASE {database}; CREATE TABLE {database}.t (id INT);");
            var full = await account.BackUpAsync(instanceId, "full");
            Assert.Equal("COMPLETED", full.GetProperty("status").GetString());

            var incremental = await account.BackUpAsync(instanceId, "incremental", "\"incremental\": 1");

            Assert.Equal("FAILED", incremental.GetProperty("status").GetString());
            Assert.Equal(
                "Binary logging is off on the instance (log_bin is OFF): an incremental backup reads the binary "
                + "log; take a full backup.",
                await ReasonAsync(incremental.GetProperty("id").GetString()!));
        }
        finally
        {
            await MariaDbServer.Verify.QueryAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }

    [Fact]
    public async Task ScheduledIncremental_IsTakenAsAFull_WhenTheChainRecordedNoBinaryLogPosition()
    {
        await using var host = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
        });
        var account = await host.NewAccountAsync();
        var instanceId = await CreateInstanceAsync(account, MariaDbServer.VerifyProfile);
        var scheduleId = (await account.CreateScheduleAsync(instanceId, dayOfWeek: 0)).GetProperty("id").GetString()!;
        var database = NewDatabaseName();
        try
        {
            await MariaDbServer.Verify.QueryAsync($"CREATE DATABASE {database}; CREATE TABLE {database}.t (id INT);");

            // Sunday's slot takes the full, Monday's an incremental, but the full recorded no position to read on from.
            foreach (var slot in new[] { "2014-11-02T14:30:00", "2014-11-03T14:30:00" })
            {
                await Eventually.GetAsync(
                    () => host.BackupsAsync(scheduleId), b => b.All(x => !x.IsRunning), "the previous backup");
                host.SetClock(slot);
                host.Time.Advance(TimeSpan.FromSeconds(1));
                Assert.Equal(SlotOutcome.Started, await host.ProcessAsync(scheduleId));
            }

            var backups = await host.SettledBackupsAsync(scheduleId, 2);
            Assert.All(backups, b => Assert.Equal(BackupStatus.Completed, b.Status));
            Assert.All(backups, b => Assert.Null(b.ParentId));
            Assert.All(backups, b => Assert.Equal(Backup.FullType, b.Type));
            Assert.All(backups, b => Assert.Null(b.BinlogFile));
        }
        finally
        {
            await MariaDbServer.Verify.QueryAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }

    [Fact]
    public async Task CreateInstance_Answers400NamingTheField_ForAnUnknownProfile()
    {
        var account = await app.NewAccountAsync();

        using var response = await account.PostAsync("instances", """
            {"instance": {"name": "orders", "flavorRef": "1", "volume": {"size": 2},
                          "connection_profile": "no-such-profile"} }
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Equal(
            "Invalid 'connection_profile': 'no-such-profile' is not a connection profile of this service.", message);
    }

    [Fact]
    public async Task CreateInstance_ShowsTheProfileName_AndNoPassword()
    {
        var account = await app.NewAccountAsync();

        using var response = await account.PostAsync("instances", $$"""
            {"instance": {"name": "orders", "flavorRef": "1", "volume": {"size": 2},
                          "connection_profile": "{{MariaDbServer.InstanceProfile}}"} }
            """);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        Assert.Equal(MariaDbServer.InstanceProfile,
            body.RootElement.GetProperty("instance").GetProperty("connection_profile").GetString());
        Assert.DoesNotContain(Source.Password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Answers422_ForABackupThatIsNotCompleted()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await CreateInstanceAsync(account, MariaDbServer.WrongPasswordProfile);
        var failed = await account.BackUpAsync(instanceId);
        var id = failed.GetProperty("id").GetString()!;

        using var response = await account.PostAsync($"backups/{id}/action", """{"verify": {}}""");

        var message = await response.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity");
        Assert.Equal($"Backup {id} cannot be verified because it is not COMPLETED (status was FAILED).", message);
    }

    private static string NewDatabaseName() => $"shop_{Guid.NewGuid():N}"[..20];

    private static async Task<string> CreateInstanceAsync(Account account, string profile)
    {
        using var response = await account.PostAsync("instances", $$"""
            {"instance": {"name": "orders", "flavorRef": "1", "volume": {"size": 2},
                          "datastore": {"type": "mariadb", "version": "10.11"},
                          "connection_profile": "{{profile}}"} }
            """);
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        return body.GetProperty("instance").GetProperty("id").GetString()!;
    }

    private async Task<string> ReasonAsync(string backupId)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var id = Guid.Parse(backupId);
        var backup = await db.Backups.AsNoTracking().SingleAsync(b => b.Id == id);
        return backup.Reason!;
    }

    private async Task<string> ReadObjectAsync(Account account, JsonElement backup)
    {
        var id = backup.GetProperty("id").GetString()!;
        await using var file = File.OpenRead(app.Storage.Files.ObjectPath(account.Id, $"{id}.xbstream.gz"));
        await using var gunzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gunzip);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Every table of the database on the instance: its row count and <c>CHECKSUM TABLE</c> value.</summary>
    private static async Task<Dictionary<string, (long, long)>> ChecksumsAsync(string database)
    {
        var tables = await Source.QueryAsync(
            $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{database}' ORDER BY 1");
        var result = new Dictionary<string, (long, long)>();
        foreach (var table in tables.Select(t => t[0]))
        {
            var name = $"{database}.{table}";
            var rows = long.Parse((await Source.QueryAsync($"SELECT COUNT(*) FROM {name}"))[0][0],
                System.Globalization.CultureInfo.InvariantCulture);
            var sum = long.Parse((await Source.QueryAsync($"CHECKSUM TABLE {name}"))[0][1],
                System.Globalization.CultureInfo.InvariantCulture);
            result[name] = (rows, sum);
        }

        return result;
    }

    private static async Task<JsonElement> VerifyAsync(Account account, string backupId)
    {
        using var started = await account.PostAsync($"backups/{backupId}/action", """{"verify": {}}""");
        var run = (await started.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("verification");
        Assert.Equal("RUNNING", run.GetProperty("status").GetString());
        Assert.Equal(backupId, run.GetProperty("backup_id").GetString());
        var runId = run.GetProperty("id").GetString();

        return await Eventually.GetAsync(
            async () =>
            {
                using var response = await account.GetAsync($"backups/{backupId}/verifications");
                var list = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("verifications");
                return list.EnumerateArray().Single(v => v.GetProperty("id").GetString() == runId);
            },
            v => v.GetProperty("status").GetString() != "RUNNING",
            "the restore check to finish",
            seconds: 60);
    }
}

[Collection(MariaDbOnSqlite.Name)]
public sealed class MySqlBackupTestsOnSqlite(SqliteApp app) : MySqlBackupTests(app);

[Collection(MariaDbOnPostgres.Name)]
public sealed class MySqlBackupTestsOnPostgres(PostgresApp app) : MySqlBackupTests(app);
