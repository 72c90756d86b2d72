using Microsoft.Extensions.Options;

namespace Schedules.Api;

/// <summary>Options of the service as clients see it from outside.</summary>
internal sealed class ServiceOptions
{
    public const string Section = "Service";

    /// <summary>The base URL clients reach the service at; when empty, taken from each request.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The region this service answers for, as named in the service catalog.</summary>
    public string Region { get; set; } = "RegionOne";

    /// <summary>Regions a schedule may copy its backups to (<c>copy_to</c>).</summary>
    public List<string> CopyRegions { get; set; } = [];
}

/// <summary>The base URL (<c>scheme://host[:port]</c>) that links and the service catalog are built from.</summary>
internal static class ServiceUrls
{
    public static string Base(HttpRequest request)
    {
        var configured = request.HttpContext.RequestServices.GetRequiredService<IOptions<ServiceOptions>>()
            .Value.PublicUrl;
        return string.IsNullOrWhiteSpace(configured)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : configured.TrimEnd('/');
    }

    public static string Account(HttpRequest request, string accountId) => $"{Base(request)}/v1.0/{accountId}";
}
