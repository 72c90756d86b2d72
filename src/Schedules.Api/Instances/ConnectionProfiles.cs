using Microsoft.Extensions.Options;

namespace Schedules.Instances;

/// <summary>
/// How the service reaches the instances it backs up: named connection profiles, so that hosts and passwords live
/// in the service's configuration and never travel through the API.
/// </summary>
internal sealed class InstanceOptions
{
    public const string Section = "Instances";

    public Dictionary<string, ConnectionProfile> Profiles { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One MySQL-family server: where it listens and the account the backup tools log in with.</summary>
internal sealed class ConnectionProfile
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 3306;

    public string User { get; set; } = "";

    public string? Password { get; set; }

    /// <summary>A file whose first line is the password, such as a mounted secret.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The password from <see cref="Password"/> or <see cref="PasswordFile"/>; empty for none.</summary>
    public string ReadPassword()
    {
        if (!string.IsNullOrEmpty(PasswordFile))
        {
            using var reader = new StreamReader(PasswordFile);
            return reader.ReadLine() ?? "";
        }

        return Password ?? "";
    }
}

/// <summary>Checks every profile at start-up, so that a wrong one stops the service with its name.</summary>
internal sealed class InstanceOptionsValidator : IValidateOptions<InstanceOptions>
{
    public ValidateOptionsResult Validate(string? name, InstanceOptions options)
    {
        var errors = new List<string>();
        foreach (var (profileName, profile) in options.Profiles)
        {
            var key = $"{InstanceOptions.Section}:Profiles:{profileName}";
            if (string.IsNullOrWhiteSpace(profile.Host))
            {
                errors.Add($"{key}:Host is required.");
            }

            if (profile.Port is < 1 or > 65535)
            {
                errors.Add($"{key}:Port must be from 1 to 65535.");
            }

            if (string.IsNullOrWhiteSpace(profile.User))
            {
                errors.Add($"{key}:User is required.");
            }

            if (!string.IsNullOrEmpty(profile.Password) && !string.IsNullOrEmpty(profile.PasswordFile))
            {
                errors.Add($"{key}: set Password or PasswordFile, not both.");
            }

            if (!string.IsNullOrEmpty(profile.PasswordFile) && !File.Exists(profile.PasswordFile))
            {
                errors.Add($"{key}:PasswordFile names a file that does not exist.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
