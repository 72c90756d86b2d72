using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Schedules.Identity;
using Schedules.Instances;
using Schedules.Schedules;

namespace Schedules.Data;

/// <summary>
/// The service's store. Each provider has its own subclass so that each keeps its own migrations:
/// <c>dotnet ef migrations add Name --project src/Schedules.Api --context SqliteSchedulesDbContext
/// --output-dir Data/Migrations/Sqlite</c>, and the same with <c>PostgresSchedulesDbContext</c> and
/// <c>Data/Migrations/Postgres</c>.
/// </summary>
internal abstract class SchedulesDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Instance> Instances => Set<Instance>();

    public DbSet<Schedule> Schedules => Set<Schedule>();

    public DbSet<AuthToken> Tokens => Set<AuthToken>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back unspecified and Npgsql wants UTC for timestamptz: every time here is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(255);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Instance>(instance =>
        {
            instance.HasKey(i => i.Seq);
            instance.HasIndex(i => i.Id).IsUnique();
            instance.HasAlternateKey(i => new { i.AccountId, i.Id });
            instance.Property(i => i.AccountId).HasMaxLength(64);
            instance.Property(i => i.DatastoreType).HasMaxLength(32);
            instance.Property(i => i.DatastoreVersion).HasMaxLength(32);
        });

        modelBuilder.Entity<Schedule>(schedule =>
        {
            schedule.HasKey(s => s.Seq);
            schedule.HasIndex(s => s.Id).IsUnique();
            schedule.HasIndex(s => new { s.AccountId, s.Seq });

            // One schedule per instance, whatever the code above it does under concurrency.
            schedule.HasIndex(s => s.InstanceId).IsUnique();

            // A schedule belongs to the account of its instance: the key includes the account.
            schedule.HasOne<Instance>()
                .WithMany()
                .HasForeignKey(s => new { s.AccountId, s.InstanceId })
                .HasPrincipalKey(i => new { i.AccountId, i.Id })
                .OnDelete(DeleteBehavior.Cascade);

            schedule.Property(s => s.AccountId).HasMaxLength(64);
            schedule.Property(s => s.Action).HasMaxLength(32);
            schedule.Property(s => s.CopyTo).HasMaxLength(2048);
            schedule.ToTable(t =>
            {
                t.HasCheckConstraint("ck_schedules_day_of_week", "day_of_week BETWEEN 0 AND 7");
                t.HasCheckConstraint("ck_schedules_hour", "hour BETWEEN 0 AND 23");
                t.HasCheckConstraint("ck_schedules_minute", "minute BETWEEN 0 AND 59");
                t.HasCheckConstraint("ck_schedules_full_backup_retention", "full_backup_retention >= 2");
            });
        });

        modelBuilder.Entity<AuthToken>(token =>
        {
            token.HasKey(t => t.Hash);
            token.Property(t => t.Hash).HasMaxLength(64);
            token.Property(t => t.ProjectId).HasMaxLength(64);
            token.HasIndex(t => t.ExpiresAt);
        });
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

internal sealed class SqliteSchedulesDbContext(DbContextOptions<SqliteSchedulesDbContext> options)
    : SchedulesDbContext(options);

internal sealed class PostgresSchedulesDbContext(DbContextOptions<PostgresSchedulesDbContext> options)
    : SchedulesDbContext(options);
