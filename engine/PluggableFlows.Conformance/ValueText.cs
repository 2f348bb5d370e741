using System.Collections;
using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

/// <summary>Appended values as text: how samples state expected values, and how calls are compared.</summary>
internal static class ValueText
{
    public static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        FieldValue field => field.Normal,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IDictionary dictionary => "{" + string.Join(", ", dictionary.Keys.Cast<object>()
            .Select(key => (Key: Format(key), Value: Format(dictionary[key])))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => $"{entry.Key}: {entry.Value}")) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Finds an appended value by its exact key, else by a dotted path into nested dictionaries.</summary>
    public static bool TryResolve(IReadOnlyDictionary<string, object?> appended, string name, out object? value)
    {
        if (appended.TryGetValue(name, out value))
        {
            return true;
        }

        object? current = appended;
        foreach (var part in name.Split('.'))
        {
            switch (current)
            {
                case IReadOnlyDictionary<string, object?> typed when typed.TryGetValue(part, out var next):
                    current = next;
                    break;
                case IDictionary untyped when untyped.Contains(part):
                    current = untyped[part];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        value = current;
        return true;
    }

    public static string Quote(string? text) => text is null ? "(none)" : $"'{text}'";
}
