namespace Schedules.Identity;

/// <summary>An issued token. Only its SHA-256 hash is stored, so a database dump gives no usable token.</summary>
internal sealed class AuthToken
{
    public required string Hash { get; set; }

    public required string UserId { get; set; }

    public required string UserName { get; set; }

    public required string ProjectId { get; set; }

    public DateTime IssuedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}
