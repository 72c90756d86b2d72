using System.Net;
using Microsoft.EntityFrameworkCore;
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
        var scheduleId = (await account.CreateScheduleAsync(await account.CreateInstanceAsync())).GetProperty("id").GetString()!;
        var before = await account.ShowScheduleAsync(scheduleId);

        await DatabaseSetup.MigrateAsync(app.Services, CancellationToken.None);

        using var response = await account.GetAsync($"schedules/{scheduleId}");
        Assert.Equal(before.ToString(), (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("schedule").ToString());
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
            Id = Guid.NewGuid(), AccountId = account.Id, InstanceId = instanceId, Created = now, Updated = now, NextRun = now,
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
            Id = Guid.NewGuid(), AccountId = stranger.Id, InstanceId = instanceId, Created = now, Updated = now, NextRun = now,
        });

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DatabaseErrors.IsForeignKeyViolation(refused));
    }
}

[Collection(OnSqlite.Name)]
public sealed class MigrationOnSqlite(SqliteApp app) : MigrationTests(app);

[Collection(OnPostgres.Name)]
public sealed class MigrationOnPostgres(PostgresApp app) : MigrationTests(app);
