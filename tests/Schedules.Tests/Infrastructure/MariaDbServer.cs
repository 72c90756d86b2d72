using System.Data.Common;
using System.Diagnostics;

namespace Schedules.Tests.Infrastructure;

/// <summary>
/// The MariaDB servers the test command starts: the instance the tests back up (binary log on) and the restore-check
/// server (binary log off). Their connection details come from the environment, as PostgreSQL's do.
/// </summary>
public sealed class MariaDbServer
{
    public const string InstanceVariable = "SCHEDULES_TEST_MARIADB";
    public const string VerifyVariable = "SCHEDULES_TEST_MARIADB_VERIFY";

    /// <summary>The profile names the test hosts configure.</summary>
    public const string InstanceProfile = "test-instance";
    public const string VerifyProfile = "test-verify";
    public const string WrongPasswordProfile = "test-wrong-password";
    public const string ClosedPortProfile = "test-closed-port";

    private MariaDbServer(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException(
            $"{variable} is not set: run the tests with scripts/test, which starts MariaDB and sets it.");
        var parts = new DbConnectionStringBuilder { ConnectionString = text };
        Host = (string)parts["Host"];
        Port = int.Parse((string)parts["Port"], System.Globalization.CultureInfo.InvariantCulture);
        User = (string)parts["User"];
        Password = (string)parts["Password"];
    }

    public static MariaDbServer Instance { get; } = new(InstanceVariable);

    public static MariaDbServer Verify { get; } = new(VerifyVariable);

    public static bool IsConfigured => Environment.GetEnvironmentVariable(InstanceVariable) is not null
        && Environment.GetEnvironmentVariable(VerifyVariable) is not null;

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    public string Password { get; }

    /// <summary>The settings of the connection profiles every test host has.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ProfileSettings()
    {
        var instance = Instance;
        var verify = Verify;
        foreach (var (name, server, password, port) in new[]
        {
            (InstanceProfile, instance, instance.Password, instance.Port),
            (VerifyProfile, verify, verify.Password, verify.Port),
            (WrongPasswordProfile, instance, "not-the-password", instance.Port),
            (ClosedPortProfile, instance, instance.Password, 1),
        })
        {
            var key = $"Instances:Profiles:{name}:";
            yield return new(key + "Host", server.Host);
            yield return new(key + "Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield return new(key + "User", server.User);
            yield return new(key + "Password", password);
        }

        yield return new("Verification:Profile", VerifyProfile);
    }

    /// <summary>Runs SQL with the <c>mariadb</c> client; returns the rows, tab-separated fields.</summary>
    public async Task<List<string[]>> QueryAsync(string sql)
    {
        var start = new ProcessStartInfo("mariadb")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--no-defaults", $"--host={Host}", $"--port={Port}", $"--user={User}", "--batch", "--skip-column-names",
            "--execute", sql,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MYSQL_PWD"] = Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"mariadb failed on '{sql}': {await errors}");
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
    }
}
