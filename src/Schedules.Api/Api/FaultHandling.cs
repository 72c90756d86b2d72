using Microsoft.AspNetCore.Diagnostics;
using Schedules.Data;

namespace Schedules.Api;

/// <summary>
/// Gives the framework's own answers the API's fault body: unknown routes (404), wrong methods (405), other
/// empty error answers, and exceptions (503 when the database is unreachable, otherwise 500 with an error id
/// that is also logged).
/// </summary>
internal static partial class FaultHandling
{
    public static WebApplication UseFaults(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteExceptionAsync,
            StatusCodeSelector = _ => StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages(context => WriteEmptyStatusAsync(context.HttpContext));
        return app;
    }

    private static Task WriteEmptyStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => "The resource could not be found.",
            StatusCodes.Status405MethodNotAllowed =>
                $"The method {context.Request.Method} is not allowed for this resource.",
            StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
            StatusCodes.Status415UnsupportedMediaType => "The request body must be application/json.",
            _ => $"The request failed with status {status}.",
        };
        return Fault.Of(status, message).ExecuteAsync(context);
    }

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Schedules.Faults");
        context.Response.Headers.Clear();

        if (exception is BadHttpRequestException badRequest)
        {
            var fault = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Fault.OverLimit("The request body is too large.")
                : Fault.Of(badRequest.StatusCode, "The request could not be read.");
            return fault.ExecuteAsync(context);
        }

        if (exception is not null && DatabaseErrors.IsUnavailable(exception))
        {
            LogDatabaseUnavailable(logger, exception.GetType().Name, exception.Message);
            return Fault.Unavailable("The service's database cannot be reached; try again shortly.")
                .ExecuteAsync(context);
        }

        var errorId = Guid.NewGuid().ToString("N")[..12];
        LogUnhandled(logger, exception, errorId, context.Request.Method, context.Request.Path);
        return Fault.Of(
                StatusCodes.Status500InternalServerError,
                "The server has either erred or is incapable of performing the requested operation "
                + $"(error id {errorId}).")
            .ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Error {ErrorId} on {Method} {Path}")]
    private static partial void LogUnhandled(
        ILogger logger,
        Exception? exception,
        string errorId,
        string method,
        string path);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "The database is unavailable ({ExceptionType}: {Reason}); answered 503")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string exceptionType, string reason);
}
