using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Schedules.Data;

/// <summary>Lets <c>dotnet ef</c> build each provider's context without starting the service.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSchedulesDbContext>
{
    public SqliteSchedulesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSchedulesDbContext>()
            .UseSqlite(DatabaseSetup.DefaultSqlite)
            .UseSnakeCaseNamingConvention()
            .Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSchedulesDbContext>
{
    public PostgresSchedulesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSchedulesDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=schedules")
            .UseSnakeCaseNamingConvention()
            .Options);
}
