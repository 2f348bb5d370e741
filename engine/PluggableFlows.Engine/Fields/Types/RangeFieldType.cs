using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>A numeric range: <c>1-10</c>, <c>1 to 10</c>, <c>10+</c> (open) or a single number <c>10</c>.</summary>
internal sealed partial class RangeFieldType : IFieldType
{
    /// <summary>The type's name, which its values carry as <see cref="FieldValue.Type"/>.</summary>
    public const string TypeName = "range";

    private const int MaxLength = 64;
    private static readonly string[] Keys = ["min", "max", "avg", "mid"];

    public string Name => TypeName;

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.Length is 0 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        // Income and loan ranges arrive as "$50,000 - $75,000": drop the money punctuation first.
        Span<char> buffer = stackalloc char[MaxLength];
        var length = 0;
        foreach (var c in trimmed)
        {
            if (c is not ('$' or ','))
            {
                buffer[length++] = c;
            }
        }

        var text = buffer[..length].ToString();
        var closed = RangePattern().Match(text);
        if (closed.Success)
        {
            return Closed(raw, closed.Groups["min"].ValueSpan, closed.Groups["max"].ValueSpan);
        }

        var open = OpenPattern().Match(text);
        if (open.Success && FieldValues.TryParseNumber(open.Groups["min"].ValueSpan, out var min))
        {
            return new FieldValue(Name, raw, FieldValues.Format(min) + "+", FieldValues.Format(min) + "+", valid: true,
                new ComponentMap(Keys, [min, null, min, Math.Truncate(min)]));
        }

        return FieldValues.Invalid(Name, raw);
    }

    private FieldValue Closed(string raw, ReadOnlySpan<char> minText, ReadOnlySpan<char> maxText)
    {
        if (!FieldValues.TryParseNumber(minText, out var min))
        {
            return FieldValues.Invalid(Name, raw);
        }

        var max = min;
        if (!maxText.IsEmpty && !FieldValues.TryParseNumber(maxText, out max))
        {
            return FieldValues.Invalid(Name, raw);
        }

        if (max < min)
        {
            (min, max) = (max, min);
        }

        var avg = Math.Round((min + max) / 2, 2, MidpointRounding.AwayFromZero);
        var normal = FieldValues.Format(min) + "-" + FieldValues.Format(max);
        return new FieldValue(Name, raw, normal, normal, valid: true,
            new ComponentMap(Keys, [min, max, avg, Math.Truncate((min + max) / 2)]));
    }

    [GeneratedRegex(@"^(?<min>\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(?<max>\d+(?:\.\d+)?))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^(?<min>\d+(?:\.\d+)?)\s*\+$", RegexOptions.CultureInvariant)]
    private static partial Regex OpenPattern();
}
