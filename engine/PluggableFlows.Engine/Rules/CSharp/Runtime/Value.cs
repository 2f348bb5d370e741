using System.Globalization;
using PluggableFlows.Sdk;

#pragma warning disable CA1707 // Members are named as in flow files (is_blank), so rules read the same in every language.
#pragma warning disable CA2225 // Operators are the point: rules compare with ==, <, >=.

namespace PluggableFlows.Engine.Rules.CSharp.Runtime;

/// <summary>
/// A value a C# rule reads whose type is known only per lead: a field component (<c>lead.phone_1.area</c>), or data a
/// step appended (<c>phone_check["line_type"]</c>). It compares like a declarative rule does: text without regard to
/// case, numbers numerically, and a missing value equals nothing but <c>null</c>.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly object? _value;

    /// <summary>Wraps what a path resolved to.</summary>
    public Value(object? value) => _value = value;

    /// <summary>Whether there is a value at all.</summary>
    public bool exists => _value is not null;

    /// <summary>Missing, white space, a blank field or an empty list.</summary>
    public bool is_blank => PlainValue.TryText(_value, out var text, out _) ? text is null : Scalar.Of(_value).IsBlank;

    /// <summary>The value as text ("" when missing).</summary>
    public string text => RuleText.Of(_value) ?? "";

    /// <summary>The value as a number, or null when it is not one (numeric text counts).</summary>
    public double? number
    {
        get
        {
            if (PlainValue.TryNumber(_value, out var plain))
            {
                return plain;
            }

            var scalar = Scalar.Of(_value);
            return scalar.Kind switch
            {
                ScalarKind.Number or ScalarKind.Range => scalar.Number,
                ScalarKind.Text when double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            };
        }
    }

    /// <summary>The value as a boolean, or null when it is not one (true/false, yes/no, 1/0 text counts).</summary>
    public bool? boolean
    {
        get
        {
            if (_value is FieldValue { Value: bool typed } typedField && !typedField.IsBlank)
            {
                return typed;
            }

            var scalar = Scalar.Of(_value);
            if (scalar.Kind == ScalarKind.Boolean)
            {
                return scalar.Boolean;
            }

            return scalar.Text?.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "YES" or "Y" or "1" => true,
                "FALSE" or "NO" or "N" or "0" => false,
                _ => null,
            };
        }
    }

    /// <summary>The value as a date (a date or dob field, or a date text), or null.</summary>
    public DateOnly? date
    {
        get
        {
            var scalar = Scalar.Of(_value);
            return scalar.Kind switch
            {
                ScalarKind.Date => scalar.Date,
                ScalarKind.Time => DateOnly.FromDateTime(scalar.Time.UtcDateTime),
                ScalarKind.Text when DateOnly.TryParse(scalar.Text, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            };
        }
    }

    /// <summary>Whether the text contains <paramref name="part"/>, ignoring case.</summary>
    public bool contains(string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the text starts with <paramref name="prefix"/>, ignoring case.</summary>
    public bool starts_with(string prefix) => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the text ends with <paramref name="suffix"/>, ignoring case.</summary>
    public bool ends_with(string suffix) => text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the value equals one of <paramref name="values"/> (text, ignoring case).</summary>
    public bool is_in(params ReadOnlySpan<string> values)
    {
        foreach (var value in values)
        {
            if (this == value)
            {
                return true;
            }
        }

        return false;
    }

    internal object? Raw => _value;

    /// <summary>Text equality, ignoring case; <c>== null</c> tests for blank.</summary>
    public static bool operator ==(Value left, string? right) => right is null ? left.is_blank : EqualsText(left._value, right);

    /// <summary>Text inequality, ignoring case.</summary>
    public static bool operator !=(Value left, string? right) => !(left == right);

    /// <summary>Text equality, ignoring case.</summary>
    public static bool operator ==(string? left, Value right) => right == left;

    /// <summary>Text inequality, ignoring case.</summary>
    public static bool operator !=(string? left, Value right) => !(right == left);

    /// <summary>Numeric equality; false when the value is not a number.</summary>
    public static bool operator ==(Value left, double right) => left.number == right;

    /// <summary>Numeric inequality; true when the value is not a number.</summary>
    public static bool operator !=(Value left, double right) => !(left == right);

    /// <summary>Boolean equality; false when the value is not a boolean.</summary>
    public static bool operator ==(Value left, bool right) => left.boolean == right;

    /// <summary>Boolean inequality.</summary>
    public static bool operator !=(Value left, bool right) => !(left == right);

    /// <summary>Numeric comparison; false when the value is not a number.</summary>
    public static bool operator <(Value left, double right) => left.number < right;

    /// <summary>Numeric comparison; false when the value is not a number.</summary>
    public static bool operator >(Value left, double right) => left.number > right;

    /// <summary>Numeric comparison; false when the value is not a number.</summary>
    public static bool operator <=(Value left, double right) => left.number <= right;

    /// <summary>Numeric comparison; false when the value is not a number.</summary>
    public static bool operator >=(Value left, double right) => left.number >= right;

    /// <summary>The value as text ("" when missing).</summary>
    public static implicit operator string(Value value) => value.text;

    /// <summary>Whether the value is a true boolean (so a boolean component reads as a condition).</summary>
    public static implicit operator bool(Value value) => value.boolean == true;

    /// <inheritdoc/>
    public bool Equals(Value other) =>
        (is_blank && other.is_blank) || (!is_blank && !other.is_blank && string.Equals(text, other.text, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(text);

    /// <inheritdoc/>
    public override string ToString() => text;

    /// <summary>Whether two texts are equal ignoring case and surrounding white space. Texts rarely have any, so
    /// the trimmed comparison is needed only when one has white space at an end.</summary>
    private static bool SameText(string own, string text)
    {
        if (own.Length == text.Length && string.Equals(own, text, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return (HasSpaceAtAnEnd(own) || HasSpaceAtAnEnd(text))
            && own.AsSpan().Trim().Equals(text.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasSpaceAtAnEnd(string text) =>
        text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]));

    private static bool EqualsText(object? value, string text) => value switch
    {
        // Fields and text (almost every comparison) compare their own text without classifying the value first.
        FieldValue field => field.IsBlank ? string.IsNullOrWhiteSpace(text) : SameText(field.Normal, text),
        string plain => string.IsNullOrWhiteSpace(plain) ? string.IsNullOrWhiteSpace(text) : SameText(plain, text),
        _ => EqualsScalarText(value, text),
    };

    // Apart from EqualsText: its stack buffer would keep the common path above from being inlined.
    private static bool EqualsScalarText(object? value, string text)
    {
        var scalar = Scalar.Of(value);
        if (scalar.IsBlank)
        {
            return string.IsNullOrWhiteSpace(text);
        }

        if (scalar.Text is { } own)
        {
            return own.AsSpan().Trim().Equals(text.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase);
        }

        Span<char> buffer = stackalloc char[64];
        return scalar.TextSpan(buffer).Equals(text.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
