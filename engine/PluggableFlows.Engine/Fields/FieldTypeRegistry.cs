using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// Every lead field type by name (case-insensitive): <c>string</c>, <c>phone</c>, <c>email</c>, ...
/// Types are stateless apart from their options, so one registry serves every flow and thread.
/// </summary>
public sealed class FieldTypeRegistry
{
    private static readonly Lazy<FieldTypeRegistry> DefaultRegistry = new(() => new FieldTypeRegistry());

    private readonly IFieldType[] _types;
    private readonly FrozenDictionary<string, IFieldType> _byName;

    /// <summary>Creates the registry of built-in types.</summary>
    /// <param name="options">Parsing settings; the defaults (US phone region) when null.</param>
    /// <param name="time">The clock for time-relative components such as a date of birth's age; the system clock when null.</param>
    public FieldTypeRegistry(FieldParsingOptions? options = null, TimeProvider? time = null)
    {
        options ??= new FieldParsingOptions();
        time ??= TimeProvider.System;
        _types =
        [
            new StringFieldType("string"),
            new StringFieldType("first_name"),
            new StringFieldType("last_name"),
            new StringFieldType("city"),
            new NumberFieldType(),
            new BooleanFieldType(),
            new RangeFieldType(),
            new DateFieldType(),
            new DobFieldType(time),
            new TimeFieldType(),
            new PhoneFieldType(options),
            new EmailFieldType(),
            new PostalCodeFieldType(),
            new StateFieldType(),
            new StreetFieldType(),
            new GenderFieldType(),
            new SsnFieldType(),
            new CredentialFieldType(),
            new IpFieldType(),
            new UrlFieldType(),
            new TrustedFormUrlFieldType(),
        ];

        var byName = new Dictionary<string, IFieldType>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in _types)
        {
            byName.Add(type.Name, type);
        }

        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Names = Array.ConvertAll(_types, type => type.Name);
    }

    /// <summary>The registry with default options and the system clock.</summary>
    public static FieldTypeRegistry Default => DefaultRegistry.Value;

    /// <summary>Every type, in documentation order.</summary>
    public IReadOnlyCollection<IFieldType> All => _types;

    /// <summary>Every type name, in documentation order (for "did you mean" suggestions).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Finds a type by name, ignoring case.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IFieldType? type)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name.Trim(), out type);
    }

    /// <summary>Finds a type by name, ignoring case.</summary>
    /// <exception cref="KeyNotFoundException">No type has that name; the message lists the known ones.</exception>
    public IFieldType Get(string name) =>
        TryGet(name, out var type)
            ? type
            : throw new KeyNotFoundException($"Unknown field type '{name}'. Known types: {string.Join(", ", Names)}.");

    /// <summary>Parses <paramref name="raw"/> as the named type.</summary>
    /// <exception cref="KeyNotFoundException">No type has that name.</exception>
    public FieldValue Parse(string typeName, string raw) => Get(typeName).Parse(raw);
}
