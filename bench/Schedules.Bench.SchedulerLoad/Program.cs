using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Schedules.Bench.SchedulerLoad;

// Loads N schedules due in the same minute into a fresh PostgreSQL database, starts one or more service
// processes on it, and measures when each slot's backup was created and completed, and each process's peak memory.
//   dotnet run -c Release --project bench/Schedules.Bench.SchedulerLoad -- \
//     --postgres "Host=127.0.0.1;Port=55440;Username=postgres" \
//     --service src/Schedules.Api/bin/Release/net10.0/Schedules.Api.dll \
//     --schedules 10000 --nodes 1,2
var arguments = Arguments.Parse(args);
var results = new List<LoadResult>();
foreach (var nodes in arguments.Nodes)
{
    var result = await LoadRun.RunAsync(arguments, nodes);
    results.Add(result);
    Console.WriteLine(result.Describe());
}

Console.WriteLine();
Console.WriteLine(LoadResult.Table(results));

namespace Schedules.Bench.SchedulerLoad
{
    internal sealed record Arguments(string Postgres, string Service, int Schedules, int[] Nodes, TimeSpan Lead)
    {
        public static Arguments Parse(string[] args)
        {
            string Value(string name, string fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }

            return new Arguments(
                Value("--postgres", "Host=127.0.0.1;Port=55440;Username=postgres"),
                Path.GetFullPath(Value("--service", "src/Schedules.Api/bin/Release/net10.0/Schedules.Api.dll")),
                int.Parse(Value("--schedules", "10000"), CultureInfo.InvariantCulture),
                [.. Value("--nodes", "1,2").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))],
                TimeSpan.FromSeconds(int.Parse(Value("--lead-seconds", "90"), CultureInfo.InvariantCulture)));
        }
    }

    internal sealed record LoadResult(
        int Nodes,
        int Schedules,
        TimeSpan Startup,
        int Created,
        TimeSpan AllCreated,
        TimeSpan P50,
        TimeSpan P99,
        TimeSpan AllCompleted,
        long[] PeakMemoryBytes)
    {
        public string Describe() =>
            $"{Nodes} node(s): {Created}/{Schedules} backups created; "
            + $"all created {Seconds(AllCreated)} after the slot, "
            + $"lateness p50 {Seconds(P50)}, p99 {Seconds(P99)}; all completed {Seconds(AllCompleted)}; "
            + $"start-up with triggers {Seconds(Startup)}; peak memory "
            + string.Join(" + ", PeakMemoryBytes.Select(b => $"{b / (1024 * 1024)} MiB"));

        public static string Table(IEnumerable<LoadResult> results) =>
            "| nodes | schedules | backups created | all created after slot | p50 lateness | p99 lateness "
            + "| all completed | peak memory per node |\n|---|---|---|---|---|---|---|---|\n"
            + string.Join('\n', results.Select(r =>
                $"| {r.Nodes} | {r.Schedules} | {r.Created} | {Seconds(r.AllCreated)} | {Seconds(r.P50)} | "
                + $"{Seconds(r.P99)} | {Seconds(r.AllCompleted)} | "
                + string.Join(", ", r.PeakMemoryBytes.Select(b => $"{b / (1024 * 1024)} MiB")) + " |"));

        private static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.00} s";
    }

    internal static class LoadRun
    {
        public static async Task<LoadResult> RunAsync(Arguments arguments, int nodeCount)
        {
            var database = $"schedules_bench_{Guid.NewGuid():N}";
            var work = Directory.CreateTempSubdirectory("schedules-bench-");
            var connection = $"{arguments.Postgres};Database={database}";
            await ExecuteAsync(arguments.Postgres, $"CREATE DATABASE {database}");
            try
            {
                // One process with the scheduler off creates the schema; the data then goes in with COPY.
                await using (var migrator = ServiceNode.Start(
                    arguments.Service, connection, work.FullName, 0, scheduler: false))
                {
                    await migrator.WaitUntilListeningAsync();
                }

                var slot = NextMinute(DateTime.UtcNow + arguments.Lead);
                await LoadSchedulesAsync(connection, arguments.Schedules, slot);

                var started = Stopwatch.StartNew();
                var nodes = Enumerable.Range(0, nodeCount)
                    .Select(i => ServiceNode.Start(
                        arguments.Service, connection, work.FullName, i + 1, scheduler: true))
                    .ToList();
                try
                {
                    foreach (var node in nodes)
                    {
                        await node.WaitUntilListeningAsync();
                    }

                    await WaitForTriggersAsync(connection, arguments.Schedules);
                    var startup = started.Elapsed;
                    if (DateTime.UtcNow > slot - TimeSpan.FromSeconds(5))
                    {
                        throw new InvalidOperationException(
                            $"Start-up took {startup}; give a longer --lead-seconds so it ends before the slot.");
                    }

                    await WaitForBackupsAsync(connection, arguments.Schedules, slot);
                    var peaks = nodes.Select(node => node.PeakMemoryBytes()).ToArray();
                    return await MeasureAsync(connection, nodeCount, arguments.Schedules, slot, startup, peaks);
                }
                finally
                {
                    foreach (var node in nodes)
                    {
                        await node.DisposeAsync();
                    }
                }
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(arguments.Postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                work.Delete(recursive: true);
            }
        }

        private static DateTime NextMinute(DateTime after) =>
            new(after.Ticks - after.Ticks % TimeSpan.TicksPerMinute + TimeSpan.TicksPerMinute, DateTimeKind.Utc);

        private static async Task LoadSchedulesAsync(string connection, int count, DateTime slot)
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            var now = DateTime.UtcNow;
            var instances = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
            await using (var copy = await db.BeginBinaryImportAsync(
                "COPY instances (id, account_id, name, flavor_ref, volume_size, datastore_type, datastore_version, "
                + "created, updated) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var id in instances)
                {
                    await copy.WriteRowAsync(default, id, "bench", $"db-{id:N}", "1", 1, "mysql", "5.6", now, now);
                }

                await copy.CompleteAsync();
            }

            await using (var copy = await db.BeginBinaryImportAsync(
                "COPY schedules (id, account_id, instance_id, action, day_of_week, hour, minute, "
                + "full_backup_retention, copy_to, created, updated, next_run, running) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var instanceId in instances)
                {
                    await copy.WriteRowAsync(
                        default, Guid.NewGuid(), "bench", instanceId, "backup",
                        (int)slot.DayOfWeek, slot.Hour, slot.Minute, 2, "", now, now, slot, false);
                }

                await copy.CompleteAsync();
            }
        }

        private static async Task WaitForTriggersAsync(string connection, int count)
        {
            const string Triggers = "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'slots'";
            while (true)
            {
                try
                {
                    if (await ScalarAsync(connection, Triggers) >= count)
                    {
                        return;
                    }
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
                {
                    // The scheduler has not created its tables yet.
                }

                await Task.Delay(250);
            }
        }

        private static async Task WaitForBackupsAsync(string connection, int count, DateTime slot)
        {
            var giveUp = slot + TimeSpan.FromMinutes(3);
            while (DateTime.UtcNow < giveUp
                && await ScalarAsync(connection, "SELECT count(*) FROM backups WHERE status = 'COMPLETED'") < count)
            {
                await Task.Delay(250);
            }
        }

        private static async Task<LoadResult> MeasureAsync(
            string connection, int nodes, int count, DateTime slot, TimeSpan startup, long[] peaks)
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT count(*),
                       coalesce(extract(epoch FROM max(created) - @slot), 0),
                       coalesce(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY created - @slot)), 0),
                       coalesce(extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY created - @slot)), 0),
                       coalesce(extract(epoch FROM max(updated) FILTER (WHERE status = 'COMPLETED') - @slot), 0)
                FROM backups
                """,
                db);
            command.Parameters.AddWithValue("slot", slot);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            static TimeSpan Seconds(decimal value) => TimeSpan.FromSeconds((double)value);
            return new LoadResult(
                nodes,
                count,
                startup,
                (int)reader.GetInt64(0),
                Seconds(reader.GetDecimal(1)),
                Seconds(reader.GetDecimal(2)),
                Seconds(reader.GetDecimal(3)),
                Seconds(reader.GetDecimal(4)),
                peaks);
        }

        private static async Task<long> ScalarAsync(string connection, string sql)
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            await using var command = new NpgsqlCommand(sql, db);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        private static async Task ExecuteAsync(string connection, string sql)
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            await using var command = new NpgsqlCommand(sql, db);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>One service process, configured for the benchmark's database, with its output in a file.</summary>
    internal sealed class ServiceNode : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly int _port;

        private ServiceNode(Process process, int port)
        {
            _process = process;
            _port = port;
        }

        public static ServiceNode Start(string service, string connection, string work, int index, bool scheduler)
        {
            var port = 18779 + index;
            var start = new ProcessStartInfo("dotnet", [service, "--urls", $"http://127.0.0.1:{port}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = work,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Database__Provider"] = "postgres";
            start.Environment["ConnectionStrings__Schedules"] = connection;
            start.Environment["Identity__Users__0__Name"] = "bench";
            start.Environment["Identity__Users__0__Password"] = "bench";
            start.Environment["Identity__Users__0__ProjectId"] = "bench";
            start.Environment["Storage__Root"] = Path.Combine(work, "storage");
            start.Environment["Scheduler__Enabled"] = scheduler ? "true" : "false";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            foreach (var name in new[] { "Scheduler__Threads", "Backups__Workers" })
            {
                if (Environment.GetEnvironmentVariable("BENCH_" + name) is { } value)
                {
                    start.Environment[name] = value;
                }
            }

            var process = Process.Start(start)!;
            var log = new StreamWriter(Path.Combine(work, $"node-{index}.log")) { AutoFlush = true };
            process.OutputDataReceived += (_, line) => log.WriteLine(line.Data);
            process.ErrorDataReceived += (_, line) => log.WriteLine(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new ServiceNode(process, port);
        }

        public async Task WaitUntilListeningAsync()
        {
            using var http = new HttpClient();
            for (var attempt = 0; attempt < 600; attempt++)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException(
                        $"The service on port {_port} exited with {_process.ExitCode}.");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_port}/"));
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"The service on port {_port} did not answer within a minute.");
        }

        /// <summary>The process's peak resident memory (VmHWM), as Linux reports it.</summary>
        public long PeakMemoryBytes()
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status")
                .First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kibibytes = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return long.Parse(kibibytes, CultureInfo.InvariantCulture) * 1024;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
