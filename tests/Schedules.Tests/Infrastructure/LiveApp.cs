using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Schedules.Identity;

namespace Schedules.Tests.Infrastructure;

/// <summary>
/// The service listening on a free loopback port for clients run as processes (python-troveclient, the openstack
/// CLI, Chromium), on SQLite, with its fake clock set to the real time so that clients accept its tokens' expiry.
/// Each test takes users of its own (<see cref="NewUser"/>), so no test sees another's data.
/// </summary>
public sealed class LiveApp : SchedulesApp
{
    private const int UserCount = 16;
    private int _usersTaken;

    public LiveApp()
        : base("sqlite", Users())
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The listening address, as <c>http://127.0.0.1:port</c>, without a final slash.</summary>
    public string Url { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Time.SetUtcNow(DateTimeOffset.UtcNow);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        Url = addresses.Addresses.Single().TrimEnd('/');
    }

    /// <summary>A configured user of a project of its own, with a token, for the test's own HTTP calls.</summary>
    public async Task<LiveUser> NewUser()
    {
        var n = Interlocked.Increment(ref _usersTaken);
        Assert.True(n <= UserCount, $"{nameof(LiveApp)} configures {UserCount} users; give it more.");
        var name = $"client{n}";
        using var scope = Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<TokenService>();
        var user = tokens.FindUser(name, Password(n))!;
        var issued = await tokens.IssueAsync(user, CancellationToken.None);
        return new LiveUser(name, Password(n), user.ProjectId, new Account(this, user.ProjectId, issued.Text));
    }

    private static string Password(int n) => $"secret-{n}";

    private static Dictionary<string, string?> Users()
    {
        var settings = new Dictionary<string, string?>();
        for (var n = 1; n <= UserCount; n++)
        {
            settings[$"Identity:Users:{n}:Name"] = $"client{n}";
            settings[$"Identity:Users:{n}:Password"] = Password(n);
            settings[$"Identity:Users:{n}:ProjectId"] = Guid.NewGuid().ToString("N");
        }

        return settings;
    }
}

/// <summary>A user of <see cref="LiveApp"/>: the credentials a client logs in with, and its own account.</summary>
public sealed record LiveUser(string Name, string Password, string ProjectId, Account Account);

[CollectionDefinition(Name)]
public sealed class OnLiveService : ICollectionFixture<LiveApp>
{
    public const string Name = "live";
}
