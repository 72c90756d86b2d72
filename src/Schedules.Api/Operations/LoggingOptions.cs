using System.ComponentModel.DataAnnotations;

namespace Schedules.Operations;

/// <summary>How log lines are written to the console.</summary>
internal sealed class LoggingOptions
{
    public const string Section = "Logging";
    public const string Text = "text";
    public const string Json = "json";

    /// <summary><c>text</c> (the default) or <c>json</c>: one JSON object a line, with the request's scope.</summary>
    [Required]
    [RegularExpression("^(text|json)$", ErrorMessage = "Logging:Format must be 'text' or 'json'.")]
    public string Format { get; set; } = Text;
}
