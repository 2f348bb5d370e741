using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PhoneNumbers;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// The engine's own template functions (documented in <c>docs/templates.md</c>); Scriban's builtins cover strings,
/// arrays, math and regular expressions. Encoding helpers return text already encoded, which a body writes as it is.
/// </summary>
internal sealed class TemplateHelpers(TimeProvider time, IFieldType phoneType)
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary><c>json</c>: the value as a complete JSON literal (a quoted string, a number, true/false or null).</summary>
    public static object Json(object? value) => new RawText(TemplateEscaping.JsonLiteral(value));

    /// <summary><c>xml</c>: the value escaped as XML text.</summary>
    public static object Xml(object? value) => new RawText(TemplateEscaping.Xml(TextTemplate.Format(value)));

    /// <summary><c>form</c>: the value encoded for an <c>application/x-www-form-urlencoded</c> body (space as <c>+</c>).</summary>
    public static object Form(object? value) =>
        new RawText(Uri.EscapeDataString(TextTemplate.Format(value)).Replace("%20", "+", StringComparison.Ordinal));

    /// <summary><c>url</c>: the value percent-encoded for a URL path segment or query value.</summary>
    public static object Url(object? value) => new RawText(Uri.EscapeDataString(TextTemplate.Format(value)));

    /// <summary><c>raw</c>: the value written as it is, without the body's escaping.</summary>
    public static object Raw(object? value) => new RawText(TextTemplate.Format(value));

    /// <summary><c>md5</c>: lower-case hex MD5 of the value's UTF-8 bytes, with <paramref name="salt"/> appended first.</summary>
    public static string Md5(object? value, string? salt = null) => Hex(MD5.HashData(Bytes(value, salt)));

    /// <summary><c>sha1</c>: lower-case hex SHA-1.</summary>
    public static string Sha1(object? value, string? salt = null) => Hex(SHA1.HashData(Bytes(value, salt)));

    /// <summary><c>sha256</c>: lower-case hex SHA-256.</summary>
    public static string Sha256(object? value, string? salt = null) => Hex(SHA256.HashData(Bytes(value, salt)));

    /// <summary><c>now</c>: the engine's clock (UTC); the same clock the rest of the engine uses, so tests can fix it.</summary>
    public DateTimeOffset Now() => time.GetUtcNow();

    /// <summary><c>format_date</c>: a date or time in a .NET format, optionally in an IANA time zone.</summary>
    public static string FormatDate(object? value, string format = "yyyy-MM-dd", string? zone = null)
    {
        DateTimeOffset instant;
        switch (Unwrap(value))
        {
            case null:
                return "";
            case DateTimeOffset offset:
                instant = offset;
                break;
            case DateOnly date:
                return date.ToString(format, CultureInfo.InvariantCulture);
            case DateTime dateTime:
                instant = new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc));
                break;
            case var other when DateTimeOffset.TryParse(TextTemplate.Format(other), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var parsed):
                instant = parsed;
                break;
            case var other:
                throw new ArgumentException($"'{TextTemplate.Format(other)}' is not a date or time.");
        }

        if (!string.IsNullOrEmpty(zone))
        {
            instant = TimeZoneInfo.ConvertTime(instant, FindZone(zone));
        }

        return instant.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary><c>format_number</c>: a number in a .NET numeric format (<c>0.00</c>, <c>N0</c>, <c>F2</c>), invariant culture.</summary>
    public static string FormatNumber(object? value, string format = "0.##")
    {
        var number = Unwrap(value) switch
        {
            null => (decimal?)null,
            decimal d => d,
            int i => i,
            long l => l,
            double f => (decimal)f,
            float f => (decimal)f,
            var other => decimal.TryParse(TextTemplate.Format(other), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ArgumentException($"'{TextTemplate.Format(other)}' is not a number."),
        };
        return number?.ToString(format, CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary><c>phone_e164</c>: <c>+15125550123</c>. A number that is not valid is written as it was sent.</summary>
    public string PhoneE164(object? value) => Phone(value, PhoneNumberFormat.E164);

    /// <summary><c>phone_national</c>: <c>(512) 555-0123</c>, the number's own national format.</summary>
    public string PhoneNational(object? value) => Phone(value, PhoneNumberFormat.NATIONAL);

    /// <summary><c>phone_digits</c>: the national significant number, digits only (<c>5125550123</c>).</summary>
    public string PhoneDigits(object? value)
    {
        var phone = AsPhone(value);
        if (phone is null)
        {
            return "";
        }

        return phone.Valid ? NationalNumber(phone) : new string(phone.Raw.Where(char.IsAsciiDigit).ToArray());
    }

    private string Phone(object? value, PhoneNumberFormat format)
    {
        var phone = AsPhone(value);
        if (phone is null)
        {
            return "";
        }

        if (!phone.Valid || phone["country_calling_code"] is not { } callingCode)
        {
            return phone.Normal;
        }

        var number = Phones.Parse("+" + TextTemplate.Format(callingCode) + NationalNumber(phone), null);
        return Phones.Format(number, format);
    }

    private FieldValue? AsPhone(object? value) => value switch
    {
        null => null,
        FieldValue { Type: "phone" } field => field,
        FieldValue field => field.IsBlank ? null : phoneType.Parse(field.Raw),
        _ => TextTemplate.Format(value) is { Length: > 0 } text ? phoneType.Parse(text) : null,
    };

    private static string NationalNumber(FieldValue phone)
    {
        var normal = phone.Normal;
        var extension = normal.IndexOf('x', StringComparison.Ordinal);
        return extension < 0 ? normal : normal[..extension];
    }

    private static object? Unwrap(object? value) => value is FieldValue field ? field.Value ?? (field.IsBlank ? null : field.Normal) : value;

    private static TimeZoneInfo FindZone(string zone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new ArgumentException($"'{zone}' is not a time zone; use an IANA id such as America/Chicago or UTC.");
        }
    }

    private static byte[] Bytes(object? value, string? salt) => Encoding.UTF8.GetBytes(TextTemplate.Format(value) + salt);

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
