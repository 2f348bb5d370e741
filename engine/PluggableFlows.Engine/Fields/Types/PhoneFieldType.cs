using PhoneNumbers;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// A telephone number, read by libphonenumber in the configured default region (US unless set otherwise);
/// numbers written with <c>+</c> are read in their own region. A trailing <c>h</c>, <c>w</c>, <c>m</c> or
/// <c>c</c> (LeadConduit's type hint) says home, work or mobile; <c>x123</c> or <c>ext 123</c> is an extension.
/// </summary>
internal sealed class PhoneFieldType : IFieldType
{
    // libphonenumber refuses longer input anyway; stopping here saves it the exception.
    private const int MaxLength = 250;
    private const int NanpCallingCode = 1;

    private static readonly string[] Keys =
        ["area", "exchange", "line", "number", "extension", "country_code", "country_calling_code", "type", "is_tollfree"];

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly object BoxedNanpCallingCode = NanpCallingCode;

    private readonly string _region;

    public PhoneFieldType(FieldParsingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _region = string.IsNullOrWhiteSpace(options.DefaultPhoneRegion) ? "US" : options.DefaultPhoneRegion.Trim().ToUpperInvariant();
    }

    public string Name => "phone";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.AsSpan().Trim();
        if (text.Length is 0 or > MaxLength || !text.ContainsAnyInRange('0', '9'))
        {
            return FieldValues.Invalid(Name, raw);
        }

        var hint = StripTypeHint(ref text);
        PhoneNumber number;
        try
        {
            number = Util.Parse(text.ToString(), _region);
        }
        catch (NumberParseException)
        {
            return FieldValues.Invalid(Name, raw);
        }

        // Exactly PhoneNumberUtil.IsValidNumber, without walking the calling code's regions a second time below.
        var region = Util.GetRegionCodeForNumber(number);
        var valid = region is not null && Util.IsValidNumberForRegion(number, region);
        var nsn = Util.GetNationalSignificantNumber(number);
        var extension = number.HasExtension && number.Extension.Length > 0 ? number.Extension : null;
        var callingCode = number.CountryCode;

        string? area, exchange = null, line = null, subscriber;
        bool tollFree;
        if (callingCode == NanpCallingCode && nsn.Length == 10)
        {
            area = nsn[..3];
            exchange = nsn.Substring(3, 3);
            line = nsn[6..];
            subscriber = nsn[3..];
            tollFree = valid && IsNanpTollFree(area);
        }
        else
        {
            var areaLength = valid ? Util.GetLengthOfNationalDestinationCode(number) : 0;
            area = areaLength > 0 ? nsn[..areaLength] : null;
            subscriber = nsn[areaLength..];
            tollFree = valid && Util.GetNumberType(number) == PhoneNumberType.TOLL_FREE;
        }

        var country = valid ? region : Util.GetRegionCodeForCountryCode(callingCode);
        if (country is null or "ZZ" or "001")
        {
            country = null;
        }

        var components = new ComponentMap(Keys,
        [
            area, exchange, line, subscriber, extension, country,
            callingCode == NanpCallingCode ? BoxedNanpCallingCode : callingCode,
            hint, FieldValues.Box(tollFree),
        ]);

        if (!valid)
        {
            return new FieldValue(Name, raw, raw.Trim(), null, valid: false, components);
        }

        var normal = extension is null ? nsn : nsn + "x" + extension;
        return new FieldValue(Name, raw, normal, normal, valid: true, components);
    }

    // The NANP toll-free service codes (libphonenumber agrees; this avoids a second metadata walk per number).
    private static bool IsNanpTollFree(string area) =>
        area is "800" or "833" or "844" or "855" or "866" or "877" or "888";

    /// <summary>Removes a trailing type hint (<c>h</c>, <c>w</c>, <c>m</c>, <c>c</c>, optionally in parentheses).</summary>
    private static string? StripTypeHint(ref ReadOnlySpan<char> text)
    {
        var end = text.Length;
        var closed = end > 0 && text[end - 1] == ')';
        if (closed)
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsAsciiLetter(text[start - 1]))
        {
            start--;
        }

        var word = text[start..end];
        string? hint = word switch
        {
            "h" or "H" => "home",
            "w" or "W" => "work",
            "m" or "M" or "c" or "C" => "mobile",
            _ => null,
        };
        if (hint is null)
        {
            return null;
        }

        var rest = start;
        if (rest > 0 && text[rest - 1] == '(')
        {
            rest--;
        }
        else if (closed)
        {
            return null;
        }

        // The hint must stand apart from the number's letters: "5125551212h" and "512 555 1212 (m)" are hints.
        if (rest == 0 || !(char.IsAsciiDigit(text[rest - 1]) || char.IsWhiteSpace(text[rest - 1]) || text[rest - 1] == ')'))
        {
            return null;
        }

        text = text[..rest].TrimEnd();
        return hint;
    }
}
