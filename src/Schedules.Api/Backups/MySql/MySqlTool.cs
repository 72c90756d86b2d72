using System.Diagnostics;
using System.Globalization;

namespace Schedules.Backups.MySql;

/// <summary>
/// One run of a MariaDB client tool as a child process, its standard output a stream to read and its standard
/// input one to write. A failed run throws with the tool's last line on standard error; cancelling kills it.
/// </summary>
internal sealed class MySqlTool : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _stderr;
    private readonly CancellationTokenRegistration _kill;
    private string? _lastError;

    private MySqlTool(Process process, CancellationToken cancellationToken)
    {
        _process = process;
        _stderr = ReadErrorsAsync();
        _kill = cancellationToken.Register(Kill);
    }

    public string Name => Path.GetFileName(_process.StartInfo.FileName);

    public Stream Output => _process.StandardOutput.BaseStream;

    public Stream Input => _process.StandardInput.BaseStream;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the tool; the first argument is normally the defaults file.</summary>
    public static MySqlTool Start(
        string fileName,
        IEnumerable<string> arguments,
        bool writeInput,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = writeInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)
                ?? throw new IOException($"{fileName} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"{fileName} could not be started: {e.Message}", e);
        }

        return new MySqlTool(process, cancellationToken);
    }

    /// <summary>Waits for the tool to end; throws with its last error line when it failed.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _stderr;

        // A tool killed because the backup was cancelled ended for that reason, not for its exit code.
        cancellationToken.ThrowIfCancellationRequested();
        if (_process.ExitCode != 0)
        {
            throw new IOException(_lastError
                ?? $"{Name} exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>The tool's last error line, once it has ended; a failed pipe reports this rather than EPIPE.</summary>
    public async Task<string?> LastErrorAsync()
    {
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            await _stderr;
        }
        catch (TimeoutException)
        {
            Kill();
        }

        return _lastError;
    }

    /// <summary>Runs a tool to its end and returns its whole standard output, for short queries.</summary>
    public static async Task<string> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken)
    {
        await using var tool = Start(fileName, arguments, writeInput: false, cancellationToken);
        using var reader = new StreamReader(tool.Output);
        var output = await reader.ReadToEndAsync(cancellationToken);
        await tool.WaitAsync(cancellationToken);
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        await _kill.DisposeAsync();
        Kill();
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None);
            await _stderr;
        }
        catch (InvalidOperationException)
        {
            // The process never started: nothing to wait for.
        }

        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
    }

    private async Task ReadErrorsAsync()
    {
        string? line;
        while ((line = await _process.StandardError.ReadLineAsync()) is not null)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                _lastError = line.Trim();
            }
        }
    }
}
