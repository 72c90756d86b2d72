using System.Diagnostics;
using System.Globalization;
using Schedules.Bench;

// Backs up a MariaDB database of --size-mb (default 1024) through the service, --runs times (default 3), next to
// the same mariadb-dump written to /dev/null, and reports medians, their ratio and the service's peak memory.
// bench/run starts a throwaway MariaDB server and passes it in SCHEDULES_BENCH_MARIADB; the service built from
// src/Schedules.Api (--service names another Schedules.Api.dll) runs as a process of its own.
var options = Options.Parse(args);
var server = new MariaDb(Environment.GetEnvironmentVariable("SCHEDULES_BENCH_MARIADB")
    ?? throw new InvalidOperationException("SCHEDULES_BENCH_MARIADB is not set: run bench/run."));

Console.WriteLine($"Filling database 'bench' to {options.SizeMb} MB...");
var fill = Stopwatch.StartNew();
var smallBytes = await BenchData.GrowAsync(server, options.SizeMb / 8);
await using var service = await ServiceProcess.StartAsync(options.ServiceDll, server, options.Port);
var instanceId = await service.RegisterInstanceAsync();
var idleRss = service.ResidentBytes;
var small = await service.BackUpAsync(instanceId);
var databaseBytes = await BenchData.GrowAsync(server, options.SizeMb);
Console.WriteLine($"Database: {Mb(databaseBytes)} MB, filled in {fill.Elapsed.TotalSeconds:F0} s");

var raw = new List<double>();
var backups = new List<(double Seconds, long Bytes, long PeakRss)>();
for (var run = 1; run <= options.Runs; run++)
{
    raw.Add(await BenchData.DumpToDevNullAsync(server));
    backups.Add(await service.BackUpAsync(instanceId));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run}: raw dump {raw[^1]:F1} s, service backup {backups[^1].Seconds:F1} s"
        + $" ({Mb(backups[^1].Bytes)} MB stored), peak RSS {Mb(backups[^1].PeakRss)} MB"));
}

var rawSeconds = Median(raw);
var backupSeconds = Median(backups.Select(b => b.Seconds).ToList());
var peakRss = backups.Max(b => b.PeakRss);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    database size                 {Mb(databaseBytes)} MB (data and indexes)
    raw dump to /dev/null         {rawSeconds:F1} s median, {Mb(databaseBytes) / rawSeconds:F1} MB/s
    service backup (gzip, stored) {backupSeconds:F1} s median, {Mb(databaseBytes) / backupSeconds:F1} MB/s
    ratio to the raw dump         {rawSeconds / backupSeconds * 100:F0} %
    stored object                 {Mb(backups[^1].Bytes)} MB
    service RSS, idle             {Mb(idleRss)} MB
    service RSS, peak (small)     {Mb(small.PeakRss)} MB backing up {Mb(smallBytes)} MB
    service RSS, peak (large)     {Mb(peakRss)} MB backing up {Mb(databaseBytes)} MB
    """));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    var middle = sorted.Count / 2;
    return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

static long Mb(long bytes) => bytes / (1024 * 1024);

internal sealed record Options(int SizeMb, int Runs, string ServiceDll, int Port)
{
    public static Options Parse(string[] args)
    {
        int Int(string name, int fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var service = Array.IndexOf(args, "--service") is var s and >= 0
            ? args[s + 1]
            : Path.Combine(FindRoot(), "src", "Schedules.Api", "bin", "Release", "net10.0", "Schedules.Api.dll");
        return new Options(Int("--size-mb", 1024), Int("--runs", 3), Path.GetFullPath(service), Int("--port", 8799));
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Schedules.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Schedules.sln not found above the bench.");
    }
}
