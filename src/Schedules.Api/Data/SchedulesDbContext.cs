using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Schedules.Backups;
using Schedules.Backups.Verification;
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

    public DbSet<Backup> Backups => Set<Backup>();

    public DbSet<ScheduleRun> ScheduleRuns => Set<ScheduleRun>();

    public DbSet<BackupVerification> BackupVerifications => Set<BackupVerification>();

    public DbSet<InstanceDatabase> InstanceDatabases => Set<InstanceDatabase>();

    public DbSet<InstanceUser> InstanceUsers => Set<InstanceUser>();

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
            instance.HasAlternateKey(i => i.Id);
            instance.HasAlternateKey(i => new { i.AccountId, i.Id });
            instance.Property(i => i.AccountId).HasMaxLength(64);
            instance.Property(i => i.DatastoreType).HasMaxLength(32);
            instance.Property(i => i.DatastoreVersion).HasMaxLength(32);
            instance.Property(i => i.ConnectionProfile).HasMaxLength(64);
        });

        modelBuilder.Entity<Schedule>(schedule =>
        {
            schedule.HasKey(s => s.Seq);
            schedule.HasAlternateKey(s => s.Id);
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

        modelBuilder.Entity<Backup>(backup =>
        {
            backup.HasKey(b => b.Seq);
            backup.HasIndex(b => b.Id).IsUnique();
            backup.HasIndex(b => new { b.AccountId, b.Seq });
            backup.HasIndex(b => new { b.InstanceId, b.Seq });
            backup.HasIndex(b => b.ParentId);
            backup.HasIndex(b => new { b.ScheduleId, b.Seq });

            // One backup at a time per instance, across requests and service processes.
            backup.HasIndex(b => b.InstanceId)
                .IsUnique()
                .HasFilter(BackupStatus.RunningFilter)
                .HasDatabaseName("ux_backups_one_running_per_instance");
            backup.HasIndex(b => b.LeaseExpires).HasFilter(BackupStatus.RunningFilter);

            backup.Property(b => b.AccountId).HasMaxLength(64);
            backup.Property(b => b.Name).HasMaxLength(64);
            backup.Property(b => b.Status).HasMaxLength(16);
            backup.Property(b => b.Type).HasMaxLength(32);
            backup.Property(b => b.DatastoreType).HasMaxLength(32);
            backup.Property(b => b.DatastoreVersion).HasMaxLength(32);
            backup.Property(b => b.Checksum).HasMaxLength(64);
            backup.Property(b => b.Reason).HasMaxLength(1024);
            backup.Property(b => b.LocationRef).HasMaxLength(1024);
            backup.Ignore(b => b.Kind);
            backup.Ignore(b => b.IsRunning);
            backup.Ignore(b => b.ObjectName);
            backup.Ignore(b => b.EndPosition);
            backup.ToTable(t => t.HasCheckConstraint(
                "ck_backups_status", "status IN ('NEW', 'BUILDING', 'COMPLETED', 'FAILED', 'DELETE_FAILED')"));
        });

        modelBuilder.Entity<ScheduleRun>(run =>
        {
            run.HasKey(r => r.Seq);
            run.HasIndex(r => r.Id).IsUnique();

            // Exactly one record, so at most one backup, per slot: whatever Quartz, a retry or a second node does.
            run.HasIndex(r => new { r.ScheduleId, r.SlotTime }).IsUnique();
            run.HasIndex(r => new { r.ScheduleId, r.Seq });
            run.HasOne<Schedule>()
                .WithMany()
                .HasForeignKey(r => r.ScheduleId)
                .HasPrincipalKey(s => s.Id)
                .OnDelete(DeleteBehavior.Cascade);
            run.Property(r => r.AccountId).HasMaxLength(64);
            run.Property(r => r.Kind).HasMaxLength(16);
            run.Property(r => r.Outcome).HasMaxLength(16);
            run.Property(r => r.Reason).HasMaxLength(1024);
        });

        modelBuilder.Entity<BackupVerification>(verification =>
        {
            verification.HasKey(v => v.Seq);
            verification.HasIndex(v => v.Id).IsUnique();
            verification.HasIndex(v => new { v.BackupId, v.Seq });
            verification.Property(v => v.AccountId).HasMaxLength(64);
            verification.Property(v => v.Status).HasMaxLength(16);
            verification.Property(v => v.Chain).HasMaxLength(8192);
            verification.Property(v => v.Tables).HasColumnType("text");
            verification.Property(v => v.Reason).HasMaxLength(1024);
        });

        modelBuilder.Entity<InstanceDatabase>(database =>
        {
            database.HasKey(d => d.Seq);
            database.HasIndex(d => new { d.InstanceId, d.Name }).IsUnique();
            database.HasOne<Instance>()
                .WithMany()
                .HasForeignKey(d => d.InstanceId)
                .HasPrincipalKey(i => i.Id)
                .OnDelete(DeleteBehavior.Cascade);
            database.Property(d => d.Name).HasMaxLength(64);
            database.Property(d => d.CharacterSet).HasMaxLength(32);
            database.Property(d => d.Collate).HasMaxLength(64);
        });

        modelBuilder.Entity<InstanceUser>(user =>
        {
            user.HasKey(u => u.Seq);
            user.HasIndex(u => new { u.InstanceId, u.Name, u.Host }).IsUnique();
            user.HasOne<Instance>()
                .WithMany()
                .HasForeignKey(u => u.InstanceId)
                .HasPrincipalKey(i => i.Id)
                .OnDelete(DeleteBehavior.Cascade);
            user.Property(u => u.Name).HasMaxLength(32);
            user.Property(u => u.Host).HasMaxLength(255);
            user.Property(u => u.Databases).HasMaxLength(4096);
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
