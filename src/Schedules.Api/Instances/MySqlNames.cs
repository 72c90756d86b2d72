using System.Net;
using System.Text.RegularExpressions;

namespace Schedules.Instances;

/// <summary>
/// What Trove accepts as MySQL database names, user names, passwords, hosts, character sets and collations. Each
/// check returns null for a good value, or what is wrong with it, to follow the field's name in a fault.
/// </summary>
internal static partial class MySqlNames
{
    public const int MaxDatabaseLength = 64;
    public const int MaxUserLength = 32;
    public const int MaxPasswordLength = 255;
    public const string AnyHost = "%";
    public const string DefaultCharacterSet = "utf8";
    public const string DefaultCollation = "utf8_general_ci";

    /// <summary>Trove's default <c>ignore_dbs</c>: the server's own schemas, which no user creates or drops.</summary>
    public static readonly IReadOnlySet<string> ReservedDatabases =
        new HashSet<string>(StringComparer.Ordinal) { "mysql", "information_schema", "performance_schema", "sys" };

    /// <summary>Trove's default <c>ignore_users</c>.</summary>
    public static readonly IReadOnlySet<string> ReservedUsers =
        new HashSet<string>(StringComparer.Ordinal) { "root", "os_admin" };

    /// <summary>MySQL's character sets, each with its default collation (<c>SHOW CHARACTER SET</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> CharacterSets = new Dictionary<string, string>
    {
        ["armscii8"] = "armscii8_general_ci", ["ascii"] = "ascii_general_ci", ["big5"] = "big5_chinese_ci",
        ["binary"] = "binary", ["cp1250"] = "cp1250_general_ci", ["cp1251"] = "cp1251_general_ci",
        ["cp1256"] = "cp1256_general_ci", ["cp1257"] = "cp1257_general_ci", ["cp850"] = "cp850_general_ci",
        ["cp852"] = "cp852_general_ci", ["cp866"] = "cp866_general_ci", ["cp932"] = "cp932_japanese_ci",
        ["dec8"] = "dec8_swedish_ci", ["eucjpms"] = "eucjpms_japanese_ci", ["euckr"] = "euckr_korean_ci",
        ["gb18030"] = "gb18030_chinese_ci", ["gb2312"] = "gb2312_chinese_ci", ["gbk"] = "gbk_chinese_ci",
        ["geostd8"] = "geostd8_general_ci", ["greek"] = "greek_general_ci", ["hebrew"] = "hebrew_general_ci",
        ["hp8"] = "hp8_english_ci", ["keybcs2"] = "keybcs2_general_ci", ["koi8r"] = "koi8r_general_ci",
        ["koi8u"] = "koi8u_general_ci", ["latin1"] = "latin1_swedish_ci", ["latin2"] = "latin2_general_ci",
        ["latin5"] = "latin5_turkish_ci", ["latin7"] = "latin7_general_ci", ["macce"] = "macce_general_ci",
        ["macroman"] = "macroman_general_ci", ["sjis"] = "sjis_japanese_ci", ["swe7"] = "swe7_swedish_ci",
        ["tis620"] = "tis620_thai_ci", ["ucs2"] = "ucs2_general_ci", ["ujis"] = "ujis_japanese_ci",
        ["utf16"] = "utf16_general_ci", ["utf16le"] = "utf16le_general_ci", ["utf32"] = "utf32_general_ci",
        ["utf8"] = "utf8_general_ci", ["utf8mb3"] = "utf8mb3_general_ci", ["utf8mb4"] = "utf8mb4_general_ci",
    };

    public static string? DatabaseProblem(string name)
    {
        if (name.Length > MaxDatabaseLength)
        {
            return $"is longer than {MaxDatabaseLength} characters";
        }

        if (!DatabasePattern().IsMatch(name))
        {
            return "is not a valid database name: letters, digits, '_' and '-', at least two of them, with spaces, "
                + "'?', '#' or '@' only in between";
        }

        return null;
    }

    public static string? UserProblem(string name)
    {
        if (name.Length > MaxUserLength)
        {
            return $"is longer than {MaxUserLength} characters";
        }

        return IsPlainString(name)
            ? null
            : "is not a valid user name: no spaces at either end, and none of ' \" ; ` , / \\ or control characters";
    }

    public static string? PasswordProblem(string password)
    {
        if (password.Length > MaxPasswordLength)
        {
            return $"is longer than {MaxPasswordLength} characters";
        }

        return IsPlainString(password)
            ? null
            : "is not a valid password: no spaces at either end, and none of ' \" ; ` , / \\ or control characters";
    }

    /// <summary><c>%</c>, or an IP address or network in which <c>%</c> stands for a part, as Trove requires.</summary>
    public static string? HostProblem(string host)
    {
        if (host == AnyHost)
        {
            return null;
        }

        var text = host.Replace('%', '1');
        var address = text.Split('/', 2)[0];
        var valid = address.Contains(':')
            ? IPAddress.TryParse(address, out _)
            : address.Split('.').Length == 4 && IPAddress.TryParse(address, out _);
        if (valid && text.Contains('/'))
        {
            var prefix = text.Split('/', 2)[1];
            var bits = address.Contains(':') ? 128 : 32;
            valid = int.TryParse(prefix, out var length) && length >= 0 && length <= bits;
        }

        return valid ? null : "is not a valid host: give '%' or an IP address or network, with '%' as a wildcard";
    }

    /// <summary>
    /// The character set and collation to create a database with: each defaults from the other, as in MySQL, and
    /// both from <see cref="DefaultCharacterSet"/>. Returns the fault's field and its problem when they do not fit.
    /// </summary>
    public static (string CharacterSet, string Collate, string? Field, string? Problem) CharacterSetAndCollation(
        string? characterSet,
        string? collate)
    {
        if (characterSet is not null && !CharacterSets.ContainsKey(characterSet))
        {
            return ("", "", "character_set", $"'{characterSet}' is not a MySQL character set");
        }

        if (collate is null)
        {
            var set = characterSet ?? DefaultCharacterSet;
            return (set, CharacterSets[set], null, null);
        }

        var ofCollation = collate == "binary" ? "binary" : collate.Split('_', 2)[0];
        if (!CollationPattern().IsMatch(collate) || !CharacterSets.ContainsKey(ofCollation))
        {
            return ("", "", "collate", $"'{collate}' is not a MySQL collation");
        }

        if (characterSet is not null && characterSet != ofCollation)
        {
            return ("", "", "collate", $"'{collate}' is not a collation of character set '{characterSet}'");
        }

        return (ofCollation, collate, null, null);
    }

    private static bool IsPlainString(string value) =>
        value.Length > 0 && !UnsupportedCharacters().IsMatch(value) && !value.Any(char.IsControl);

    [GeneratedRegex(@"^[A-Za-z0-9_-]+[ ?#@]*[A-Za-z0-9_-]+\z")]
    private static partial Regex DatabasePattern();

    [GeneratedRegex(@"^\s|\s\z|['"";`,/\\]")]
    private static partial Regex UnsupportedCharacters();

    [GeneratedRegex(@"^[a-z0-9_]{1,64}\z")]
    private static partial Regex CollationPattern();
}
