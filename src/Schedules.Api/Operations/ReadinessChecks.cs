using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quartz;
using Schedules.Backups.Storage;
using Schedules.Data;
using Schedules.Scheduling;

namespace Schedules.Operations;

/// <summary>The database answers a query.</summary>
internal sealed class DatabaseReadiness(SchedulesDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("the database cannot be reached");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the database cannot be reached ({e.GetType().Name})");
        }
    }
}

/// <summary>The Quartz scheduler is running (not created, on standby or shut down); ready when turned off.</summary>
internal sealed class SchedulerReadiness(ISchedulerFactory factory, IOptions<SchedulerOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            return HealthCheckResult.Healthy("turned off by Scheduler:Enabled");
        }

        var scheduler = await factory.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"the scheduler is {status.ToString().ToLowerInvariant()}");
    }
}

/// <summary>A file can be written to, and removed from, the storage root.</summary>
internal sealed class StorageReadiness(IOptions<StorageOptions> options, IHostEnvironment environment) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(options.Value.Root, environment.ContentRootPath);
        var probe = Path.Combine(root, $".ready-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(root);
            await File.WriteAllTextAsync(probe, "ready", cancellationToken);
            File.Delete(probe);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("the storage root is not writable");
        }
    }
}
