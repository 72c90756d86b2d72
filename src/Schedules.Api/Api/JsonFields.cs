using System.Text.Json;

namespace Schedules.Api;

/// <summary>
/// Typed reads of one field of a request object. A JSON <c>null</c> counts as absent (the Rackspace client
/// sends <c>null</c> for every option the user did not give); every fault names the field as the client sent it.
/// </summary>
internal static class JsonFields
{
    public const int MaxStringLength = 255;

    public static bool IsPresent(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static Checked<int?> Integer(JsonElement obj, string name, int min, int max, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? Missing(name) : (int?)null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number)
            || number < min || number > max)
        {
            return Fault.BadRequest($"Invalid '{name}': must be an integer from {min} to {max}.");
        }

        return number;
    }

    public static Checked<string?> String(JsonElement obj, string name, bool required, int maxLength = MaxStringLength)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? Missing(name) : (string?)null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fault.BadRequest($"Invalid '{name}': must be a string.");
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0 || text.Length > maxLength)
        {
            return Fault.BadRequest($"Invalid '{name}': must be 1 to {maxLength} characters.");
        }

        return text;
    }

    public static Checked<Guid?> Id(JsonElement obj, string name, bool required)
    {
        var text = String(obj, name, required);
        if (text.Fault is not null)
        {
            return text.Fault;
        }

        if (text.Value is null)
        {
            return (Guid?)null;
        }

        return Ids.TryParse(text.Value, out var id)
            ? id
            : Fault.BadRequest($"Invalid '{name}': '{Truncate(text.Value)}' is not a UUID.");
    }

    /// <summary>A boolean, also accepted as the strings "true" and "false" in any case.</summary>
    public static Checked<bool?> Boolean(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (bool?)null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => Fault.BadRequest($"Invalid '{name}': must be true or false."),
        };
    }

    /// <summary>A list of strings, given either as a JSON array or as one comma-separated string.</summary>
    public static Checked<IReadOnlyList<string>?> StringList(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Checked<IReadOnlyList<string>?>.Of(null);
        }

        IEnumerable<string?> items;
        if (value.ValueKind == JsonValueKind.String)
        {
            items = value.GetString()!.Split(',');
        }
        else if (value.ValueKind == JsonValueKind.Array
            && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String))
        {
            items = value.EnumerateArray().Select(item => item.GetString());
        }
        else
        {
            return Fault.BadRequest($"Invalid '{name}': must be a list of strings or a comma-separated string.");
        }

        var list = items
            .Select(item => item!.Trim())
            .Where(item => item.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (list.Any(item => item.Length > MaxStringLength))
        {
            return Fault.BadRequest($"Invalid '{name}': an item is longer than {MaxStringLength} characters.");
        }

        return Checked<IReadOnlyList<string>?>.Of(list);
    }

    /// <summary>A list of one or more objects, such as the <c>databases</c> of <c>{"databases": [{...}]}</c>.</summary>
    public static Checked<IReadOnlyList<JsonElement>> ObjectList(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value)
            || value.ValueKind == JsonValueKind.Null)
        {
            return Missing(name);
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Object))
        {
            return Fault.BadRequest($"Invalid '{name}': must be a list of one or more objects.");
        }

        return Checked<IReadOnlyList<JsonElement>>.Of([.. value.EnumerateArray()]);
    }

    /// <summary>A string as sent, not trimmed, for names whose every character counts.</summary>
    public static Checked<string?> ExactString(JsonElement obj, string name, string field, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? Missing(field) : (string?)null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            return Fault.BadRequest($"Invalid '{field}': must be a non-empty string.");
        }

        return value.GetString();
    }

    public static string Truncate(string text, int length = 64) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "...");

    private static Fault Missing(string name) => Fault.BadRequest($"Missing required field '{name}'.");
}
