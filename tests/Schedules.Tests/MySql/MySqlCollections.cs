using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.MySql;

// The MariaDB tests share one instance server and one restore-check server, whose binary log and databases every
// test sees: their collections run one at a time, after the others.

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MariaDbOnSqlite : ICollectionFixture<SqliteApp>
{
    public const string Name = "mariadb-sqlite";
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MariaDbOnPostgres : ICollectionFixture<PostgresApp>
{
    public const string Name = "mariadb-postgres";
}
