using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// Writes a <see cref="FieldValue"/> as one JSON object: <c>type</c>, <c>raw</c>, <c>normal</c>, <c>valid</c>,
/// then each component under its own snake_case key. <c>normal</c> is a JSON number for a valid number, true or
/// false for a valid boolean, null when blank and a string otherwise. This is what <c>pflow types parse</c> prints.
/// </summary>
public static class FieldValueJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes <paramref name="value"/> as one object.</summary>
    public static void Write(Utf8JsonWriter writer, FieldValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        writer.WriteString("raw", value.Raw);
        writer.WritePropertyName("normal");
        if (value.IsBlank)
        {
            writer.WriteNullValue();
        }
        else
        {
            VarsJson.WriteValue(writer, value.Value is double or bool ? value.Value : value.Normal);
        }

        writer.WriteBoolean("valid", value.Valid);
        foreach (var (name, component) in value.Components)
        {
            // A component named like one of the four keys above (a phone's `type` hint) is prefixed with the
            // field type, so the object never carries a key twice: "phone_type".
            writer.WritePropertyName(name is "type" or "raw" or "normal" or "valid" ? $"{value.Type}_{name}" : name);
            VarsJson.WriteValue(writer, component);
        }

        writer.WriteEndObject();
    }

    /// <summary>The compact, one-line JSON of <paramref name="value"/>; non-ASCII text stays readable.</summary>
    public static string ToJson(FieldValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

}
