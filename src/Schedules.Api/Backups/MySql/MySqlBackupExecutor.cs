using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Schedules.Backups.Execution;
using Schedules.Backups.Storage;
using Schedules.Instances;

namespace Schedules.Backups.MySql;

/// <summary>
/// Backs up a MySQL-family instance over the network with the MariaDB client tools. A full backup is a logical dump
/// taken in one consistent transaction, recording the binary-log position it was taken at; an incremental is the
/// binary log's events from its parent's recorded position to the server's position now, which it records in turn.
/// Either is streamed through gzip straight into the storage container.
/// </summary>
internal sealed partial class MySqlBackupExecutor(
    IBackupStorage storage,
    IOptions<InstanceOptions> instances,
    ILogger<MySqlBackupExecutor> logger) : IBackupExecutor
{
    /// <summary>How much of a dump's start is searched for the <c>CHANGE MASTER</c> comment.</summary>
    private const int HeadBytes = 64 * 1024;

    public async Task<StoredObject> RunAsync(BackupWork work, CancellationToken cancellationToken)
    {
        if (work.ConnectionProfile is not { } profileName
            || !instances.Value.Profiles.TryGetValue(profileName, out var profile))
        {
            throw new IOException($"Connection profile '{work.ConnectionProfile}' is not configured.");
        }

        using var defaults = DefaultsFile.Write(profile);
        var server = new MySqlServer(defaults);
        return work.Kind == BackupKind.Full
            ? await RunFullAsync(work, server, cancellationToken)
            : await RunIncrementalAsync(work, server, cancellationToken);
    }

    private async Task<StoredObject> RunFullAsync(
        BackupWork work,
        MySqlServer server,
        CancellationToken cancellationToken)
    {
        var binlogOn = await server.IsBinlogOnAsync(cancellationToken);
        var databases = await server.UserDatabasesAsync(cancellationToken);
        if (databases.Count == 0)
        {
            throw new IOException("The instance has no databases to back up.");
        }

        List<string> arguments =
        [
            server.Defaults.Argument, "--single-transaction", "--quick", "--routines", "--triggers", "--events",
            "--hex-blob", "--default-character-set=utf8mb4",
        ];
        if (binlogOn)
        {
            arguments.Add("--master-data=2");
        }

        arguments.Add("--databases");
        arguments.AddRange(databases);

        string head = "";
        var stored = await storage.WriteAsync(work.AccountId, work.ObjectName, async (target, token) =>
        {
            await using var dump = MySqlTool.Start(MySqlServer.Dump, arguments, writeInput: false, token);
            head = await CompressAsync(dump, target, token);
        }, cancellationToken);

        var position = binlogOn ? BinlogPosition.FromChangeMaster(head) : null;
        if (binlogOn && position is null)
        {
            throw new IOException($"{MySqlServer.Dump} did not record the binary log position of the dump.");
        }

        LogFullTaken(logger, work.BackupId, databases.Count, position);
        return stored with { EndPosition = position };
    }

    private async Task<StoredObject> RunIncrementalAsync(
        BackupWork work,
        MySqlServer server,
        CancellationToken cancellationToken)
    {
        if (!await server.IsBinlogOnAsync(cancellationToken))
        {
            throw new IOException("Binary logging is off on the instance (log_bin is OFF): an incremental backup "
                + "reads the binary log; take a full backup.");
        }

        if (work.ParentPosition is not { } start)
        {
            throw new IOException($"Backup {work.ParentId:D} recorded no binary log position (binary logging was "
                + "off when it was taken): take a full backup.");
        }

        var end = await server.CurrentPositionAsync(cancellationToken)
            ?? throw new IOException("The instance reports no binary log position (SHOW MASTER STATUS is empty).");
        var logs = await server.BinaryLogsAsync(cancellationToken);
        var first = logs.IndexOf(start.File);
        var last = logs.IndexOf(end.File);
        if (first < 0 || last < first)
        {
            throw new IOException($"Binary log {start.File} of backup {work.ParentId:D} is no longer on the "
                + "instance: take a full backup.");
        }

        List<string> arguments =
        [
            server.Defaults.Argument, "--read-from-remote-server",
            "--start-position=" + start.Position.ToString(CultureInfo.InvariantCulture),
            "--stop-position=" + end.Position.ToString(CultureInfo.InvariantCulture),
        ];
        arguments.AddRange(logs.Skip(first).Take(last - first + 1));

        var stored = await storage.WriteAsync(work.AccountId, work.ObjectName, async (target, token) =>
        {
            await using var binlog = MySqlTool.Start(MySqlServer.Binlog, arguments, writeInput: false, token);
            await CompressAsync(binlog, target, token);
        }, cancellationToken);

        LogIncrementalTaken(logger, work.BackupId, start, end);
        return stored with { EndPosition = end };
    }

    /// <summary>Gzips the tool's output into the object as it comes; returns its first bytes as text.</summary>
    private static async Task<string> CompressAsync(MySqlTool tool, Stream target, CancellationToken cancellationToken)
    {
        var head = await ParallelGzip.CopyAsync(tool.Output, target, HeadBytes, cancellationToken);
        await tool.WaitAsync(cancellationToken);
        return Encoding.UTF8.GetString(head);
    }

    [LoggerMessage(EventId = 5040, Level = LogLevel.Information,
        Message = "Backup {BackupId}: dumped {Databases} databases at binary log position {Position}")]
    private static partial void LogFullTaken(ILogger logger, Guid backupId, int databases, BinlogPosition? position);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Information,
        Message = "Backup {BackupId}: read the binary log from {Start} to {End}")]
    private static partial void LogIncrementalTaken(
        ILogger logger, Guid backupId, BinlogPosition start, BinlogPosition end);
}
