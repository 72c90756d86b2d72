using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Schedules.Data;

internal static class DatabaseSetup
{
    public const string ConnectionName = "Schedules";
    public const string DefaultSqlite = "Data Source=data/schedules.db";

    /// <summary>
    /// Seconds to wait for a connection to PostgreSQL before the request answers 503: a database that is down
    /// must be reported quickly, not after Npgsql's default of 15 seconds per attempt.
    /// </summary>
    private const int ConnectTimeoutSeconds = 3;

    public static IServiceCollection AddSchedulesDatabase(
        this IServiceCollection services,
        IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var connectionString = ConnectionString(configuration);
        if (IsPostgres(configuration))
        {
            services.AddDbContext<SchedulesDbContext, PostgresSchedulesDbContext>(options => options
                .UseNpgsql(connectionString)
                .UseSnakeCaseNamingConvention());
        }
        else
        {
            services.AddDbContext<SchedulesDbContext, SqliteSchedulesDbContext>(options => options
                .UseSqlite(connectionString)
                .UseSnakeCaseNamingConvention());
        }

        return services;
    }

    public static bool IsPostgres(IConfiguration configuration) =>
        configuration[$"{DatabaseOptions.Section}:Provider"] == DatabaseOptions.Postgres;

    /// <summary>The configured connection string, with the service's defaults for what it leaves out.</summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString(ConnectionName);
        return IsPostgres(configuration) ? PostgresConnectionString(configured) : SqliteConnectionString(configured);
    }

    /// <summary>
    /// Brings the schema up to date, creating the SQLite file's folder on first start; unless the settings leave
    /// migrations to the operator and <paramref name="force"/> is not set.
    /// </summary>
    public static async Task MigrateAsync(
        IServiceProvider services,
        CancellationToken cancellationToken,
        bool force = false)
    {
        if (!force && !services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        if (db.Database.IsSqlite())
        {
            var path = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder) && path != ":memory:")
            {
                Directory.CreateDirectory(folder);
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    private static string PostgresConnectionString(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new OptionsValidationException(
                ConnectionName,
                typeof(DatabaseOptions),
                ["Database:Provider is 'postgres' but ConnectionStrings:Schedules is empty."]);
        }

        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }

        return builder.ConnectionString;
    }

    private static string SqliteConnectionString(string? configured)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? DefaultSqlite : configured);

        // Several requests write at once; wait briefly for the lock rather than failing at the first collision.
        if (!(configured ?? "").Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 5;
        }

        return builder.ConnectionString;
    }
}
