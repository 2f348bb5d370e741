using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Templates;

/// <summary>How a value is encoded when it is put into a body of a given format.</summary>
internal static class TemplateEscaping
{
    public static string Escape(TemplateFormat format, string text) => format switch
    {
        TemplateFormat.Json => JsonContent(text),
        TemplateFormat.Xml => Xml(text),
        TemplateFormat.Form => Uri.EscapeDataString(text),
        _ => text,
    };

    /// <summary>JSON string content without the quotes: emoji and right-to-left text stay readable, controls are escaped.</summary>
    public static string JsonContent(string text)
    {
        if (!NeedsJsonEscape(text))
        {
            return text;
        }

        var encoded = JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        return encoded.ToString();
    }

    /// <summary>A complete JSON literal for a value (a string in quotes, a number, true/false or null).</summary>
    public static string JsonLiteral(object? value) => value switch
    {
        null => "null",
        // A typed field keeps its type: a valid number or boolean field is written bare, a blank one as null.
        FieldValue { IsBlank: true } => "null",
        FieldValue { Valid: true, Value: bool or int or long or decimal or double } field => JsonLiteral(field.Value),
        bool flag => flag ? "true" : "false",
        int or long or decimal or double or float or short or byte => TextTemplate.Format(value),
        _ => "\"" + JsonContent(TextTemplate.Format(value)) + "\"",
    };

    /// <summary>XML text and attribute content; characters XML 1.0 cannot hold at all (NUL, other controls, lone surrogates) are dropped.</summary>
    public static string Xml(string text)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (c is '<' or '>' or '&' or '"' or '\'' || (c < 0x20 && c is not ('\t' or '\n' or '\r')) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&apos;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[++i]);
                    }
                    else if (!char.IsSurrogate(c) && (c >= 0x20 || c is '\t' or '\n' or '\r') && c is not ('\uFFFE' or '\uFFFF'))
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private static bool NeedsJsonEscape(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c is '"' or '\\' || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }
}
