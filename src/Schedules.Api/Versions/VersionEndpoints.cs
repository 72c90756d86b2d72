using Schedules.Api;
using Schedules.Identity;

namespace Schedules.Versions;

/// <summary>The API's version documents: <c>GET /</c> without a token, <c>GET /v1.0/</c> with one.</summary>
internal static class VersionEndpoints
{
    public static IEndpointRouteBuilder MapVersions(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", ListVersions)
            .WithTags("Versions")
            .WithSummary("List API versions");
        routes.MapGet("/v1.0/", ShowVersion)
            .AddEndpointFilter<TokenCheck>()
            .WithTags("Versions")
            .WithSummary("Show the v1.0 version");
        return routes;
    }

    private static IResult ListVersions(HttpRequest request) =>
        Results.Json(new { versions = new[] { Version(request) } });

    private static IResult ShowVersion(HttpRequest request) =>
        Results.Json(new { version = Version(request) });

    private static object Version(HttpRequest request) => new
    {
        id = "v1.0",
        links = new[] { new { href = $"{ServiceUrls.Base(request)}/v1.0/", rel = "self" } },
        status = "CURRENT",
        updated = "2012-01-01T00:00:00Z",
    };
}
