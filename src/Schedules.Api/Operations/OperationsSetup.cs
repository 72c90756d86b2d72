using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Schedules.Operations;

/// <summary>Health and readiness checks, OpenTelemetry metrics for Prometheus, and the log format.</summary>
internal static class OperationsSetup
{
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoggingOptions>()
            .Bind(builder.Configuration.GetSection(LoggingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var logging = builder.Configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new();
        if (logging.Format == LoggingOptions.Json)
        {
            // Every line carries the scopes ASP.NET Core opens per request: RequestId, RequestPath and TraceId.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("schedules"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(ServiceMetrics.MeterName)
                .AddPrometheusExporter());
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", tags: [OperationsEndpoints.ReadyTag])
            .AddCheck<SchedulerReadiness>("scheduler", tags: [OperationsEndpoints.ReadyTag])
            .AddCheck<StorageReadiness>("storage", tags: [OperationsEndpoints.ReadyTag]);
        return builder;
    }
}
