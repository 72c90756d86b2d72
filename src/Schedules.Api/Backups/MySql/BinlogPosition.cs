using System.Globalization;
using System.Text.RegularExpressions;

namespace Schedules.Backups.MySql;

/// <summary>A place in a server's binary log: the file and the byte offset of the next event in it.</summary>
internal sealed partial record BinlogPosition(string File, long Position)
{
    public override string ToString() => $"{File}:{Position.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads the commented <c>CHANGE MASTER TO</c> line that <c>--master-data=2</c> writes.</summary>
    public static BinlogPosition? FromChangeMaster(string text)
    {
        var match = ChangeMaster().Match(text);
        return match.Success
            ? new BinlogPosition(
                match.Groups["file"].Value,
                long.Parse(match.Groups["pos"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"MASTER_LOG_FILE='(?<file>[^']+)',\s*MASTER_LOG_POS=(?<pos>\d+)")]
    private static partial Regex ChangeMaster();
}
