using System.Collections;
using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>How the step's inputs read as text and as yes/no switches.</summary>
internal static class InputText
{
    /// <summary>An input value as text: a field's normal form, numbers in invariant culture, booleans as true/false.</summary>
    public static string Of(object? value) => value switch
    {
        null => "",
        string text => text,
        FieldValue field => field.Normal,
        bool flag => flag ? "true" : "false",
        DateTimeOffset instant => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => string.Join(",", list.Cast<object?>().Select(Of)),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// A yes/no input: <c>false</c> when not mapped or blank; the boolean field type's words otherwise (true/false,
    /// yes/no, y/n, t/f, 1/0, any case). Null when the text is none of those, so the step can say so.
    /// </summary>
    public static bool? Flag(IntegrationInput input, string name)
    {
        switch (input[name])
        {
            case bool flag:
                return flag;
            case FieldValue { Valid: true, Value: bool flag }:
                return flag;
        }

        return input.GetString(name)?.Trim().ToUpperInvariant() switch
        {
            null => false,
            "TRUE" or "T" or "YES" or "Y" or "1" => true,
            "FALSE" or "F" or "NO" or "N" or "0" => false,
            _ => null,
        };
    }

    /// <summary>Dot-path syntax shared by body properties and response paths: non-empty parts separated by dots.</summary>
    public static string[]? PathParts(string path)
    {
        var parts = path.Split('.');
        return parts.Any(part => part.Length == 0 || part.Trim().Length != part.Length) ? null : parts;
    }

    /// <summary>Keeps text quoted in a reason short.</summary>
    public static string Shorten(string text, int length = 200) => text.Length <= length ? text : text[..length] + "…";
}
