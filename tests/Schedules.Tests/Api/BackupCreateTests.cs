using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Schedules.Data;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class BackupCreateTests(SchedulesApp app)
{
    [Fact]
    public async Task Create_AnswersTheBackupInTheContractsShape_AndTheBackupCompletes()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync("backups", $$"""
            {"backup": {"name": "Snapshot", "instance": "{{instanceId}}", "description": "My Backup"} }
            """);

        var backup = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("backup");
        string[] fields =
        [
            "id", "name", "description", "instance_id", "locationRef", "created", "updated", "size", "status",
            "parent_id", "datastore", "is_automated", "type", "flavor_ram", "volume_size", "source",
        ];
        Assert.Equal(fields, backup.EnumerateObject().Select(p => p.Name));
        var id = backup.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", id);
        Assert.Equal("Snapshot", backup.GetProperty("name").GetString());
        Assert.Equal("My Backup", backup.GetProperty("description").GetString());
        Assert.Equal(instanceId, backup.GetProperty("instance_id").GetString());
        Assert.Equal(JsonValueKind.Null, backup.GetProperty("locationRef").ValueKind);
        Assert.Equal(JsonValueKind.Null, backup.GetProperty("size").ValueKind);
        Assert.Equal(JsonValueKind.Null, backup.GetProperty("parent_id").ValueKind);
        Assert.Equal("NEW", backup.GetProperty("status").GetString());
        Assert.Equal("2014-10-30T12:30:00", backup.GetProperty("created").GetString());
        Assert.Equal("2014-10-30T12:30:00", backup.GetProperty("updated").GetString());
        Assert.Equal(0, backup.GetProperty("is_automated").GetInt32());
        Assert.Equal("InnoBackupEx", backup.GetProperty("type").GetString());
        Assert.Equal(512, backup.GetProperty("flavor_ram").GetInt32());
        Assert.Equal(2, backup.GetProperty("volume_size").GetInt32());
        var datastore = backup.GetProperty("datastore");
        Assert.Equal("mysql", datastore.GetProperty("type").GetString());
        Assert.Equal("5.6", datastore.GetProperty("version").GetString());
        Assert.True(Guid.TryParse(datastore.GetProperty("version_id").GetString(), out _));
        Assert.Equal("instance", backup.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal(instanceId, backup.GetProperty("source").GetProperty("id").GetString());

        var completed = await account.WaitForBackupAsync(id);
        Assert.Equal("COMPLETED", completed.GetProperty("status").GetString());
        Assert.StartsWith("file://", completed.GetProperty("locationRef").GetString(), StringComparison.Ordinal);
        Assert.True(completed.GetProperty("size").GetDouble() > 0);
        Assert.Equal(datastore.ToString(), completed.GetProperty("datastore").ToString());
    }

    [Fact]
    public async Task Create_StoresTheObjectWhereLocationRefPoints_WithTheRecordedSize()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        var backup = await account.BackUpAsync(instanceId);

        var id = backup.GetProperty("id").GetString()!;
        var path = new Uri(backup.GetProperty("locationRef").GetString()!).LocalPath;
        Assert.Equal(app.Storage.Files.ObjectPath(account.Id, $"{id}.xbstream.gz"), path);
        Assert.EndsWith($"/{account.Id}/z_CLOUDDB_BACKUPS/{id}.xbstream.gz", path, StringComparison.Ordinal);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var stored = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == Guid.Parse(id));
        Assert.Equal(new FileInfo(path).Length, stored.SizeBytes);
        Assert.Equal(stored.SizeBytes / (1024d * 1024 * 1024), backup.GetProperty("size").GetDouble());
    }

    [Fact]
    public async Task Create_TakesInstanceIdAndNullsAsAbsent_AsTheRackspaceClientSendsThem()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.PostAsync("backups", $$"""
            {"backup": {"name": "plain", "instance_id": "{{instanceId}}", "description": null,
                        "parent_id": null, "incremental": null} }
            """);

        var backup = (await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("backup");
        Assert.Equal(instanceId, backup.GetProperty("instance_id").GetString());
        Assert.Equal(JsonValueKind.Null, backup.GetProperty("description").ValueKind);
        Assert.Equal("InnoBackupEx", backup.GetProperty("type").GetString());
        await account.WaitForBackupAsync(backup.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Create_WithParentId_TakesAnIncrementalOnThatBackup()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var full = (await account.BackUpAsync(instanceId)).GetProperty("id").GetString()!;
        await account.BackUpAsync(instanceId);

        var incremental = await account.BackUpAsync(instanceId, "daily", $"\"parent_id\": \"{full}\"");

        Assert.Equal("COMPLETED", incremental.GetProperty("status").GetString());
        Assert.Equal(full, incremental.GetProperty("parent_id").GetString());
        Assert.Equal("InnoBackupExIncremental", incremental.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Create_WithIncremental1_BuildsOnTheLatestCompletedBackup_OrTakesAFullWhenThereIsNone()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        var first = await account.BackUpAsync(instanceId, "first", "\"incremental\": 1");
        var second = await account.BackUpAsync(instanceId, "second", "\"incremental\": 1");
        var third = await account.BackUpAsync(instanceId, "third", "\"incremental\": 1");
        var full = await account.BackUpAsync(instanceId, "full", "\"incremental\": 0");

        Assert.Equal("InnoBackupEx", first.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("parent_id").ValueKind);
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("parent_id").GetString());
        Assert.Equal("InnoBackupExIncremental", second.GetProperty("type").GetString());
        Assert.Equal(second.GetProperty("id").GetString(), third.GetProperty("parent_id").GetString());
        Assert.Equal(JsonValueKind.Null, full.GetProperty("parent_id").ValueKind);
    }

    [Theory]
    [InlineData("""{"backup": {"instance": "{i}"} }""", "'name'")]
    [InlineData("""{"backup": {"name": "", "instance": "{i}"} }""", "'name'")]
    [InlineData("""{"backup": {"name": 7, "instance": "{i}"} }""", "'name'")]
    [InlineData("""{"backup": {"name": "{65}", "instance": "{i}"} }""", "'name'")]
    [InlineData("""{"backup": {"name": "a"} }""", "'instance'")]
    [InlineData("""{"backup": {"name": "a", "instance": "not-an-id"} }""", "'instance'")]
    [InlineData("""{"backup": {"name": "a", "instance": 12}}""", "'instance'")]
    [InlineData("""{"backup": {"name": "a", "instance": "{i}", "instance_id": "{o}"} }""", "'instance_id'")]
    [InlineData("""{"backup": {"name": "a", "instance": "{i}", "parent_id": "nope"} }""", "'parent_id'")]
    [InlineData("""{"backup": {"name": "a", "instance": "{i}", "incremental": 2}}""", "'incremental'")]
    [InlineData("""{"backup": {"name": "a", "instance": "{i}", "incremental": "yes"} }""", "'incremental'")]
    [InlineData("""{"backup": {"name": "a", "instance": "{i}", "description": []}}""", "'description'")]
    [InlineData("""{"name": "a", "instance": "{i}"}""", "'backup'")]
    public async Task Create_AnswersBadRequestNamingTheField_AndTakesNoBackup(string body, string field)
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var json = body.Replace("{i}", instanceId, StringComparison.Ordinal)
            .Replace("{o}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{65}", new string('n', 65), StringComparison.Ordinal);

        using var response = await account.PostAsync("backups", json);

        var message = await response.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains(field, message, StringComparison.Ordinal);
        using var list = await account.GetAsync("backups");
        Assert.Empty((await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("backups").EnumerateArray());
    }

    [Fact]
    public async Task Create_AnswersNotFound_ForAnUnknownInstanceOrParent_AndAnotherAccounts()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        var foreignInstance = await stranger.CreateInstanceAsync();
        var foreignBackup = (await stranger.BackUpAsync(foreignInstance)).GetProperty("id").GetString()!;
        var unknown = Guid.NewGuid().ToString();

        using var unknownInstance = await account.PostAsync("backups", $$"""
            {"backup": {"name": "a", "instance": "{{unknown}}"} }
            """);
        using var strangersInstance = await account.PostAsync("backups", $$"""
            {"backup": {"name": "a", "instance": "{{foreignInstance}}"} }
            """);
        using var unknownParent = await account.PostAsync("backups", $$"""
            {"backup": {"name": "a", "instance": "{{instanceId}}", "parent_id": "{{unknown}}"} }
            """);
        using var strangersParent = await account.PostAsync("backups", $$"""
            {"backup": {"name": "a", "instance": "{{instanceId}}", "parent_id": "{{foreignBackup}}"} }
            """);

        Assert.Contains(unknown, await unknownInstance.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound"),
            StringComparison.Ordinal);
        await strangersInstance.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        Assert.Equal($"Backup {unknown} could not be found.",
            await unknownParent.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound"));
        await strangersParent.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
        using var list = await account.GetAsync("backups");
        Assert.Empty((await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("backups").EnumerateArray());
    }

    [Fact]
    public async Task Create_RefusesAParent_OfAnotherInstance_OrNotCompleted()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync("one");
        var otherId = await account.CreateInstanceAsync("two");
        var otherBackup = (await account.BackUpAsync(otherId)).GetProperty("id").GetString()!;
        app.Executor.Fail(instanceId, "The disk is full.");
        var failed = await account.BackUpAsync(instanceId);
        app.Executor.Succeed(instanceId);
        var failedId = failed.GetProperty("id").GetString()!;

        using var ofOther = await account.PostAsync("backups", $$"""
            {"backup": {"name": "a", "instance": "{{instanceId}}", "parent_id": "{{otherBackup}}"} }
            """);
        using var onFailed = await account.PostAsync("backups", $$"""
            {"backup": {"name": "a", "instance": "{{instanceId}}", "parent_id": "{{failedId}}"} }
            """);

        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        var message = await ofOther.ReadFaultAsync(HttpStatusCode.BadRequest, "badRequest");
        Assert.Contains("'parent_id'", message, StringComparison.Ordinal);
        Assert.Contains(otherId, message, StringComparison.Ordinal);
        Assert.Equal(
            $"Backup {failedId} cannot be the parent of an incremental backup because it is not COMPLETED "
                + "(status was FAILED).",
            await onFailed.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity"));
    }

    [Fact]
    public async Task Create_FailedBackup_ShowsFailedWithNothingStored_AndFreesTheInstance()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        app.Executor.Fail(instanceId, "mysqld is not running.");

        var failed = await account.BackUpAsync(instanceId);
        app.Executor.Succeed(instanceId);
        var next = await account.BackUpAsync(instanceId);

        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("locationRef").ValueKind);
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("size").ValueKind);
        var path = app.Storage.Files.ObjectPath(account.Id, $"{failed.GetProperty("id").GetString()}.xbstream.gz");
        Assert.False(File.Exists(path));
        Assert.Equal("COMPLETED", next.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, next.GetProperty("parent_id").ValueKind);
    }

    [Fact]
    public async Task Create_AnswersUnprocessable_WhileABackupOfTheInstanceRuns()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        using var hold = app.Executor.Hold(instanceId);
        var running = await account.CreateBackupAsync(instanceId);

        using var second = await account.PostAsync("backups", $$"""
            {"backup": {"name": "again", "instance": "{{instanceId}}"} }
            """);

        Assert.Equal(
            $"Instance {instanceId} is not currently available for an action to be performed (status was BACKUP).",
            await second.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity"));
        hold.Release();
        await account.WaitForBackupAsync(running.GetProperty("id").GetString()!);
        await account.BackUpAsync(instanceId);
    }

    [Fact]
    public async Task Create_AcceptsExactlyOne_Of100SimultaneousRequestsForAnInstance()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        using var hold = app.Executor.Hold(instanceId);
        var body = $$"""{"backup": {"name": "race", "instance": "{{instanceId}}"} }""";

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => account.PostAsync("backups", body)));

        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
            var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Accepted).ToList();
            Assert.Equal(99, refused.Count);
            foreach (var response in refused)
            {
                Assert.Equal(
                    $"Instance {instanceId} is not currently available for an action to be performed "
                        + "(status was BACKUP).",
                    await response.ReadFaultAsync(HttpStatusCode.UnprocessableEntity, "unprocessableEntity"));
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        hold.Release();
        using var list = await account.GetAsync("backups");
        var backups = (await list.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("backups");
        var backup = Assert.Single(backups.EnumerateArray());
        var done = await account.WaitForBackupAsync(backup.GetProperty("id").GetString()!);
        Assert.Equal("COMPLETED", done.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Create_AnswersOverLimit_WhenTheBackupQuotaIsReached()
    {
        await using var small = await app.StartVariantAsync(
            new Dictionary<string, string?> { ["Quotas:Backups"] = "2" });
        var account = await small.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();
        await account.BackUpAsync(instanceId, "one");
        await account.BackUpAsync(instanceId, "two");

        using var response = await account.PostAsync("backups", $$"""
            {"backup": {"name": "three", "instance": "{{instanceId}}"} }
            """);

        var message = await response.ReadFaultAsync(HttpStatusCode.RequestEntityTooLarge, "overLimit");
        Assert.Equal("Quota exceeded for resources: ['backups'].", message);
    }
}

[Collection(OnSqlite.Name)]
public sealed class BackupCreateOnSqlite(SqliteApp app) : BackupCreateTests(app);

[Collection(OnPostgres.Name)]
public sealed class BackupCreateOnPostgres(PostgresApp app) : BackupCreateTests(app);
