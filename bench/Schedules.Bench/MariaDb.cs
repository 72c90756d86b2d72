using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace Schedules.Bench;

/// <summary>The benchmark's MariaDB server, reached with the <c>mariadb</c> client (password in MYSQL_PWD).</summary>
internal sealed class MariaDb
{
    public MariaDb(string connection)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connection };
        Host = (string)parts["Host"];
        Port = int.Parse((string)parts["Port"], CultureInfo.InvariantCulture);
        User = (string)parts["User"];
        Password = (string)parts["Password"];
    }

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    public string Password { get; }

    public string[] ClientArguments => ["--no-defaults", $"--host={Host}", $"--port={Port}", $"--user={User}"];

    public async Task<List<string[]>> QueryAsync(string sql)
    {
        var start = Start("mariadb", [.. ClientArguments, "--batch", "--skip-column-names", "--execute", sql]);
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb failed: {errors.Trim()}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
    }

    /// <summary>A process of one of the MariaDB tools, with the password in its environment.</summary>
    public ProcessStartInfo Start(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MYSQL_PWD"] = Password;
        return start;
    }
}
