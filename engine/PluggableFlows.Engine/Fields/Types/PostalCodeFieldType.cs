using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>A US ZIP or ZIP+4, a Canadian postal code or a UK postcode, in its country's standard spacing.</summary>
internal sealed partial class PostalCodeFieldType : IFieldType
{
    private const int MaxLength = 16;
    private static readonly string[] UsKeys = ["country_code", "zip", "four"];
    private static readonly string[] CaKeys = ["country_code", "fsa", "ldu"];
    private static readonly string[] GbKeys = ["country_code", "outcode", "incode"];
    private static readonly string[] AllKeys = ["country_code", "zip", "four", "fsa", "ldu", "outcode", "incode"];

    public string Name => "postal_code";

    public IReadOnlyList<string> Components => AllKeys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.Length is < 5 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        var text = trimmed.ToString().ToUpperInvariant();
        if (char.IsAsciiDigit(text[0]))
        {
            var us = UsPattern().Match(text);
            if (!us.Success)
            {
                return FieldValues.Invalid(Name, raw);
            }

            var zip = us.Groups["zip"].Value;
            var four = us.Groups["four"].Success ? us.Groups["four"].Value : null;
            var normal = four is null ? zip : zip + "-" + four;
            return new FieldValue(Name, raw, normal, normal, valid: true, new ComponentMap(UsKeys, ["US", zip, four]));
        }

        var ca = CanadaPattern().Match(text);
        if (ca.Success)
        {
            var fsa = ca.Groups["fsa"].Value;
            var ldu = ca.Groups["ldu"].Value;
            var normal = fsa + " " + ldu;
            return new FieldValue(Name, raw, normal, normal, valid: true, new ComponentMap(CaKeys, ["CA", fsa, ldu]));
        }

        var gb = UkPattern().Match(text);
        if (gb.Success)
        {
            var outcode = gb.Groups["out"].Value;
            var incode = gb.Groups["in"].Value;
            var normal = outcode + " " + incode;
            return new FieldValue(Name, raw, normal, normal, valid: true, new ComponentMap(GbKeys, ["GB", outcode, incode]));
        }

        return FieldValues.Invalid(Name, raw);
    }

    [GeneratedRegex(@"^(?<zip>\d{5})(?:[\s-]?(?<four>\d{4}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex UsPattern();

    // Canada Post never uses D, F, I, O, Q or U, and W or Z as the first letter.
    [GeneratedRegex(@"^(?<fsa>[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])[\s-]?(?<ldu>\d[ABCEGHJ-NPRSTV-Z]\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex CanadaPattern();

    [GeneratedRegex(@"^(?<out>[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*(?<in>\d[A-Z]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex UkPattern();
}
