using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>Shared building blocks for the field types: invalid values, boxed constants, number text.</summary>
internal static class FieldValues
{
    public static readonly object True = true;
    public static readonly object False = false;

    public static object Box(bool value) => value ? True : False;

    /// <summary>A value that did not parse: normal is the trimmed raw text, no typed value, no components.</summary>
    public static FieldValue Invalid(string type, string raw) => new(type, raw, raw.Trim(), null, false);

    /// <summary>Shortest round-trip invariant text of a number (1000.5, 10, -0.25).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads an invariant decimal number; rejects NaN, infinities and overflow.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            if (value == 0)
            {
                value = 0; // no "-0"
            }

            return true;
        }

        value = 0;
        return false;
    }
}
