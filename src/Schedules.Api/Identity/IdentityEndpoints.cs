using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Schedules.Api;
using Schedules.OpenApi;

namespace Schedules.Identity;

/// <summary>
/// Keystone v2.0 and v3 token issue, enough for OpenStack and Rackspace clients to log in and find the
/// <c>database</c> endpoint in the service catalog.
/// </summary>
internal static partial class IdentityEndpoints
{
    private static readonly string[] PasswordMethod = ["password"];
    private static readonly string[] Interfaces = ["public", "internal", "admin"];

    /// <summary>
    /// Keystone's bodies mix naming styles (<c>serviceCatalog</c>, <c>publicURL</c>, <c>expires_at</c>):
    /// keep names as written.
    /// </summary>
    private static readonly JsonSerializerOptions KeystoneJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
    };

    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder routes)
    {
        var identity = routes.MapGroup("").WithTags("Identity");
        identity.MapPost("/v2.0/tokens", IssueV2)
            .WithSummary("Get a token (Keystone v2.0): the token is access.token.id")
            .Accepts<JsonObject>("application/json")
            .WithMetadata(new RequestExample(Examples.TokenV2));
        identity.MapPost("/v3/auth/tokens", IssueV3)
            .WithSummary("Get a token (Keystone v3): the token is the X-Subject-Token header")
            .Accepts<JsonObject>("application/json")
            .WithMetadata(new RequestExample(Examples.TokenV3));
        identity.MapGet("/v2.0", VersionV2).WithSummary("Identity v2.0 version document");
        identity.MapGet("/v3", VersionV3).WithSummary("Identity v3 version document");
        return routes;
    }

    /// <summary>
    /// Accepts <c>passwordCredentials</c> and the Rackspace <c>RAX-KSKEY:apiKeyCredentials</c>; a
    /// <c>tenantId</c> or <c>tenantName</c>, when given, must be the user's own project.
    /// </summary>
    private static async Task<IResult> IssueV2(
        HttpRequest request,
        TokenService tokens,
        IOptions<ServiceOptions> service,
        ILogger<TokenService> logger,
        CancellationToken cancellationToken)
    {
        var auth = await JsonBody.ReadEnvelopeAsync(request, "auth", cancellationToken);
        if (auth.Fault is not null)
        {
            return auth.Fault;
        }

        var body = auth.Value;
        IdentityUser? user;
        if (body.TryGetProperty("passwordCredentials", out var password) && password.ValueKind == JsonValueKind.Object)
        {
            user = tokens.FindUser(Text(password, "username"), Text(password, "password"));
        }
        else if (body.TryGetProperty("RAX-KSKEY:apiKeyCredentials", out var apiKey)
            && apiKey.ValueKind == JsonValueKind.Object)
        {
            user = tokens.FindUser(Text(apiKey, "username"), Text(apiKey, "apiKey"), apiKey: true);
        }
        else
        {
            return Fault.BadRequest("Invalid 'auth': give 'passwordCredentials' or 'RAX-KSKEY:apiKeyCredentials'.");
        }

        var tenant = Text(body, "tenantId") ?? Text(body, "tenantName");
        if (user is null || (tenant is not null && tenant != user.ProjectId && tenant != user.ProjectName))
        {
            LogRefused(logger, "v2.0");
            return Fault.Unauthorized("The request you have made requires authentication.");
        }

        var issued = await tokens.IssueAsync(user, cancellationToken);
        LogIssued(logger, user.Name, user.ProjectId);
        var endpoint = ServiceUrls.Account(request, user.ProjectId);
        var projectName = user.ProjectName ?? user.ProjectId;
        return Results.Json(new
        {
            access = new
            {
                token = new
                {
                    id = issued.Text,
                    issued_at = Timestamps.WriteZulu(issued.IssuedAt),
                    expires = Timestamps.WriteZulu(issued.ExpiresAt),
                    tenant = new { id = user.ProjectId, name = projectName, enabled = true },
                },
                serviceCatalog = new[]
                {
                    new
                    {
                        type = "database",
                        name = "cloudDatabases",
                        endpoints = new[]
                        {
                            new
                            {
                                region = service.Value.Region,
                                tenantId = user.ProjectId,
                                publicURL = endpoint,
                                internalURL = endpoint,
                                adminURL = endpoint,
                            },
                        },
                        endpoints_links = Array.Empty<object>(),
                    },
                },
                user = new
                {
                    id = issued.Caller.UserId,
                    name = user.Name,
                    username = user.Name,
                    roles = new[] { new { name = "member" } },
                    roles_links = Array.Empty<object>(),
                },
                metadata = new { is_admin = 0, roles = Array.Empty<string>() },
            },
        },
        KeystoneJson);
    }

    /// <summary>
    /// The <c>password</c> method with the user named or given by id; a project scope, when given, must be the
    /// user's own project. The token travels in the <c>X-Subject-Token</c> header, as Keystone sends it.
    /// </summary>
    private static async Task<IResult> IssueV3(
        HttpRequest request,
        HttpResponse response,
        TokenService tokens,
        IOptions<IdentityOptions> identity,
        IOptions<ServiceOptions> service,
        ILogger<TokenService> logger,
        CancellationToken cancellationToken)
    {
        var auth = await JsonBody.ReadEnvelopeAsync(request, "auth", cancellationToken);
        if (auth.Fault is not null)
        {
            return auth.Fault;
        }

        if (!auth.Value.TryGetProperty("identity", out var identityPart)
            || !identityPart.TryGetProperty("password", out var password)
            || !password.TryGetProperty("user", out var userPart)
            || userPart.ValueKind != JsonValueKind.Object)
        {
            return Fault.BadRequest("Invalid 'auth.identity': only the 'password' method with a 'user' is supported.");
        }

        var name = Text(userPart, "name")
            ?? identity.Value.Users.FirstOrDefault(u => TokenService.UserIdOf(u.Name) == Text(userPart, "id"))?.Name;
        var user = tokens.FindUser(name, Text(userPart, "password"));
        var project = auth.Value.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.Object
            && scope.TryGetProperty("project", out var projectPart) && projectPart.ValueKind == JsonValueKind.Object
            ? Text(projectPart, "id") ?? Text(projectPart, "name")
            : null;
        if (user is null || (project is not null && project != user.ProjectId && project != user.ProjectName))
        {
            LogRefused(logger, "v3");
            return Fault.Unauthorized("The request you have made requires authentication.");
        }

        var issued = await tokens.IssueAsync(user, cancellationToken);
        LogIssued(logger, user.Name, user.ProjectId);
        response.Headers["X-Subject-Token"] = issued.Text;
        var endpoint = ServiceUrls.Account(request, user.ProjectId);
        var region = service.Value.Region;
        var domain = new { id = "default", name = "Default" };
        return Results.Json(
            new
            {
                token = new
                {
                    methods = PasswordMethod,
                    user = new
                    {
                        domain,
                        id = issued.Caller.UserId,
                        name = user.Name,
                        password_expires_at = (string?)null,
                    },
                    audit_ids = new[] { issued.Text[..22] },
                    issued_at = Timestamps.WriteZulu(issued.IssuedAt),
                    expires_at = Timestamps.WriteZulu(issued.ExpiresAt),
                    project = new { domain, id = user.ProjectId, name = user.ProjectName ?? user.ProjectId },
                    is_domain = false,
                    roles = new[] { new { id = "member", name = "member" } },
                    catalog = new[]
                    {
                        new
                        {
                            id = "database",
                            type = "database",
                            name = "trove",
                            endpoints = Interfaces.Select(face => new
                            {
                                id = $"database-{face}",
                                @interface = face,
                                region,
                                region_id = region,
                                url = endpoint,
                            }),
                        },
                    },
                },
            },
            KeystoneJson,
            statusCode: StatusCodes.Status201Created);
    }

    private static IResult VersionV2(HttpRequest request) => Results.Json(new
    {
        version = IdentityVersion(request, "v2.0", "deprecated", "application/vnd.openstack.identity-v2.0+json"),
    });

    private static IResult VersionV3(HttpRequest request) => Results.Json(new
    {
        version = IdentityVersion(request, "v3.14", "stable", "application/vnd.openstack.identity-v3+json"),
    });

    private static object IdentityVersion(HttpRequest request, string id, string status, string mediaType) => new
    {
        id,
        status,
        updated = "2020-04-07T00:00:00Z",
        links = new[] { new { rel = "self", href = $"{ServiceUrls.Base(request)}/{(id == "v2.0" ? "v2.0" : "v3")}/" } },
        media_types = new[] { new { @base = "application/json", type = mediaType } },
    };

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Issued a token to {UserName} for project {ProjectId}")]
    private static partial void LogIssued(ILogger logger, string userName, string projectId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Refused a {Version} token request: bad credentials or scope")]
    private static partial void LogRefused(ILogger logger, string version);
}
