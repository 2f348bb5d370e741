using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>A number: currency symbols, thousands separators and spaces are dropped (<c>$1,000.50</c> is 1000.5).</summary>
internal sealed class NumberFieldType : IFieldType
{
    // Long enough for any real number with separators; longer text is not a number someone typed.
    private const int MaxLength = 64;

    public string Name => "number";

    public IReadOnlyList<string> Components => [];

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.Length is 0 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        Span<char> buffer = stackalloc char[MaxLength];
        var length = 0;
        foreach (var c in trimmed)
        {
            switch (c)
            {
                case '$' or '€' or '£' or '¥' or ',' or ' ' or '\u00A0':
                    continue;
                case (>= '0' and <= '9') or '.' or '-' or '+' or 'e' or 'E':
                    buffer[length++] = c;
                    break;
                default:
                    return FieldValues.Invalid(Name, raw);
            }
        }

        if (!FieldValues.TryParseNumber(buffer[..length], out var value))
        {
            return FieldValues.Invalid(Name, raw);
        }

        return new FieldValue(Name, raw, FieldValues.Format(value), value, valid: true);
    }
}
