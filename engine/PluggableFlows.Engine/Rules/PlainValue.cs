using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules;

/// <summary>
/// The two shapes nearly every lhv has — plain text and a plain number — read straight from the resolved value, so a
/// rule evaluated without a trace compares them without building a <see cref="Scalar"/>. Each reading agrees with
/// <see cref="Scalar.Of"/>: a value of any other shape (a boolean, a date, a range, a list) is not read here, and the
/// caller falls back to the <see cref="Scalar"/> path.
/// </summary>
internal static class PlainValue
{
    /// <summary>Whether <paramref name="value"/> compares as text: missing, a string, or a lead field whose typed value is
    /// text or absent (it did not parse) and that is not a range. <paramref name="text"/> is null when it is blank;
    /// <paramref name="field"/> is the field value, when it is one.</summary>
    public static bool TryText(object? value, out string? text, out FieldValue? field)
    {
        switch (value)
        {
            case null:
                (text, field) = (null, null);
                return true;
            case FieldValue { Value: string or null } typed when !string.Equals(typed.Type, RangeFieldType.TypeName, StringComparison.Ordinal):
                (text, field) = (typed.IsBlank ? null : typed.Normal, typed);
                return true;
            case string plain:
                (text, field) = (string.IsNullOrWhiteSpace(plain) ? null : plain, null);
                return true;
            default:
                (text, field) = (null, null);
                return false;
        }
    }

    /// <summary>Whether <paramref name="value"/> is a number (not NaN): a number field's value, or a number a field
    /// type's component or a step holds.</summary>
    public static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case FieldValue { Value: double typed } field when !field.IsBlank && !double.IsNaN(typed):
                number = typed;
                return true;
            case int whole:
                number = whole;
                return true;
            case double plain when !double.IsNaN(plain):
                number = plain;
                return true;
            case long whole:
                number = whole;
                return true;
            default:
                number = 0;
                return false;
        }
    }
}
