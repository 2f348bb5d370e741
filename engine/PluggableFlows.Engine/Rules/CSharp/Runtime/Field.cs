using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

#pragma warning disable CA1707 // Members are named as in flow files (is_blank), so rules read the same in every language.
#pragma warning disable CA2225 // Operators are the point: rules compare with ==, <, >=.

namespace PluggableFlows.Engine.Rules.CSharp.Runtime;

/// <summary>
/// A lead field as a C# rule reads it (<c>lead.state</c>). Fields whose type has components (<c>lead.phone_1.area</c>)
/// are read through a struct generated for the flow with the same members plus one property per component.
/// Comparisons work like declarative rules: text ignoring case, numbers numerically, blank equals <c>null</c>.
/// </summary>
public readonly struct Field : IEquatable<Field>
{
    private readonly FieldValue? _field;

    /// <summary>Wraps a lead's field value (null when the lead does not have it).</summary>
    public Field(FieldValue? field) => _field = field;

    /// <summary>The text as submitted ("" when missing).</summary>
    public string raw => _field?.Raw ?? "";

    /// <summary>The normalized text ("" when missing).</summary>
    public string normal => _field?.Normal ?? "";

    /// <summary>Whether the value parsed as its type.</summary>
    public bool valid => _field?.Valid ?? false;

    /// <summary>Whether the lead has the field at all.</summary>
    public bool exists => _field is not null;

    /// <summary>Missing or blank.</summary>
    public bool is_blank => _field?.IsBlank ?? true;

    /// <summary>The typed value (a number field's number, a boolean's boolean, a date's date), as a <see cref="Value"/>.</summary>
    public Value value => new(_field);

    /// <summary>The normalized text ("" when missing).</summary>
    public string text => normal;

    /// <summary>The value as a number, or null.</summary>
    public double? number => value.number;

    /// <summary>The value as a boolean, or null.</summary>
    public bool? boolean => value.boolean;

    /// <summary>The value as a date, or null.</summary>
    public DateOnly? date => value.date;

    /// <summary>Whether the normal text contains <paramref name="part"/>, ignoring case.</summary>
    public bool contains(string part) => value.contains(part);

    /// <summary>Whether the normal text starts with <paramref name="prefix"/>, ignoring case.</summary>
    public bool starts_with(string prefix) => value.starts_with(prefix);

    /// <summary>Whether the normal text ends with <paramref name="suffix"/>, ignoring case.</summary>
    public bool ends_with(string suffix) => value.ends_with(suffix);

    /// <summary>Whether the value equals one of <paramref name="values"/> (text, ignoring case).</summary>
    public bool is_in(params ReadOnlySpan<string> values) => value.is_in(values);

    /// <summary>A component (<c>area</c>, <c>age</c>) by name; generated properties are the typo-safe way.</summary>
    public Value this[string component] => new(_field is null ? null : ComponentMap.Read(_field, component));

    /// <summary>Text equality, ignoring case; <c>== null</c> tests for blank.</summary>
    public static bool operator ==(Field left, string? right) => left.value == right;

    /// <summary>Text inequality, ignoring case.</summary>
    public static bool operator !=(Field left, string? right) => left.value != right;

    /// <summary>Text equality, ignoring case.</summary>
    public static bool operator ==(string? left, Field right) => right.value == left;

    /// <summary>Text inequality, ignoring case.</summary>
    public static bool operator !=(string? left, Field right) => right.value != left;

    /// <summary>Numeric equality.</summary>
    public static bool operator ==(Field left, double right) => left.value == right;

    /// <summary>Numeric inequality.</summary>
    public static bool operator !=(Field left, double right) => left.value != right;

    /// <summary>Boolean equality.</summary>
    public static bool operator ==(Field left, bool right) => left.value == right;

    /// <summary>Boolean inequality.</summary>
    public static bool operator !=(Field left, bool right) => left.value != right;

    /// <summary>Numeric comparison; false when not a number.</summary>
    public static bool operator <(Field left, double right) => left.value < right;

    /// <summary>Numeric comparison; false when not a number.</summary>
    public static bool operator >(Field left, double right) => left.value > right;

    /// <summary>Numeric comparison; false when not a number.</summary>
    public static bool operator <=(Field left, double right) => left.value <= right;

    /// <summary>Numeric comparison; false when not a number.</summary>
    public static bool operator >=(Field left, double right) => left.value >= right;

    /// <summary>The normalized text.</summary>
    public static implicit operator string(Field field) => field.normal;

    /// <summary>Whether a boolean field is true.</summary>
    public static implicit operator bool(Field field) => field.boolean == true;

    /// <summary>The field as a <see cref="Value"/>.</summary>
    public static implicit operator Value(Field field) => field.value;

    /// <inheritdoc/>
    public bool Equals(Field other) => value.Equals(other.value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Field other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => value.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => normal;
}
