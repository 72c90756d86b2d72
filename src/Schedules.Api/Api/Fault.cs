using System.Text.Encodings.Web;
using System.Text.Json;

namespace Schedules.Api;

/// <summary>
/// A non-2xx answer in the API's own format: <c>{"badRequest": {"code": 400, "message": "..."}}</c>.
/// Every error the service returns, its own or the framework's, is written by this one type.
/// </summary>
internal sealed class Fault : IResult
{
    public const string ContentType = "application/json; charset=UTF-8";

    /// <summary>Messages quote field names; keep the quotes readable for people reading answers with curl.</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private Fault(int status, string message, int? retryAfterSeconds = null)
    {
        Status = status;
        Message = message;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public int Status { get; }

    public string Message { get; }

    public int? RetryAfterSeconds { get; }

    public string Name => NameOf(Status);

    public static Fault BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static Fault Unauthorized(string message) => new(StatusCodes.Status401Unauthorized, message);

    public static Fault Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);

    public static Fault NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static Fault OverLimit(string message, int? retryAfterSeconds = null) =>
        new(StatusCodes.Status413PayloadTooLarge, message, retryAfterSeconds);

    public static Fault BadMediaType(string message) => new(StatusCodes.Status415UnsupportedMediaType, message);

    public static Fault Unprocessable(string message) => new(StatusCodes.Status422UnprocessableEntity, message);

    public static Fault NotImplemented(string message) => new(StatusCodes.Status501NotImplemented, message);

    public static Fault Unavailable(string message) => new(StatusCodes.Status503ServiceUnavailable, message);

    public static Fault Of(int status, string message) => new(status, message);

    /// <summary>
    /// The fault name the contract gives a status; unlisted statuses fall back to the nearest family.
    /// </summary>
    public static string NameOf(int status) => status switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        413 => "overLimit",
        415 => "badMediaType",
        422 => "unprocessableEntity",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        >= 500 => "instanceFault",
        _ => "badRequest",
    };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString();
        }

        await using var writer = new Utf8JsonWriter(response.Body, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject(Name);
        writer.WriteNumber("code", Status);
        writer.WriteString("message", Message);
        if (RetryAfterSeconds is { } retryAfter)
        {
            writer.WriteString("retryAfter", retryAfter.ToString());
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
