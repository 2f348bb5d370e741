using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// A step's rendered inputs as JSON that reads back to the same values, so a retry sends what the first attempt sent:
/// a field value is written as <c>{ "$field": type, "raw": text }</c> and parsed again by its type; instants and
/// dates are tagged too; maps, lists, text, numbers and booleans are plain JSON.
/// </summary>
public static class InputsJson
{
    /// <summary>The inputs as JSON.</summary>
    public static string Write(IReadOnlyDictionary<string, object?> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, LeadJson.WriterOptions))
        {
            WriteValue(writer, inputs);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>The inputs <see cref="Write"/> wrote, field values parsed again by <paramref name="types"/>.</summary>
    public static Dictionary<string, object?> Read(string json, FieldTypeRegistry types)
    {
        ArgumentNullException.ThrowIfNull(types);
        using var document = JsonDocument.Parse(json);
        return ReadValue(document.RootElement, types) as Dictionary<string, object?>
            ?? throw new FormatException("Stored inputs are not a JSON object.");
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
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
                writer.WriteStartObject();
                writer.WriteString("$field", field.Type);
                writer.WriteString("raw", field.Raw);
                writer.WriteEndObject();
                break;
            case DateTimeOffset instant:
                writer.WriteStartObject();
                writer.WriteString("$instant", instant.ToString("O", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                break;
            case DateOnly date:
                writer.WriteStartObject();
                writer.WriteString("$date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                break;
            case int or long or short or byte or uint or ushort or sbyte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
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

    private static object? ReadValue(JsonElement element, FieldTypeRegistry types)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return element.TryGetInt64(out var whole) ? whole : element.GetDecimal();
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(item => ReadValue(item, types)).ToList();
            case JsonValueKind.Object:
                if (element.TryGetProperty("$field", out var type))
                {
                    return types.Get(type.GetString()!).Parse(element.GetProperty("raw").GetString() ?? "");
                }

                if (element.TryGetProperty("$instant", out var instant))
                {
                    return DateTimeOffset.Parse(instant.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                }

                if (element.TryGetProperty("$date", out var date))
                {
                    return DateOnly.ParseExact(date.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                }

                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = ReadValue(property.Value, types);
                }

                return map;
            default:
                return null;
        }
    }
}
