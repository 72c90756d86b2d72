using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Schedules.Backups;
using Schedules.Backups.Execution;
using Schedules.Backups.Storage;
using Schedules.Identity;

namespace Schedules.Tests.Infrastructure;

/// <summary>
/// The service in a test host, on its own database of one provider, with a fake clock frozen at Thursday
/// 2014-10-30 12:30 UTC (the seed page's <c>created</c>). Tests share one host per provider and each works in
/// an account of its own, so no test sees another's data. Backups are stored in a folder of the host's own and
/// run by the service's executor, which a test can hold back or make fail for one instance (<see cref="Executor"/>);
/// a test can make deleting an account's stored objects fail (<see cref="Storage"/>).
/// </summary>
public class SchedulesApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2014, 10, 30, 12, 30, 0, TimeSpan.Zero);

    public const string DemoUser = "demo";
    public const string DemoPassword = "demo-password";
    public const string DemoApiKey = "demo-api-key";
    public const string DemoProject = "1234";

    private readonly Dictionary<string, string?> _settings;
    private string? _postgresDatabase;
    private string? _sqliteFile;
    private string? _storageRoot;

    public SchedulesApp(string provider, IDictionary<string, string?>? settings = null)
    {
        Provider = provider;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    public string Provider { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The connection string of this host's own database, for a second host on the same one.</summary>
    public string ConnectionString => _settings["ConnectionStrings:Schedules"]!;

    public TestLogs Logs { get; } = new();

    internal TestBackupExecutor Executor => Services.GetRequiredService<TestBackupExecutor>();

    internal TestBackupStorage Storage => Services.GetRequiredService<TestBackupStorage>();

    internal BackupEndings Endings => Services.GetRequiredService<BackupEndings>();

    /// <summary>Another host on the same provider with its own database and extra settings.</summary>
    public async Task<SchedulesApp> StartVariantAsync(IDictionary<string, string?> settings)
    {
        var variant = new SchedulesApp(Provider, settings);
        await variant.InitializeAsync();
        return variant;
    }

    public virtual async Task InitializeAsync()
    {
        if (!_settings.ContainsKey("Storage:Root"))
        {
            _storageRoot = Path.Combine(Path.GetTempPath(), "schedules-tests", $"storage-{Guid.NewGuid():N}");
            _settings["Storage:Root"] = _storageRoot;
        }

        if (_settings.ContainsKey("ConnectionStrings:Schedules"))
        {
            return;
        }

        if (Provider == "postgres")
        {
            var server = PostgresServer.ConnectionString;
            _postgresDatabase = $"schedules_test_{Guid.NewGuid():N}";
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_postgresDatabase}", connection);
            await create.ExecuteNonQueryAsync();
            _settings["ConnectionStrings:Schedules"] = $"{server};Database={_postgresDatabase}";
        }
        else
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), "schedules-tests", $"{Guid.NewGuid():N}.db");
            _settings["ConnectionStrings:Schedules"] = $"Data Source={_sqliteFile}";
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (_postgresDatabase is not null)
        {
            await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand(
                $"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            _postgresDatabase = null;
        }

        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(_sqliteFile);
            _sqliteFile = null;
        }

        if (_storageRoot is not null && Directory.Exists(_storageRoot))
        {
            Directory.Delete(_storageRoot, recursive: true);
            _storageRoot = null;
        }
    }

    /// <summary>A fresh account with a token of its own, issued by the service's own token code.</summary>
    public async Task<Account> NewAccountAsync()
    {
        var projectId = Guid.NewGuid().ToString("N");
        using var scope = Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<TokenService>();
        var user = new IdentityUser { Name = "user-" + projectId, Password = "unused", ProjectId = projectId };
        var issued = await tokens.IssueAsync(user, CancellationToken.None);
        return new Account(this, projectId, issued.Text);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("Identity:Users:0:Name", DemoUser);
        builder.UseSetting("Identity:Users:0:Password", DemoPassword);
        builder.UseSetting("Identity:Users:0:ApiKey", DemoApiKey);
        builder.UseSetting("Identity:Users:0:ProjectId", DemoProject);
        builder.UseSetting("Service:CopyRegions:0", "DFW");
        builder.UseSetting("Service:CopyRegions:1", "ORD");
        builder.UseSetting("Service:CopyRegions:2", "IAD");
        builder.UseSetting("Identity:TokenLifetime", "3650.00:00:00");
        if (MariaDbServer.IsConfigured)
        {
            foreach (var (key, value) in MariaDbServer.ProfileSettings())
            {
                builder.UseSetting(key, value);
            }
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, FailingRoute>();
            services.AddSingleton<FileSystemBackupStorage>();
            services.AddSingleton<TestBackupStorage>();
            services.RemoveAll<IBackupStorage>();
            services.AddSingleton<IBackupStorage>(provider => provider.GetRequiredService<TestBackupStorage>());
            services.AddSingleton<TestBackupExecutor>();
            services.RemoveAll<IBackupExecutor>();
            services.AddSingleton<IBackupExecutor>(provider => provider.GetRequiredService<TestBackupExecutor>());
            services.AddSingleton<BackupEndings>();
            services.AddSingleton<IBackupFinishedHandler>(provider => provider.GetRequiredService<BackupEndings>());
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (_sqliteFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_sqliteFile)!);
        }

        return base.CreateHost(builder);
    }
}

public sealed class SqliteApp() : SchedulesApp("sqlite");

public sealed class PostgresApp() : SchedulesApp("postgres");

/// <summary>The server the test command starts; its connection string comes from the environment.</summary>
public static class PostgresServer
{
    public const string Variable = "SCHEDULES_TEST_POSTGRES";

    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable)
        ?? throw new InvalidOperationException(
            $"{Variable} is not set: run the tests with scripts/test, which starts PostgreSQL and sets it.");
}

[CollectionDefinition(Name)]
public sealed class OnSqlite : ICollectionFixture<SqliteApp>
{
    public const string Name = "sqlite";
}

[CollectionDefinition(Name)]
public sealed class OnPostgres : ICollectionFixture<PostgresApp>
{
    public const string Name = "postgres";
}
