using Microsoft.Extensions.Options;
using Schedules.Data;
using Schedules.Identity;

namespace Schedules;

/// <summary>Tells an operator, once the service is listening, where things are and how to get in.</summary>
internal static partial class StartupLog
{
    public static void Describe(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Schedules");
        var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var users = app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Users;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var url = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:8779";
            LogListening(logger, url, database.Provider);
            LogSwagger(logger, url);
            if (app.Environment.IsDevelopment())
            {
                foreach (var user in users)
                {
                    LogDevelopmentUser(logger, user.Name, user.ProjectId);
                }
            }

            LogHowToGetToken(logger, url, users[0].Name, users[0].ProjectId);
        });
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Schedules is listening on {Url} with the {Provider} database")]
    private static partial void LogListening(ILogger logger, string url, string provider);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Swagger UI: {Url}/swagger")]
    private static partial void LogSwagger(ILogger logger, string url);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning,
        Message = "Development user '{UserName}' (project {ProjectId}) is configured from appsettings.Development.json; "
            + "configure your own users (Identity:Users) anywhere else")]
    private static partial void LogDevelopmentUser(ILogger logger, string userName, string projectId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "Get a token: curl -si -X POST {Url}/v3/auth/tokens -H 'Content-Type: application/json' -d "
            + "'{{\"auth\":{{\"identity\":{{\"methods\":[\"password\"],"
            + "\"password\":{{\"user\":{{\"name\":\"{UserName}\","
            + "\"domain\":{{\"id\":\"default\"}},\"password\":\"<password>\"}}}}}}}}}}' | grep -i x-subject-token "
            + "(the account id in API paths is {ProjectId})")]
    private static partial void LogHowToGetToken(ILogger logger, string url, string userName, string projectId);
}
