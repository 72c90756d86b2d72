using System.ComponentModel.DataAnnotations;

namespace Schedules.Identity;

/// <summary>The users the built-in Keystone-style identity endpoints accept.</summary>
internal sealed class IdentityOptions : IValidatableObject
{
    public const string Section = "Identity";

    public List<IdentityUser> Users { get; set; } = [];

    /// <summary>How long an issued token stays valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Users.Count == 0)
        {
            yield return new ValidationResult(
                "No users are configured: set Identity:Users:0:Name, :Password and :ProjectId.");
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Identity:TokenLifetime must be positive.");
        }

        for (var i = 0; i < Users.Count; i++)
        {
            var user = Users[i];
            if (string.IsNullOrWhiteSpace(user.Name) || string.IsNullOrEmpty(user.Password)
                || string.IsNullOrWhiteSpace(user.ProjectId))
            {
                yield return new ValidationResult($"Identity:Users:{i} needs Name, Password and ProjectId.");
            }
            else if (user.ProjectId.Length > 64 || user.ProjectId.Contains('/'))
            {
                yield return new ValidationResult(
                    $"Identity:Users:{i}:ProjectId must be at most 64 characters without '/'.");
            }
        }

        var duplicate = Users.GroupBy(u => u.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            yield return new ValidationResult($"Identity:Users names '{duplicate.Key}' more than once.");
        }
    }
}

internal sealed class IdentityUser
{
    public string Name { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Accepted in place of the password by the Rackspace API-key credential; none when empty.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The user's project (tenant), which is the account id in API paths.</summary>
    public string ProjectId { get; set; } = "";

    public string? ProjectName { get; set; }

    public override string ToString() => $"{Name} (project {ProjectId})";
}
