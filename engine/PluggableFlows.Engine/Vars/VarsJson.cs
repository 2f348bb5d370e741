using System.Collections;
using System.Globalization;
using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Vars;

/// <summary>Writes vars values (appended data, field values) as JSON, masking secrets.</summary>
public static class VarsJson
{
    /// <summary>Field types whose values never leave the engine unmasked.</summary>
    public static bool IsSecretType(string type) =>
        string.Equals(type, "ssn", StringComparison.OrdinalIgnoreCase) || string.Equals(type, "credential", StringComparison.OrdinalIgnoreCase);

    /// <summary>The text of a secret value as shown anywhere outside the engine: <c>***</c> and, for an SSN, its last four.</summary>
    public static string Mask(FieldValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Equals(value.Type, "ssn", StringComparison.OrdinalIgnoreCase) && value.Normal.Length >= 4 && value.Valid
            ? "***-**-" + value.Normal[^4..]
            : "***";
    }

    /// <summary>Writes one value: a field as its normal form (masked when secret), dictionaries as objects, lists as arrays.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case FieldValue field:
                writer.WriteStringValue(IsSecretType(field.Type) ? Mask(field) : field.Normal);
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTimeOffset instant:
                writer.WriteStringValue(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
