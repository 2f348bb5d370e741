using System.Text.Json;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// How a lead written as a structured document becomes the flat field names a <see cref="LeadSubmission"/> carries:
/// nested objects become dotted names (<c>{"address": {"city": "Austin"}}</c> → <c>address.city</c>), arrays
/// comma-separated text, <c>null</c> no value. Every front end (lead files, the HTTP intake) reads leads this way, so a
/// source's mappings and a flow's fields name nested values one way, whatever the format.
/// </summary>
public static class LeadFields
{
    /// <summary>The fields of one lead written as a JSON object.</summary>
    /// <exception cref="ArgumentException"><paramref name="lead"/> is not a JSON object.</exception>
    public static Dictionary<string, string?> FromJson(JsonElement lead)
    {
        if (lead.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A lead is a JSON object, not {KindName(lead.ValueKind)}.", nameof(lead));
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        Flatten(lead, null, fields);
        return fields;
    }

    /// <summary>The name of a JSON value's kind as a person would write it (<c>an array</c>, <c>a string</c>).</summary>
    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>The dotted name of <paramref name="name"/> inside <paramref name="prefix"/> (null at the top level).</summary>
    public static string Nested(string? prefix, string name) => prefix is null ? name : $"{prefix}.{name}";

    private static void Flatten(JsonElement element, string? prefix, Dictionary<string, string?> fields)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = Nested(prefix, property.Name);
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(property.Value, name, fields);
                    break;
                case JsonValueKind.Array:
                    fields[name] = string.Join(",", property.Value.EnumerateArray().Select(Text));
                    break;
                default:
                    fields[name] = Text(property.Value);
                    break;
            }
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
