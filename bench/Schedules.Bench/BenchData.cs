using System.Diagnostics;
using System.Globalization;

namespace Schedules.Bench;

/// <summary>The benchmark's data (one InnoDB table of random text and numbers) and the raw dump to compare.</summary>
internal static class BenchData
{
    /// <summary>Grows the table till data and indexes take <paramref name="sizeMb"/> MB or more.</summary>
    public static async Task<long> GrowAsync(MariaDb server, int sizeMb)
    {
        await server.QueryAsync("""
            CREATE DATABASE IF NOT EXISTS bench;
            CREATE TABLE IF NOT EXISTS bench.items (id BIGINT AUTO_INCREMENT PRIMARY KEY, a INT NOT NULL,
                b VARCHAR(255) NOT NULL, c DOUBLE NOT NULL, d DATETIME NOT NULL) ENGINE=InnoDB;
            """);
        if ((await server.QueryAsync("SELECT EXISTS (SELECT 1 FROM bench.items)"))[0][0] == "0")
        {
            // Distinct random rows first; later rounds copy them, far enough apart that gzip's window never sees both.
            await server.QueryAsync("""
                SET SESSION max_recursive_iterations = 1000000;
                INSERT INTO bench.items (a, b, c, d)
                WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 200000)
                SELECT FLOOR(RAND() * 1e9), CONCAT(SHA2(RAND(), 256), SHA2(RAND(), 256), MD5(RAND())),
                    RAND() * 1e6, NOW() - INTERVAL FLOOR(RAND() * 1e8) SECOND FROM s;
                """);
        }

        long size;
        while ((size = await SizeAsync(server)) < sizeMb * 1024L * 1024)
        {
            await server.QueryAsync(
                "INSERT INTO bench.items (a, b, c, d) SELECT a, b, c, d FROM bench.items LIMIT 400000");
        }

        return size;
    }

    /// <summary>The backup's own dump, written to /dev/null: the speed the service is compared with.</summary>
    public static async Task<double> DumpToDevNullAsync(MariaDb server)
    {
        var start = server.Start("sh", [
            "-c", "exec mariadb-dump \"$@\" > /dev/null", "sh", .. server.ClientArguments,
            "--single-transaction", "--quick", "--routines", "--triggers", "--events", "--hex-blob",
            "--default-character-set=utf8mb4", "--master-data=2", "--databases", "bench",
        ]);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb-dump failed: {errors.Trim()}");
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> SizeAsync(MariaDb server)
    {
        var rows = await server.QueryAsync("""
            ANALYZE TABLE bench.items;
            SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables
            WHERE table_schema = 'bench' AND table_name = 'items';
            """);
        return long.Parse(rows[^1][0], CultureInfo.InvariantCulture);
    }
}
