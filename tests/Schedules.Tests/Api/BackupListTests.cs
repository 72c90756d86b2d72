using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Api;

public abstract class BackupListTests(SchedulesApp app)
{
    [Fact]
    public async Task List_ShowsTheAccountsBackupsNewestFirst_WithoutLinks_WhenAllFit()
    {
        var account = await app.NewAccountAsync();
        var ids = await BackUpManyAsync(account, 3);
        var stranger = await app.NewAccountAsync();
        await BackUpManyAsync(stranger, 1);

        using var response = await account.GetAsync("backups");

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Enumerable.Reverse(ids), IdsOf(body));
        Assert.False(body.TryGetProperty("links", out _));
        var shown = await account.ShowBackupAsync(ids[0]);
        Assert.Equal(shown.ToString(), body.GetProperty("backups")[2].ToString());
    }

    [Fact]
    public async Task List_PagesWithAnOffsetMarker_AndLinksToTheNextPageOnlyWhenOneExists()
    {
        var account = await app.NewAccountAsync();
        var newestFirst = Enumerable.Reverse(await BackUpManyAsync(account, 4)).ToArray();

        using var first = await account.GetAsync("backups?limit=3");
        var firstBody = await first.ReadJsonAsync(HttpStatusCode.OK);
        var next = NextHref(firstBody);
        using var second = await account.Http.GetAsync(new Uri(next).PathAndQuery);
        var secondBody = await second.ReadJsonAsync(HttpStatusCode.OK);
        using var exact = await account.GetAsync("backups?limit=2&marker=2");
        var exactBody = await exact.ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(newestFirst[..3], IdsOf(firstBody));
        var query = QueryHelpers.ParseQuery(new Uri(next).Query);
        Assert.Equal("3", query["limit"]);
        Assert.Equal("3", query["marker"]);
        Assert.StartsWith($"http://localhost/v1.0/{account.Id}/backups?", next, StringComparison.Ordinal);
        Assert.Equal(newestFirst[3..], IdsOf(secondBody));
        Assert.False(secondBody.TryGetProperty("links", out _));
        Assert.Equal(newestFirst[2..], IdsOf(exactBody));
        Assert.False(exactBody.TryGetProperty("links", out _));
    }

    [Fact]
    public async Task List_ShowsTwentyByDefault()
    {
        var account = await app.NewAccountAsync();
        await BackUpManyAsync(account, 21);

        using var response = await account.GetAsync("backups");

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(20, IdsOf(body).Length);
        Assert.Equal("20", QueryHelpers.ParseQuery(new Uri(NextHref(body)).Query)["marker"]);
    }

    [Fact]
    public async Task List_FiltersByInstanceAndDatastore()
    {
        var account = await app.NewAccountAsync();
        var mysql = await account.CreateInstanceAsync("mysql");
        using (var created = await account.PostAsync("instances", """
            {"instance": {"name": "maria", "flavorRef": "2", "volume": {"size": 1},
                          "datastore": {"type": "mariadb", "version": "10.11"}}}
            """))
        {
            var mariadb = (await created.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("instance").GetProperty("id")
                .GetString()!;
            await account.BackUpAsync(mariadb);
        }

        var mysqlBackup = (await account.BackUpAsync(mysql)).GetProperty("id").GetString()!;

        async Task<string[]> ListAsync(string query)
        {
            using var response = await account.GetAsync($"backups?{query}");
            return IdsOf(await response.ReadJsonAsync(HttpStatusCode.OK));
        }

        Assert.Equal([mysqlBackup], await ListAsync($"instance_id={mysql}"));
        Assert.Equal([mysqlBackup], await ListAsync("datastore=mysql"));
        Assert.Single(await ListAsync("datastore=mariadb"));
        Assert.Empty(await ListAsync("datastore=percona"));
        Assert.Empty(await ListAsync($"instance_id={Guid.NewGuid()}"));
        Assert.Equal(2, (await ListAsync("")).Length);
    }

    [Theory]
    [InlineData("limit=0", HttpStatusCode.BadRequest, "'limit'")]
    [InlineData("limit=many", HttpStatusCode.BadRequest, "'limit'")]
    [InlineData("marker=-1", HttpStatusCode.BadRequest, "'marker'")]
    [InlineData("marker=2e351a71-dd28-4bcb-a7d6-d36a5b487173", HttpStatusCode.BadRequest, "'marker'")]
    [InlineData("instance_id=42", HttpStatusCode.BadRequest, "'instance_id'")]
    [InlineData("datastore=oracle", HttpStatusCode.NotFound, "Datastore 'oracle' cannot be found.")]
    public async Task List_AnswersAFault_ForBadParameters(string query, HttpStatusCode status, string expected)
    {
        var account = await app.NewAccountAsync();

        using var response = await account.GetAsync($"backups?{query}");

        var name = status == HttpStatusCode.NotFound ? "itemNotFound" : "badRequest";
        Assert.Contains(expected, await response.ReadFaultAsync(status, name), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstanceBackups_ListsOneInstancesBackups_AlsoAfterTheInstanceIsDeleted()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync("one");
        var other = await account.CreateInstanceAsync("two");
        var first = (await account.BackUpAsync(instanceId)).GetProperty("id").GetString()!;
        var second = (await account.BackUpAsync(instanceId)).GetProperty("id").GetString()!;
        await account.BackUpAsync(other);

        using var before = await account.GetAsync($"instances/{instanceId}/backups");
        using (var deleted = await account.DeleteAsync($"instances/{instanceId}"))
        {
            await deleted.ReadEmptyAsync(HttpStatusCode.Accepted);
        }

        using var after = await account.GetAsync($"instances/{instanceId}/backups");
        using var paged = await account.GetAsync($"instances/{instanceId}/backups?limit=1");

        Assert.Equal([second, first], IdsOf(await before.ReadJsonAsync(HttpStatusCode.OK)));
        Assert.Equal([second, first], IdsOf(await after.ReadJsonAsync(HttpStatusCode.OK)));
        var page = await paged.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([second], IdsOf(page));
        Assert.Equal("1", QueryHelpers.ParseQuery(new Uri(NextHref(page)).Query)["marker"]);
    }

    [Fact]
    public async Task InstanceBackups_AnswersNotFound_ForAnUnknownInstance_OrAnotherAccounts()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var foreign = await stranger.CreateInstanceAsync();
        await stranger.BackUpAsync(foreign);

        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-an-id", foreign })
        {
            using var response = await account.GetAsync($"instances/{id}/backups");
            var message = await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound");
            Assert.Contains(id, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task InstanceBackups_AnswersAnEmptyList_ForAnInstanceWithoutBackups()
    {
        var account = await app.NewAccountAsync();
        var instanceId = await account.CreateInstanceAsync();

        using var response = await account.GetAsync($"instances/{instanceId}/backups");

        Assert.Equal("""{"backups":[]}""", (await response.ReadJsonAsync(HttpStatusCode.OK)).GetRawText());
    }

    [Fact]
    public async Task Show_AnswersNotFound_ForUnknownIdsAndOtherAccounts()
    {
        var account = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var foreign = (await stranger.BackUpAsync(await stranger.CreateInstanceAsync())).GetProperty("id").GetString()!;

        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-an-id", foreign })
        {
            using var response = await account.GetAsync($"backups/{id}");
            Assert.Equal($"Backup {id} could not be found.",
                await response.ReadFaultAsync(HttpStatusCode.NotFound, "itemNotFound"));
        }
    }

    /// <summary>Takes backups one after another, alternating two instances; returns their ids, oldest first.</summary>
    private static async Task<string[]> BackUpManyAsync(Account account, int count)
    {
        string[] instances = [await account.CreateInstanceAsync("a"), await account.CreateInstanceAsync("b")];
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var backup = await account.BackUpAsync(instances[i % 2], $"backup {i}");
            Assert.Equal("COMPLETED", backup.GetProperty("status").GetString());
            ids.Add(backup.GetProperty("id").GetString()!);
        }

        return [.. ids];
    }

    private static string[] IdsOf(JsonElement body) =>
        [.. body.GetProperty("backups").EnumerateArray().Select(b => b.GetProperty("id").GetString()!)];

    private static string NextHref(JsonElement body)
    {
        var link = Assert.Single(body.GetProperty("links").EnumerateArray());
        Assert.Equal("next", link.GetProperty("rel").GetString());
        return link.GetProperty("href").GetString()!;
    }
}

[Collection(OnSqlite.Name)]
public sealed class BackupListOnSqlite(SqliteApp app) : BackupListTests(app);

[Collection(OnPostgres.Name)]
public sealed class BackupListOnPostgres(PostgresApp app) : BackupListTests(app);
