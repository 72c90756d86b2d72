using System.Diagnostics;

namespace Schedules.Tests.Infrastructure;

/// <summary>Runs a client program to its end and keeps what it wrote.</summary>
public sealed record ClientProcess(int ExitCode, string Output, string Error)
{
    public static readonly string RepositoryRoot = FindRoot();

    public static async Task<ClientProcess> RunAsync(
        string program,
        IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Clients read OS_* settings from the environment: only the test's own may reach them.
        var inherited = start.Environment.Keys.Where(key => key.StartsWith("OS_", StringComparison.Ordinal));
        foreach (var key in inherited.ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not end in time: {await error}");
        }

        return new ClientProcess(process.ExitCode, await output, await error);
    }

    /// <summary>Asserts a zero exit code, showing what the client wrote when it is not.</summary>
    public ClientProcess Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}");
        return this;
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Schedules.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Schedules.sln not found above the tests.");
    }
}
