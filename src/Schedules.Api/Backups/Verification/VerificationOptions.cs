using Microsoft.Extensions.Options;
using Schedules.Instances;

namespace Schedules.Backups.Verification;

/// <summary>Where restore checks run: a connection profile naming a server set aside for them.</summary>
internal sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>The profile of the verification server; none turns restore checks off.</summary>
    public string? Profile { get; set; }
}

/// <summary>The verification profile must be one of the configured connection profiles.</summary>
internal sealed class VerificationOptionsValidator(IOptions<InstanceOptions> instances)
    : IValidateOptions<VerificationOptions>
{
    public ValidateOptionsResult Validate(string? name, VerificationOptions options) =>
        string.IsNullOrEmpty(options.Profile) || instances.Value.Profiles.ContainsKey(options.Profile)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{VerificationOptions.Section}:Profile names '{options.Profile}', which is not one of "
                + $"{InstanceOptions.Section}:Profiles.");
}
