using Schedules.Backups.Execution;
using Schedules.Backups.Storage;

namespace Schedules.Backups;

internal static class BackupSetup
{
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>()
            .Bind(configuration.GetSection(BackupOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<IBackupStorage, FileSystemBackupStorage>();
        services.AddSingleton<IBackupExecutor, LocalBackupExecutor>();
        services.AddSingleton<BackupFactory>();
        services.AddScoped<BackupDeleter>();
        services.AddScoped<IBackupFinishedHandler, BackupRetention>();
        services.AddSingleton<BackupRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupRunner>());
        services.AddSingleton<BackupLeaseSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupLeaseSweeper>());
        return services;
    }
}
