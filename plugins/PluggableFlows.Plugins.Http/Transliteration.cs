using System.Text;
using AnyAscii;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// <c>transliterate: true</c>: values sent as ASCII (<c>Zoë Ærø</c> → <c>Zoe Aero</c>), for recipients that store only
/// ASCII or mangle anything else. Only the values change: in a pre-rendered body each non-ASCII character is replaced,
/// escaped for the body's format, so the document stays well-formed.
/// </summary>
internal static class Transliteration
{
    /// <summary>A value with its text forms in ASCII; numbers, booleans and dates are left as they are.</summary>
    public static object? Value(object? value) => value switch
    {
        string text => Text(text),
        FieldValue { Valid: true, Value: bool or double } field => field,
        FieldValue field => Text(field.Normal),
        _ => value,
    };

    /// <summary><paramref name="text"/> in ASCII.</summary>
    public static string Text(string text) => IsAscii(text) ? text : text.Transliterate();

    /// <summary>
    /// <paramref name="body"/> with each run of non-ASCII characters replaced by its ASCII form, passed through
    /// <paramref name="escape"/> (a transliteration may produce quotes or angle brackets: “ becomes ").
    /// </summary>
    public static string Body(string body, Func<string, string> escape)
    {
        if (IsAscii(body))
        {
            return body;
        }

        var written = new StringBuilder(body.Length);
        var start = 0;
        while (start < body.Length)
        {
            var end = start;
            var ascii = body[start] < 128;
            while (end < body.Length && (body[end] < 128) == ascii)
            {
                end++;
            }

            var run = body[start..end];
            written.Append(ascii ? run : escape(run.Transliterate()));
            start = end;
        }

        return written.ToString();
    }

    private static bool IsAscii(string text) => Ascii.IsValid(text);
}
