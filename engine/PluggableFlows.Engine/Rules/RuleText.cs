using System.Collections;
using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules;

/// <summary>Values as text for traces and rendered templates. Only used when tracing or rendering, never on the
/// allocation-free path.</summary>
internal static class RuleText
{
    /// <summary>The value as text, or null when it is blank.</summary>
    public static string? Of(object? value)
    {
        var text = value switch
        {
            null => null,
            FieldValue field => field.IsBlank ? null : field.Normal,
            string s => s,
            bool b => b ? "true" : "false",
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
            DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => p.Key + ": " + Of(p.Value))) + "}",
            IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Of)),
            _ => value.ToString(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>
    /// The value as a trace shows it. ssn values show only their last four characters and credentials nothing, so
    /// a trace stored with an event never leaks them. <paramref name="declaredType"/> is the type of the lead field
    /// the path reads, so a component of an ssn (<c>lead.ssn.raw</c>) is masked too.
    /// </summary>
    public static string? Masked(object? value, string? declaredType)
    {
        var text = Of(value);
        if (text is null)
        {
            return null;
        }

        var type = (value as FieldValue)?.Type ?? declaredType;
        return type switch
        {
            "credential" => "***",
            "ssn" => text.Length >= 4 ? "***" + text[^4..] : "***",
            _ => text,
        };
    }
}
