using System.Globalization;

namespace Schedules.Backups.MySql;

/// <summary>
/// Short questions to a MySQL-family server, asked through the <c>mariadb</c> command-line client in batch mode
/// with the profile's defaults file: whether the binary log is on, where it stands, which databases there are.
/// </summary>
internal sealed class MySqlServer(DefaultsFile defaults)
{
    public const string Client = "mariadb";
    public const string Dump = "mariadb-dump";
    public const string Binlog = "mariadb-binlog";

    /// <summary>Schemas of the server itself, never backed up or restored.</summary>
    public static readonly IReadOnlySet<string> SystemSchemas = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "information_schema", "performance_schema", "mysql", "sys",
    };

    public DefaultsFile Defaults => defaults;

    public async Task<List<string[]>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        var output = await MySqlTool.RunAsync(
            Client,
            [defaults.Argument, "--batch", "--skip-column-names", "--raw", "--execute", sql],
            cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .ToList();
    }

    public async Task<bool> IsBinlogOnAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT @@log_bin", cancellationToken);
        return rows.Count == 1 && rows[0][0] == "1";
    }

    /// <summary>Where the binary log ends now (<c>SHOW MASTER STATUS</c>); null when it is off.</summary>
    public async Task<BinlogPosition?> CurrentPositionAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SHOW MASTER STATUS", cancellationToken);
        return rows.Count == 0
            ? null
            : new BinlogPosition(rows[0][0], long.Parse(rows[0][1], CultureInfo.InvariantCulture));
    }

    /// <summary>The binary log files the server still has, oldest first.</summary>
    public async Task<List<string>> BinaryLogsAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SHOW BINARY LOGS", cancellationToken)).Select(row => row[0]).ToList();

    /// <summary>The server's databases, less its own schemas.</summary>
    public async Task<List<string>> UserDatabasesAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SHOW DATABASES", cancellationToken))
            .Select(row => row[0])
            .Where(name => !SystemSchemas.Contains(name))
            .ToList();

    public static string QuoteName(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
}
