using Quartz;
using Schedules.Data;

namespace Schedules.Scheduling;

/// <summary>
/// The Quartz scheduler hosted in the service. Its jobs and triggers live in the service's own database, so they
/// survive restarts; on PostgreSQL the nodes sharing the database form a cluster in which each firing happens on
/// one node. (Quartz does not cluster on SQLite, the single-node embedded default.)
/// </summary>
internal static class SchedulerSetup
{
    public static IServiceCollection AddScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>()
            .Bind(configuration.GetSection(SchedulerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<SlotProcessor>();
        services.AddSingleton<ScheduleTriggers>();

        var options = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new();
        var postgres = DatabaseSetup.IsPostgres(configuration);
        var connectionString = DatabaseSetup.ConnectionString(configuration);
        services.AddQuartz(quartz =>
        {
            quartz.UseDefaultThreadPool(options.Threads);
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = options.InstanceName;
                scheduler.GenerateInstanceId = true;
            });
            quartz.UsePersistentStore(store =>
            {
                if (postgres)
                {
                    store.UsePostgres(connectionString);
                    store.UseClustering(clustering => clustering.Enabled = true);
                }
                else
                {
                    store.UseSqlite(connectionString);
                }

                store.ProvisionSchema();
            });
        });
        if (options.Enabled)
        {
            services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
            services.AddHostedService<TriggerReconciler>();
        }

        return services;
    }
}
