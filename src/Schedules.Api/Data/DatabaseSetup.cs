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

    public static IServiceCollection AddSchedulesDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var provider = configuration[$"{DatabaseOptions.Section}:Provider"] ?? DatabaseOptions.Sqlite;
        var connectionString = configuration.GetConnectionString(ConnectionName);
        if (provider == DatabaseOptions.Postgres)
        {
            var postgres = PostgresConnectionString(connectionString);
            services.AddDbContext<SchedulesDbContext, PostgresSchedulesDbContext>(options => options
                .UseNpgsql(postgres)
                .UseSnakeCaseNamingConvention());
        }
        else
        {
            var sqlite = SqliteConnectionString(connectionString);
            services.AddDbContext<SchedulesDbContext, SqliteSchedulesDbContext>(options => options
                .UseSqlite(sqlite)
                .UseSnakeCaseNamingConvention());
        }

        return services;
    }

    /// <summary>Brings the schema up to date, creating the SQLite file's folder on first start.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
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
