using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Schedules.Data;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Data;

public abstract class MigrationTests(SchedulesApp app)
{
    [Fact]
    public async Task Migrations_MatchTheModel_AndLeaveNothingPending()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration holds: add one.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Migrating_AnExistingDatabaseAgain_KeepsItsData()
    {
        var account = await app.NewAccountAsync();
        var scheduleId = (await account.CreateScheduleAsync(await account.CreateInstanceAsync()))
            .GetProperty("id").GetString()!;
        var before = await account.ShowScheduleAsync(scheduleId);

        await DatabaseSetup.MigrateAsync(app.Services, CancellationToken.None);

        using var response = await account.GetAsync($"schedules/{scheduleId}");
        var after = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("schedule");
        Assert.Equal(before.ToString(), after.ToString());
    }

    [Fact]
    public async Task Upgrading_ADatabaseOfTheFirstSchema_KeepsItsSchedules()
    {
        await using var host = await app.StartVariantAsync(new Dictionary<string, string?>
        {
            ["Database:MigrateOnStartup"] = "false",
            ["Scheduler:Enabled"] = "false",
        });
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
            var migrator = db.GetService<IMigrator>();
            var first = db.Database.GetMigrations().First();
            await migrator.MigrateAsync(first);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO instances (id, account_id, name, flavor_ref, volume_size, datastore_type, "
                + "datastore_version, created, updated) "
                + "VALUES ({0}, 'acct', 'old', '1', 2, 'mysql', '5.6', {1}, {1})",
                Guid.Parse("11111111-2222-3333-4444-555555555555"),
                new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO schedules (id, account_id, instance_id, action, day_of_week, hour, minute, "
                + "full_backup_retention, copy_to, created, updated, next_run, running) "
                + "VALUES ({0}, 'acct', {1}, 'backup', 3, 4, 5, 2, 'ORD', {2}, {2}, {2}, {3})",
                Guid.Parse("66666666-7777-8888-9999-000000000000"), Guid.Parse("11111111-2222-3333-4444-555555555555"),
                new DateTime(2014, 1, 1, 4, 5, 0, DateTimeKind.Utc), false);
        }

        await DatabaseSetup.MigrateAsync(host.Services, CancellationToken.None, force: true);

        await using var after = host.Services.CreateAsyncScope();
        var upgraded = after.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync());
        var schedule = await upgraded.Schedules.SingleAsync();
        Assert.Equal((3, 4, 5, "ORD"), (schedule.DayOfWeek, schedule.Hour, schedule.Minute, schedule.CopyTo));
        Assert.Null(schedule.BlockedSlot);
        Assert.Empty(await upgraded.ScheduleRuns.ToListAsync());
    }

    [Fact]
    public async Task Database_RefusesASecondScheduleForAnInstance_WhateverTheCode()
    {
        var account = await app.NewAccountAsync();
        var instanceId = Guid.Parse(await account.CreateInstanceAsync());
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var now = DateTime.UtcNow;
        global::Schedules.Schedules.Schedule NewSchedule() => new()
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            InstanceId = instanceId,
            Created = now,
            Updated = now,
            NextRun = now,
        };

        db.Schedules.Add(NewSchedule());
        await db.SaveChangesAsync();
        db.Schedules.Add(NewSchedule());

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DatabaseErrors.IsUniqueViolation(refused));
    }

    [Fact]
    public async Task Database_RefusesAScheduleInAnotherAccountThanItsInstance()
    {
        var owner = await app.NewAccountAsync();
        var stranger = await app.NewAccountAsync();
        var instanceId = Guid.Parse(await owner.CreateInstanceAsync());
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var now = DateTime.UtcNow;
        db.Schedules.Add(new()
        {
            Id = Guid.NewGuid(),
            AccountId = stranger.Id,
            InstanceId = instanceId,
            Created = now,
            Updated = now,
            NextRun = now,
        });

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DatabaseErrors.IsForeignKeyViolation(refused));
    }
}

[Collection(OnSqlite.Name)]
public sealed class MigrationOnSqlite(SqliteApp app) : MigrationTests(app);

[Collection(OnPostgres.Name)]
public sealed class MigrationOnPostgres(PostgresApp app) : MigrationTests(app);
