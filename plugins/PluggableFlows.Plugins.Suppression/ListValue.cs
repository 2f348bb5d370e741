using System.Buffers;

namespace PluggableFlows.Plugins.Suppression;

/// <summary>
/// The form a value takes on a list, so that the ways one phone or one email is written all find the same entry:
/// <c>(512) 789-1111</c>, <c>+1 512 789 1111</c> and <c>5127891111</c> are all <c>5127891111</c>; <c>Jane@Example.com </c>
/// is <c>jane@example.com</c>. Lists imported from files must be normalized the same way.
/// </summary>
public static class ListValue
{
    private static readonly SearchValues<char> PhoneCharacters = SearchValues.Create("0123456789 ()-.+/");

    /// <summary>The normalized value, or null when <paramref name="value"/> is missing or blank.</summary>
    /// <param name="value">A <see cref="PluggableFlows.Sdk.FieldValue"/>, text or a plain value, as a step maps it.</param>
    public static string? Normalize(object? value) => value switch
    {
        null => null,
        Sdk.FieldValue { IsBlank: true } => null,
        Sdk.FieldValue { Type: "phone", Valid: true } phone => WithoutExtension(phone.Normal),
        Sdk.FieldValue field => NormalizeText(field.Valid ? field.Normal : field.Raw),
        string text => NormalizeText(text),
        IFormattable formattable => NormalizeText(formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture)),
        var other => NormalizeText(other.ToString()),
    };

    /// <summary>Normalizes text: a North American phone number to its 10 digits, an email to lower case, anything else trimmed.</summary>
    public static string? NormalizeText(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (AsNanpPhone(trimmed) is { } digits)
        {
            return digits;
        }

        return IsEmailLike(trimmed) ? trimmed.ToLowerInvariant() : trimmed;
    }

    // Only text made of digits and phone punctuation counts: an order id "A-512-789-1111" stays as it is.
    private static string? AsNanpPhone(string text)
    {
        if (text.AsSpan().ContainsAnyExcept(PhoneCharacters))
        {
            return null;
        }

        var digits = string.Concat(text.Where(char.IsAsciiDigit));
        return digits.Length switch
        {
            10 => digits,
            11 when digits[0] == '1' => digits[1..],
            _ => null,
        };
    }

    private static bool IsEmailLike(string text) =>
        text.IndexOf('@', StringComparison.Ordinal) > 0 && !text.Any(char.IsWhiteSpace);

    private static string WithoutExtension(string normal) =>
        normal.IndexOf('x', StringComparison.Ordinal) is > 0 and var x ? normal[..x] : normal;
}
