using System.Diagnostics.CodeAnalysis;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

// PLACEHOLDER until the field-types branch lands: every type parses as plain text.
/// <summary>All field types by name.</summary>
public sealed class FieldTypeRegistry
{
    /// <summary>Creates a registry.</summary>
    public FieldTypeRegistry(FieldParsingOptions? options = null, TimeProvider? time = null)
    {
        _ = options;
        _ = time;
    }

    /// <summary>The default registry.</summary>
    public static FieldTypeRegistry Default { get; } = new();

    /// <summary>Known type names.</summary>
    public IEnumerable<string> Names => ["string"];

    /// <summary>Finds a type.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IFieldType? type)
    {
        type = new PlainText(name);
        return true;
    }

    /// <summary>Parses a value.</summary>
    public FieldValue Parse(string typeName, string raw) => new PlainText(typeName).Parse(raw);

    private sealed class PlainText(string name) : IFieldType
    {
        public string Name => name;

        public IReadOnlyList<string> Components => [];

        public FieldValue Parse(string raw) => new(name, raw, raw.Trim(), raw.Trim(), true);
    }
}
