using System.Text.Json;
using Schedules;
using Schedules.Api;
using Schedules.Backups;
using Schedules.Backups.Verification;
using Schedules.Data;
using Schedules.Identity;
using Schedules.Instances;
using Schedules.OpenApi;
using Schedules.Operations;
using Schedules.Schedules;
using Schedules.Scheduling;
using Schedules.Versions;

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes);
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.DictionaryKeyPolicy = null;
});

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSchedulesDatabase(builder.Configuration);
builder.Services.AddOptions<IdentityOptions>()
    .Bind(builder.Configuration.GetSection(IdentityOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section));
builder.Services.AddOptions<RateLimitOptions>()
    .Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddOptions<QuotaOptions>()
    .Bind(builder.Configuration.GetSection(QuotaOptions.Section))
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddScoped<TokenService>();
builder.Services.AddSingleton<TenantRateLimiter>();
builder.Services.AddBackups(builder.Configuration);
builder.Services.AddScheduler(builder.Configuration);
builder.Services.AddSchedulesOpenApi();
builder.AddOperations();

var app = builder.Build();

app.UseFaults();
app.UseSchedulesOpenApi();

app.MapOperations();
app.MapVersions();
app.MapIdentity();
app.MapGroup("/v1.0/{accountId}")
    .AddEndpointFilter<TokenCheck>()
    .MapInstances()
    .MapDatabases()
    .MapUsers()
    .MapBackups()
    .MapBackupVerifications()
    .MapSchedules();

await DatabaseSetup.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);
StartupLog.Describe(app);
await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
