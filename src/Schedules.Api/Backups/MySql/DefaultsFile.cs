using System.Globalization;
using System.Text;
using Schedules.Instances;

namespace Schedules.Backups.MySql;

/// <summary>
/// A client option file readable by its owner only (mode 0600), which hands a profile's host, user and password
/// to the MariaDB tools through <c>--defaults-extra-file</c>: nothing secret goes on a command line. Disposing it
/// deletes it.
/// </summary>
internal sealed class DefaultsFile : IDisposable
{
    private readonly string _folder;

    private DefaultsFile(string folder, string path)
    {
        _folder = folder;
        Path = path;
    }

    public string Path { get; }

    public string Argument => $"--defaults-extra-file={Path}";

    public static DefaultsFile Write(ConnectionProfile profile)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Option files readable by their owner only need Unix modes.");
        }

        var folder = Directory.CreateTempSubdirectory("schedules-mysql-").FullName;
        var path = System.IO.Path.Combine(folder, "client.cnf");
        var text = new StringBuilder()
            .AppendLine("[client]")
            .AppendLine(CultureInfo.InvariantCulture, $"host={Quote(profile.Host)}")
            .AppendLine(CultureInfo.InvariantCulture, $"port={profile.Port}")
            .AppendLine(CultureInfo.InvariantCulture, $"user={Quote(profile.User)}")
            .AppendLine(CultureInfo.InvariantCulture, $"password={Quote(profile.ReadPassword())}")
            .ToString();
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var writer = new StreamWriter(path, new UTF8Encoding(false), options))
        {
            writer.Write(text);
        }

        return new DefaultsFile(folder, path);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Option files take double-quoted values with backslash escapes.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        + "\"";
}
