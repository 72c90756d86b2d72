using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Backups.MySql;
using Schedules.Backups.Storage;
using Schedules.Data;
using Schedules.Instances;

namespace Schedules.Backups.Verification;

/// <summary>A restored table: <c>database.table</c>, its row count and its <c>CHECKSUM TABLE</c> value.</summary>
internal sealed record VerifiedTable(string Name, long Rows, long? Checksum);

/// <summary>
/// Runs restore checks, one at a time: restores a backup's chain (the full, then each incremental in order, every
/// object read through the storage's checksum check) on the verification server, counts and checksums every
/// restored table, drops what it restored, and records the outcome and the time taken on the run record.
/// </summary>
internal sealed partial class BackupVerifier(
    IServiceScopeFactory scopes,
    IBackupStorage storage,
    IOptions<VerificationOptions> options,
    IOptions<InstanceOptions> instances,
    TimeProvider time,
    ILogger<BackupVerifier> logger) : BackgroundService
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();

    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.Profile);

    public void Enqueue(Guid verificationId) => _queue.Writer.TryWrite(verificationId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One at a time: the restored databases keep their names, so two checks at once would mix.
        await foreach (var verificationId in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(verificationId, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(logger, e, verificationId);
            }
        }
    }

    private async Task RunAsync(Guid verificationId, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var verification = await db.BackupVerifications.FirstAsync(v => v.Id == verificationId, stoppingToken);
        var chain = await LoadChainAsync(db, verification.BackupId, stoppingToken);
        verification.Chain = string.Join(',', chain.Select(b => b.Id.ToString("D")));

        var started = Stopwatch.GetTimestamp();
        try
        {
            var tables = await RestoreAsync(chain, stoppingToken);
            verification.Status = BackupVerification.Succeeded;
            verification.Tables = JsonSerializer.Serialize(tables, Json);
            LogSucceeded(logger, verificationId, verification.BackupId, tables.Count);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            verification.Status = BackupVerification.Failed;
            var reason = e.Message.ReplaceLineEndings(" ").Trim();
            verification.Reason = reason.Length <= 1000 ? reason : reason[..1000];
            LogFailed(logger, verificationId, verification.BackupId, verification.Reason);
        }

        verification.DurationSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3);
        verification.Updated = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(stoppingToken);
    }

    /// <summary>The backup and the ones it builds on, the full first.</summary>
    private static async Task<List<Backup>> LoadChainAsync(
        SchedulesDbContext db,
        Guid backupId,
        CancellationToken cancellationToken)
    {
        var chain = new List<Backup>();
        Guid? next = backupId;
        while (next is { } id)
        {
            var backup = await db.Backups.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken)
                ?? throw new IOException($"Backup {id:D} of the chain no longer exists.");
            chain.Insert(0, backup);
            next = backup.ParentId;
        }

        return chain;
    }

    private async Task<List<VerifiedTable>> RestoreAsync(List<Backup> chain, CancellationToken cancellationToken)
    {
        var profile = instances.Value.Profiles[options.Value.Profile!];
        using var defaults = DefaultsFile.Write(profile);
        var server = new MySqlServer(defaults);
        var before = (await server.UserDatabasesAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        try
        {
            foreach (var backup in chain)
            {
                if (backup.Status != BackupStatus.Completed || backup.Checksum is null)
                {
                    throw new IOException($"Backup {backup.Id:D} of the chain is not COMPLETED "
                        + $"(status was {backup.Status}).");
                }

                await ApplyAsync(defaults, backup, cancellationToken);
            }

            var restored = await RestoredAsync(server, before, cancellationToken);
            return await DescribeAsync(server, restored, cancellationToken);
        }
        finally
        {
            foreach (var database in await RestoredAsync(server, before, CancellationToken.None))
            {
                await server.QueryAsync($"DROP DATABASE IF EXISTS {MySqlServer.QuoteName(database)}",
                    CancellationToken.None);
            }
        }
    }

    /// <summary>Streams one object, gunzipped, into the <c>mariadb</c> client.</summary>
    private async Task ApplyAsync(DefaultsFile defaults, Backup backup, CancellationToken cancellationToken)
    {
        await using var source = await storage.OpenReadAsync(
            backup.AccountId, backup.ObjectName, backup.Checksum!, cancellationToken);
        await using var gunzip = new GZipStream(source, CompressionMode.Decompress);
        await using var client = MySqlTool.Start(
            MySqlServer.Client, [defaults.Argument, "--binary-mode", "--batch"], writeInput: true, cancellationToken);
        try
        {
            await gunzip.CopyToAsync(client.Input, cancellationToken);
            client.Input.Close();
        }
        catch (IOException) when (client.HasExited)
        {
            // The client stopped reading because it failed: its own message says why, not the broken pipe.
            throw new IOException(await client.LastErrorAsync() ?? $"{MySqlServer.Client} stopped early.");
        }

        await client.WaitAsync(cancellationToken);
    }

    private static async Task<List<string>> RestoredAsync(
        MySqlServer server,
        HashSet<string> before,
        CancellationToken cancellationToken) =>
        (await server.UserDatabasesAsync(cancellationToken)).Where(d => !before.Contains(d)).ToList();

    private static async Task<List<VerifiedTable>> DescribeAsync(
        MySqlServer server,
        List<string> databases,
        CancellationToken cancellationToken)
    {
        if (databases.Count == 0)
        {
            return [];
        }

        var names = string.Join(
            ", ", databases.Select(d => "'" + d.Replace("'", "''", StringComparison.Ordinal) + "'"));
        var tables = await server.QueryAsync(
            "SELECT table_schema, table_name FROM information_schema.tables "
            + $"WHERE table_type = 'BASE TABLE' AND table_schema IN ({names}) ORDER BY table_schema, table_name",
            cancellationToken);
        if (tables.Count == 0)
        {
            return [];
        }

        var quoted = tables.Select(t => $"{MySqlServer.QuoteName(t[0])}.{MySqlServer.QuoteName(t[1])}").ToList();
        var counts = await server.QueryAsync(
            string.Join(" UNION ALL ", quoted.Select((name, i) =>
                $"SELECT {i.ToString(CultureInfo.InvariantCulture)}, COUNT(*) FROM {name}")),
            cancellationToken);
        var checksums = await server.QueryAsync("CHECKSUM TABLE " + string.Join(", ", quoted), cancellationToken);

        return tables.Select((t, i) => new VerifiedTable(
                $"{t[0]}.{t[1]}",
                long.Parse(counts.First(c => c[0] == i.ToString(CultureInfo.InvariantCulture))[1],
                    CultureInfo.InvariantCulture),
                long.TryParse(checksums[i][1], NumberStyles.None, CultureInfo.InvariantCulture, out var sum)
                    ? sum
                    : null))
            .ToList();
    }

    [LoggerMessage(EventId = 5060, Level = LogLevel.Information,
        Message = "Verification {VerificationId} of backup {BackupId} succeeded: {Tables} tables restored")]
    private static partial void LogSucceeded(ILogger logger, Guid verificationId, Guid backupId, int tables);

    [LoggerMessage(EventId = 5061, Level = LogLevel.Warning,
        Message = "Verification {VerificationId} of backup {BackupId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid verificationId, Guid backupId, string reason);

    [LoggerMessage(EventId = 5062, Level = LogLevel.Error, Message = "Running verification {VerificationId} failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, Guid verificationId);
}
