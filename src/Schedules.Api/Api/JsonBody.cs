using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Schedules.Api;

/// <summary>
/// Reads a request body as JSON with the contract's limits: JSON only (415), at most 64 KiB (413), well formed
/// (400), and wrapped in the resource's envelope, such as <c>{"schedule": {...}}</c>.
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static async Task<Checked<JsonElement>> ReadEnvelopeAsync(
        HttpRequest request,
        string envelope,
        CancellationToken cancellationToken)
    {
        var document = await ReadAsync(request, cancellationToken);
        if (document.Fault is not null)
        {
            return document.Fault;
        }

        var root = document.Value;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty(envelope, out var inner)
            || inner.ValueKind != JsonValueKind.Object)
        {
            return Fault.BadRequest($"The request body must be a JSON object with a '{envelope}' object.");
        }

        return inner;
    }

    public static async Task<Checked<JsonElement>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return Fault.BadMediaType(
                $"Unsupported media type '{request.ContentType}': the request body must be application/json.");
        }

        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = MaxBytes;
        }

        byte[] bytes;
        try
        {
            bytes = await ReadCappedAsync(request.Body, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        if (bytes.Length > MaxBytes)
        {
            return TooLarge();
        }

        if (bytes.Length == 0)
        {
            return Fault.BadRequest("The request body is empty; a JSON object is required.");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, DocumentOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            return Fault.BadRequest($"The request body is not valid JSON{where}.");
        }
    }

    /// <summary>A missing content type is taken as JSON, as curl scripts of the original service omit it.</summary>
    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<byte[]> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    private static Fault TooLarge() =>
        Fault.OverLimit($"The request body is larger than the limit of {MaxBytes / 1024} KiB.");
}
