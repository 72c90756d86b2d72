using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Schedules.Api;

/// <summary>
/// Requests a tenant may make a minute, per HTTP method (Trove ships 200 for each); 0 turns a limit off.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [Range(0, int.MaxValue)]
    public int Get { get; set; } = 200;

    [Range(0, int.MaxValue)]
    public int Post { get; set; } = 200;

    [Range(0, int.MaxValue)]
    public int Put { get; set; } = 200;

    [Range(0, int.MaxValue)]
    public int Delete { get; set; } = 200;

    public int For(string method) => method switch
    {
        "GET" or "HEAD" => Get,
        "POST" => Post,
        "PUT" or "PATCH" => Put,
        "DELETE" => Delete,
        _ => Get,
    };
}

/// <summary>A fixed one-minute window per tenant and method, kept in this process.</summary>
internal sealed class TenantRateLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<(string Tenant, string Method)> _limiter;
    private readonly RateLimitOptions _limits;

    public TenantRateLimiter(IOptions<RateLimitOptions> options)
    {
        var limits = _limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<(string Tenant, string Method), (string, string)>(key =>
        {
            var permits = limits.For(key.Method);
            return permits == 0
                ? RateLimitPartition.GetNoLimiter(key)
                : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = Window,
                    QueueLimit = 0,
                });
        });
    }

    /// <summary>Takes one request from the tenant's allowance; a fault with Retry-After when none is left.</summary>
    public Fault? TryAcquire(string tenant, string method)
    {
        using var lease = _limiter.AttemptAcquire((tenant, method));
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : (int)Window.TotalSeconds;
        return Fault.OverLimit(
            $"This request was rate-limited: at most {_limits.For(method)} {method} requests a minute.",
            retryAfter);
    }

    public void Dispose() => _limiter.Dispose();
}
