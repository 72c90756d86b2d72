using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Schedules.Tests.Infrastructure;

namespace Schedules.Tests.Operations;

/// <summary>
/// The built service started as a process with <c>Logging:Format=json</c>: each line on its console is a JSON
/// object, lines written while a request is handled carry that request's id and trace id, and no line holds a
/// password or a token.
/// </summary>
public sealed class JsonLogTests : IAsyncLifetime
{
    private const string Password = "correct-horse-battery-staple";
    private readonly string _folder =
        Path.Combine(Path.GetTempPath(), "schedules-tests", $"json-log-{Guid.NewGuid():N}");
    private readonly ConcurrentQueue<string> _lines = new();
    private Process? _service;

    [Fact]
    public async Task EveryLineIsJson_AndRequestLinesCarryTheRequestId_AndNoSecretIsWritten()
    {
        var url = await ListeningUrlAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        using var issued = await http.PostAsync("/v3/auth/tokens", Account.Json(TokenRequest(Password)));
        var token = issued.Headers.GetValues("X-Subject-Token").Single();
        using var refused = await http.PostAsync("/v3/auth/tokens", Account.Json(TokenRequest("wrong-password")));
        using var other = new HttpRequestMessage(HttpMethod.Get, "/v1.0/another-project/schedules");
        other.Headers.Add("X-Auth-Token", token);
        using var forbidden = await http.SendAsync(other);

        // The console logger writes from a queue of its own: wait for the lines before stopping the process.
        await Eventually.GetAsync(() => Task.FromResult(RequestLines().Count), count => count >= 3, "three request lines");
        await StopAsync();

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var requestLines = RequestLines();
        Assert.Equal(3, requestLines.Count);
        var requestIds = requestLines.Select(line =>
        {
            var scopes = line.GetProperty("Scopes").EnumerateArray().ToList();
            Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var trace) && trace.GetString()!.Length == 32);
            return scopes.Single(s => s.TryGetProperty("RequestId", out _)).GetProperty("RequestId").GetString();
        }).ToList();
        Assert.Equal(3, requestIds.Distinct().Count());
        Assert.DoesNotContain(_lines, line => line.Contains(Password, StringComparison.Ordinal));
        Assert.DoesNotContain(_lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    /// <summary>Every line is parsed as JSON, so a line that is not fails the test here.</summary>
    private List<JsonElement> RequestLines() =>
        [
            .. _lines.Select(line => JsonDocument.Parse(line).RootElement.Clone())
                .Where(e => e.GetProperty("EventId").GetInt32() is 2001 or 2010 or 2011),
        ];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var build = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var bin = Path.Combine(ClientProcess.RepositoryRoot, "src", "Schedules.Api", "bin", build, "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "Schedules.Api.dll", "--urls", "http://127.0.0.1:0", "--Logging:Format=json",
            $"--ConnectionStrings:Schedules=Data Source={_folder}/schedules.db", $"--Storage:Root={_folder}/storage",
            "--Identity:Users:0:Name=operator", $"--Identity:Users:0:Password={Password}",
            "--Identity:Users:0:ProjectId=project-1", "--Scheduler:Enabled=false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _service = Process.Start(start)!;
        _service.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                _lines.Enqueue(e.Data);
            }
        };
        _service.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                _lines.Enqueue(e.Data);
            }
        };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _service?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StopAsync()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill();
            await _service.WaitForExitAsync();
        }
    }

    private async Task<string> ListeningUrlAsync()
    {
        var line = await Eventually.GetAsync(
            () => Task.FromResult(_lines.FirstOrDefault(l => l.Contains("Now listening on", StringComparison.Ordinal))),
            l => l is not null || _service!.HasExited,
            "the service to listen",
            seconds: 30);
        Assert.NotNull(line);
        using var entry = JsonDocument.Parse(line);
        return entry.RootElement.GetProperty("State").GetProperty("address").GetString()!;
    }

    private static string TokenRequest(string password) => new StringBuilder()
        .Append("""{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "operator", """)
        .Append($$"""
            "domain": {"id": "default"}, "password": "{{password}}"} } } } }
            """)
        .ToString();
}
