using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Schedules.Api;

namespace Schedules.Operations;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the database, the scheduler and the storage are usable;
/// otherwise 503 in the API's fault format naming what is not. <c>/metrics</c>: Prometheus text. None needs a token.
/// </summary>
internal static class OperationsEndpoints
{
    public const string ReadyTag = "ready";

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteAsync,
        }).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).ExcludeFromDescription();
        app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy)
        {
            var failing = report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy)
                .Select(entry => $"{entry.Key}: {entry.Value.Description}");
            return Fault.Unavailable($"The service is not ready ({string.Join("; ", failing)}).")
                .ExecuteAsync(context);
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        var checks = report.Entries.ToDictionary(entry => entry.Key, entry => entry.Value.Description ?? "ok");
        object body = checks.Count == 0 ? new { status = "ok" } : new { status = "ok", checks };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
