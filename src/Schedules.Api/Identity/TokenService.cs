using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Schedules.Data;

namespace Schedules.Identity;

/// <summary>The caller a valid token stands for.</summary>
internal sealed record Caller(string UserId, string UserName, string ProjectId);

/// <summary>An issued token: its text is shown once, to the client that asked for it.</summary>
internal sealed record IssuedToken(string Text, Caller Caller, DateTime IssuedAt, DateTime ExpiresAt);

/// <summary>Checks credentials against the configured users and issues and validates tokens.</summary>
internal sealed class TokenService(
    SchedulesDbContext db,
    IOptions<IdentityOptions> options,
    TimeProvider time)
{
    public IdentityUser? FindUser(string? name, string? secret, bool apiKey = false)
    {
        var user = options.Value.Users.FirstOrDefault(u => u.Name == name);
        if (user is null || secret is null)
        {
            return null;
        }

        var expected = apiKey ? user.ApiKey : user.Password;
        return !string.IsNullOrEmpty(expected) && SecretEquals(expected, secret) ? user : null;
    }

    public async Task<IssuedToken> IssueAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var text = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var caller = new Caller(UserIdOf(user.Name), user.Name, user.ProjectId);
        var token = new AuthToken
        {
            Hash = Hash(text),
            UserId = caller.UserId,
            UserName = caller.UserName,
            ProjectId = caller.ProjectId,
            IssuedAt = now,
            ExpiresAt = now + options.Value.TokenLifetime,
        };

        // Expired tokens are of no use to anyone; issuing is rare enough to sweep them here.
        await db.Tokens.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.Tokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedToken(text, caller, token.IssuedAt, token.ExpiresAt);
    }

    public async Task<Caller?> ValidateAsync(string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 512)
        {
            return null;
        }

        var hash = Hash(text.Trim());
        var now = time.GetUtcNow().UtcDateTime;
        var token = await db.Tokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.ExpiresAt > now)
            .Select(t => new Caller(t.UserId, t.UserName, t.ProjectId))
            .FirstOrDefaultAsync(cancellationToken);
        return token;
    }

    /// <summary>A stable user id in Keystone's form (32 hex digits), derived from the configured name.</summary>
    public static string UserIdOf(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("user:" + name)))[..32];

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static bool SecretEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)),
            SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}

internal static class CallerExtensions
{
    private const string Key = "Schedules.Caller";

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;

    public static Caller Caller(this HttpContext context) =>
        context.Items[Key] as Caller ?? throw new InvalidOperationException("The endpoint has no token check.");
}
