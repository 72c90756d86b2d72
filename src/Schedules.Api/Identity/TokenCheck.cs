using Schedules.Api;

namespace Schedules.Identity;

/// <summary>
/// Guards the <c>/v1.0/{accountId}</c> routes: a valid <c>X-Auth-Token</c> (401), for the account in the path
/// (403), within the tenant's rate limit (413).
/// </summary>
internal sealed partial class TokenCheck(TokenService tokens, TenantRateLimiter limiter, ILogger<TokenCheck> logger)
    : IEndpointFilter
{
    public const string Header = "X-Auth-Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = await tokens.ValidateAsync(http.Request.Headers[Header], http.RequestAborted);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = $"Keystone uri=\"{ServiceUrls.Base(http.Request)}/v3\"";
            return Fault.Unauthorized("This server could not verify that you are authorized to access the "
                + "document you requested: give a valid X-Auth-Token.");
        }

        var accountId = http.GetRouteValue("accountId") as string;
        if (accountId is not null && accountId != caller.ProjectId)
        {
            LogForbidden(logger, caller.UserName, accountId);
            return Fault.Forbidden($"The token is not authorized for account '{JsonFields.Truncate(accountId)}'.");
        }

        var limited = limiter.TryAcquire(caller.ProjectId, http.Request.Method);
        if (limited is not null)
        {
            LogRateLimited(logger, caller.ProjectId, http.Request.Method);
            return limited;
        }

        http.SetCaller(caller);
        return await next(context);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "User {UserName} was refused account {AccountId}: the token is for another project")]
    private static partial void LogForbidden(ILogger logger, string userName, string accountId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Project {ProjectId} went over its {Method} rate limit")]
    private static partial void LogRateLimited(ILogger logger, string projectId, string method);
}
