using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Schedules.Tests.Infrastructure;

/// <summary>
/// A route that throws, placed behind the service's whole pipeline, so tests can see how the service answers
/// an unexpected exception.
/// </summary>
internal sealed class FailingRoute : IStartupFilter
{
    public const string Path = "/test/failing-route";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((HttpContext context, RequestDelegate following) => context.Request.Path == Path
            ? throw new InvalidOperationException("The failing route failed, as it was made to; secret=hunter2")
            : following(context));
    };
}
