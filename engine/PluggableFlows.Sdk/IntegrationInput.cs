using System.Globalization;

namespace PluggableFlows.Sdk;

/// <summary>
/// What a step hands its integration: only the inputs the step maps and the credentials it is given,
/// never the whole lead.
/// </summary>
public sealed class IntegrationInput
{
    /// <summary>Creates an input.</summary>
    /// <param name="values">Mapped inputs by request-variable name: a <see cref="FieldValue"/> when the
    /// input maps a typed field, otherwise text or a plain value.</param>
    /// <param name="credentials">Credentials by name.</param>
    public IntegrationInput(IReadOnlyDictionary<string, object?> values, IReadOnlyDictionary<string, string>? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
        Credentials = credentials ?? new Dictionary<string, string>(0);
    }

    /// <summary>Mapped inputs by name.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    /// <summary>Credentials by name.</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; }

    /// <summary>An input as given, or null when not mapped.</summary>
    public object? this[string name] => Values.TryGetValue(name, out var value) ? value : null;

    /// <summary>An input mapped from a typed field, or null.</summary>
    public FieldValue? GetField(string name) => this[name] as FieldValue;

    /// <summary>An input as text (a field's normal form), or null when missing or blank.</summary>
    public string? GetString(string name)
    {
        var text = this[name] switch
        {
            null => null,
            FieldValue field => field.Normal,
            string s => s,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>A credential, or null when the step does not map it.</summary>
    public string? GetCredential(string name) => Credentials.TryGetValue(name, out var value) ? value : null;
}
