namespace Schedules.Api;

/// <summary>Ids on the wire are lower-case UUID strings.</summary>
internal static class Ids
{
    public static string Format(Guid id) => id.ToString("D");

    public static bool TryParse(string? text, out Guid id) =>
        Guid.TryParseExact(text?.Trim(), "D", out id);
}
