namespace PluggableFlows.Sdk;

/// <summary>
/// One typed lead value: what was sent (<see cref="Raw"/>), its standard form (<see cref="Normal"/>),
/// whether it parsed as its type (<see cref="Valid"/>) and its type's components (a phone's <c>area</c>,
/// an email's <c>domain</c>). An invalid value is still a value: rules decide what to do with it.
/// </summary>
public sealed class FieldValue
{
    private static readonly IReadOnlyDictionary<string, object?> NoComponents =
        new Dictionary<string, object?>(0, StringComparer.Ordinal);

    /// <summary>Creates a value.</summary>
    /// <param name="type">The field type name.</param>
    /// <param name="raw">What was sent.</param>
    /// <param name="normal">The standard form as text (the raw text, trimmed, when invalid).</param>
    /// <param name="value">The typed standard value: <see cref="double"/> for numbers, <see cref="bool"/>,
    /// <see cref="DateOnly"/>, <see cref="DateTimeOffset"/> or <see cref="string"/>; null when invalid or blank.</param>
    /// <param name="valid">Whether the text parsed as the type.</param>
    /// <param name="components">Type-specific parts, keyed by snake_case name.</param>
    public FieldValue(string type, string raw, string normal, object? value, bool valid,
        IReadOnlyDictionary<string, object?>? components = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(normal);
        Type = type;
        Raw = raw;
        Normal = normal;
        Value = value;
        Valid = valid;
        IsBlank = string.IsNullOrWhiteSpace(raw);
        Components = components ?? NoComponents;
    }

    /// <summary>The field type name (<c>phone</c>, <c>email</c>, ...).</summary>
    public string Type { get; }

    /// <summary>Exactly what was sent.</summary>
    public string Raw { get; }

    /// <summary>The standard form used in rules and sent by default.</summary>
    public string Normal { get; }

    /// <summary>The typed standard value, or null when the value is blank or invalid.</summary>
    public object? Value { get; }

    /// <summary>Whether <see cref="Raw"/> parsed as <see cref="Type"/>.</summary>
    public bool Valid { get; }

    /// <summary>Type-specific parts (snake_case keys).</summary>
    public IReadOnlyDictionary<string, object?> Components { get; }

    /// <summary>True when nothing but white space was sent.</summary>
    public bool IsBlank { get; }

    /// <summary>Reads one component, or null when the type has no such component.</summary>
    public object? this[string component] => Components.TryGetValue(component, out var value) ? value : null;

    /// <summary>The standard form.</summary>
    public override string ToString() => Normal;
}
