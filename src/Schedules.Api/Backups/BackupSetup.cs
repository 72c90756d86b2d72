using Microsoft.Extensions.Options;
using Schedules.Backups.Execution;
using Schedules.Backups.MySql;
using Schedules.Backups.Storage;
using Schedules.Backups.Verification;
using Schedules.Instances;

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
        services.AddOptions<InstanceOptions>()
            .Bind(configuration.GetSection(InstanceOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<InstanceOptions>, InstanceOptionsValidator>();
        services.AddOptions<VerificationOptions>()
            .Bind(configuration.GetSection(VerificationOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<VerificationOptions>, VerificationOptionsValidator>();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<IBackupStorage, FileSystemBackupStorage>();
        services.AddSingleton<LocalBackupExecutor>();
        services.AddSingleton<MySqlBackupExecutor>();
        services.AddSingleton<DispatchingBackupExecutor>();
        services.AddSingleton<IBackupExecutor>(provider => provider.GetRequiredService<DispatchingBackupExecutor>());
        services.AddSingleton<BackupFactory>();
        services.AddScoped<BackupDeleter>();
        services.AddScoped<IBackupFinishedHandler, BackupRetention>();
        services.AddSingleton<BackupRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupRunner>());
        services.AddSingleton<BackupVerifier>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupVerifier>());
        services.AddSingleton<BackupLeaseSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupLeaseSweeper>());
        return services;
    }
}
