using Schedules.Backups.MySql;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.MySql;

/// <summary>
/// How a tool's run ends: its last error line when it fails, and killed when the backup is cancelled.
/// </summary>
public sealed class MySqlToolTests
{
    [Fact]
    public async Task AFailedRun_ThrowsWithTheToolsLastErrorLine()
    {
        var failure = await Assert.ThrowsAsync<IOException>(() => MySqlTool.RunAsync(
            "sh",
            ["-c", "echo 'Warning: first' >&2; echo 'mariadb-dump: Error 2013: Lost connection to server' >&2; exit 2"],
            CancellationToken.None));

        Assert.Equal("mariadb-dump: Error 2013: Lost connection to server", failure.Message);
    }

    [Fact]
    public async Task AFailedRunWithoutErrorOutput_NamesTheToolAndItsExitCode()
    {
        var failure = await Assert.ThrowsAsync<IOException>(
            () => MySqlTool.RunAsync("sh", ["-c", "exit 3"], CancellationToken.None));

        Assert.Equal("sh exited with code 3.", failure.Message);
    }

    [Fact]
    public async Task Cancelling_KillsTheChildProcess()
    {
        using var cancel = new CancellationTokenSource();
        await using var tool = MySqlTool.Start("sleep", ["30"], writeInput: false, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tool.WaitAsync(cancel.Token));
        Assert.True(await Eventually.GetAsync(
            () => Task.FromResult(tool.HasExited), exited => exited, "the tool to be killed", seconds: 5));
    }

    [Fact]
    public async Task AToolThatIsNotInstalled_FailsWithItsName()
    {
        var failure = await Assert.ThrowsAsync<IOException>(
            () => MySqlTool.RunAsync("no-such-mariadb-tool", [], CancellationToken.None));

        Assert.StartsWith("no-such-mariadb-tool could not be started", failure.Message, StringComparison.Ordinal);
    }
}
