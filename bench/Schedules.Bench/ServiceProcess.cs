using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Schedules.Bench;

/// <summary>
/// The service as a process of its own (as deployed: SQLite, a storage folder, one connection profile), driven over
/// HTTP, with its resident memory sampled from <c>/proc</c>.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private const string Project = "bench";
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly string _folder;

    private ServiceProcess(Process process, HttpClient http, string folder)
    {
        _process = process;
        _http = http;
        _folder = folder;
    }

    public static async Task<ServiceProcess> StartAsync(string serviceDll, MariaDb server, int port)
    {
        var folder = Directory.CreateTempSubdirectory("schedules-bench-").FullName;
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(serviceDll);
        var settings = new Dictionary<string, string>
        {
            ["Urls"] = url,
            ["Database__Provider"] = "sqlite",
            ["ConnectionStrings__Schedules"] = $"Data Source={folder}/schedules.db",
            ["Storage__Root"] = $"{folder}/storage",
            ["Identity__Users__0__Name"] = "bench",
            ["Identity__Users__0__Password"] = "bench",
            ["Identity__Users__0__ProjectId"] = Project,
            ["RateLimits__Get"] = "0",
            ["Instances__Profiles__bench__Host"] = server.Host,
            ["Instances__Profiles__bench__Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["Instances__Profiles__bench__User"] = server.User,
            ["Instances__Profiles__bench__Password"] = server.Password,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var http = new HttpClient { BaseAddress = new Uri(url) };
        var service = new ServiceProcess(process, http, folder);
        await service.LogInAsync();
        return service;
    }

    public long ResidentBytes => ReadStatus("VmRSS:");

    public long PeakResidentBytes => ReadStatus("VmHWM:");

    public async Task<string> RegisterInstanceAsync()
    {
        var body = await PostAsync("instances", """
            {"instance": {"name": "bench", "flavorRef": "1", "volume": {"size": 10},
                          "datastore": {"type": "mariadb", "version": "10.11"}, "connection_profile": "bench"}}
            """);
        return body.GetProperty("instance").GetProperty("id").GetString()!;
    }

    /// <summary>Takes a full backup and waits for it; returns the seconds it took, its size, the peak memory.</summary>
    public async Task<(double Seconds, long Bytes, long PeakRss)> BackUpAsync(string instanceId)
    {
        var clock = Stopwatch.StartNew();
        var created = await PostAsync(
            "backups", $$"""{"backup": {"name": "bench", "instance": "{{instanceId}}"} }""");
        var id = created.GetProperty("backup").GetProperty("id").GetString()!;
        long peak = 0;
        while (true)
        {
            peak = Math.Max(peak, ResidentBytes);
            using var response = await _http.GetAsync(Path($"backups/{id}"));
            var backup = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("backup");
            var status = backup.GetProperty("status").GetString();
            if (status == "COMPLETED")
            {
                var seconds = clock.Elapsed.TotalSeconds;
                var bytes = (long)Math.Round(backup.GetProperty("size").GetDouble() * 1024 * 1024 * 1024);
                using var deleted = await _http.DeleteAsync(Path($"backups/{id}"));
                return (seconds, bytes, peak);
            }

            if (status == "FAILED")
            {
                throw new InvalidOperationException($"The backup failed: {backup}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Path(string rest) => $"/v1.0/{Project}/{rest}";

    private async Task LogInAsync()
    {
        var body = """
            {"auth": {"identity": {"methods": ["password"],
                      "password": {"user": {"name": "bench", "domain": {"id": "default"}, "password": "bench"}}},
                      "scope": {"project": {"id": "bench"}}}}
            """;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync("/v3/auth/tokens", content);
                response.EnsureSuccessStatusCode();
                _http.DefaultRequestHeaders.Add("X-Auth-Token", response.Headers.GetValues("X-Subject-Token").First());
                return;
            }
            catch (HttpRequestException) when (attempt < 100 && !_process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task<JsonElement> PostAsync(string rest, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(Path(rest), content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {rest}: {(int)response.StatusCode} {body}");
        }

        return body;
    }

    private long ReadStatus(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status")
            .First(l => l.StartsWith(field, StringComparison.Ordinal));
        var kilobytes = line[field.Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
