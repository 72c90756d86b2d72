using System.Globalization;

namespace Schedules.Api;

/// <summary>Timestamps on the wire: UTC as <c>2014-10-30T12:30:00</c>, no zone suffix and no fractions.</summary>
internal static class Timestamps
{
    public const string Format = "yyyy-MM-ddTHH:mm:ss";

    public static string Write(DateTime utc) => utc.ToString(Format, CultureInfo.InvariantCulture);

    public static string? Write(DateTime? utc) => utc is { } value ? Write(value) : null;

    /// <summary>Keystone writes its own times with a zone designator.</summary>
    public static string WriteZulu(DateTime utc) =>
        utc.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    public static DateTime Now(this TimeProvider time) =>
        TruncateToSeconds(time.GetUtcNow().UtcDateTime);

    public static DateTime TruncateToSeconds(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
