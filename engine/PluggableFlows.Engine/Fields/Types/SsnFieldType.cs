using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// A US Social Security number: the digits wherever they appear (<c>123-45-6789</c>, <c>123 45 6789</c>);
/// valid when there are exactly nine. Sensitive: callers mask it in logs and events.
/// </summary>
internal sealed class SsnFieldType : IFieldType
{
    private const int Digits = 9;
    private static readonly string[] Keys = ["first_three", "middle_two", "last_four"];

    public string Name => "ssn";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        Span<char> digits = stackalloc char[Digits];
        var count = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == Digits)
                {
                    return FieldValues.Invalid(Name, raw);
                }

                digits[count++] = c;
            }
        }

        if (count != Digits)
        {
            return FieldValues.Invalid(Name, raw);
        }

        var normal = digits.ToString();
        return new FieldValue(Name, raw, normal, normal, valid: true,
            new ComponentMap(Keys, [normal[..3], normal.Substring(3, 2), normal[5..]]));
    }
}
