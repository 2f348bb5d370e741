using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// An instant: ISO-8601 or common date-time text (US order, as LeadConduit reads it), or Unix seconds or
/// milliseconds. Text without an offset is taken as UTC. Normal is <c>yyyy-MM-ddTHH:mm:ssZ</c>.
/// </summary>
internal sealed class TimeFieldType : IFieldType
{
    private const int MaxLength = 64;
    private const DateTimeStyles Styles =
        DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    public string Name => "time";

    public IReadOnlyList<string> Components => [];

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.Length is < 4 or > MaxLength || !TryRead(trimmed, out var instant))
        {
            return FieldValues.Invalid(Name, raw);
        }

        var normal = instant.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new FieldValue(Name, raw, normal, instant, valid: true);
    }

    private static bool TryRead(ReadOnlySpan<char> text, out DateTimeOffset instant)
    {
        if (IsAllDigits(text))
        {
            // Unix time, as trackers and webhooks send it: 10 digits are seconds, 13 are milliseconds.
            var epoch = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            if (text.Length == 10)
            {
                instant = DateTimeOffset.FromUnixTimeSeconds(epoch);
                return true;
            }

            if (text.Length == 13)
            {
                instant = DateTimeOffset.FromUnixTimeMilliseconds(epoch);
                return true;
            }

            instant = default;
            return false;
        }

        // A bare number such as "12" or "2020" would otherwise be read as a time of day or a year.
        if (text.IndexOfAny('-', '/', ' ') < 0 && text.IndexOf('T') < 0)
        {
            instant = default;
            return false;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Styles, out instant))
        {
            instant = instant.ToUniversalTime();
            return true;
        }

        return false;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
