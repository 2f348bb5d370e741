using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// Reads calendar dates the way lead forms send them. US order wins when a date could be read both ways
/// (<c>01/02/2020</c> is January 2nd), European order is tried only when the US reading is impossible
/// (<c>13/02/2020</c>) or the separator is a dot (<c>02.01.2020</c>), and a leading four-digit year is ISO order.
/// </summary>
internal static partial class DateText
{
    private const int MaxLength = 48;

    private static readonly FrozenDictionary<string, int> Months = BuildMonths();

    /// <summary>Parses <paramref name="text"/>; <paramref name="century"/> turns a two-digit year into a full one.</summary>
    public static bool TryParse(string text, Func<int, int> century, out DateOnly date)
    {
        date = default;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length is < 6 or > MaxLength || !char.IsAsciiLetterOrDigit(trimmed[0]))
        {
            return false;
        }

        var input = trimmed.Length == text.Length ? text : trimmed.ToString();
        if (char.IsAsciiDigit(input[0]))
        {
            var numeric = NumericPattern().Match(input);
            if (numeric.Success)
            {
                return FromNumbers(numeric, century, out date);
            }

            var isoDateTime = IsoDateTimePattern().Match(input);
            if (isoDateTime.Success)
            {
                return TryCreate(Int(isoDateTime.Groups["y"]), Int(isoDateTime.Groups["m"]), Int(isoDateTime.Groups["d"]), out date);
            }
        }

        var named = MonthFirstPattern().Match(input);
        if (!named.Success)
        {
            named = DayFirstPattern().Match(input);
        }

        if (!named.Success || !Months.TryGetValue(named.Groups["month"].Value, out var month))
        {
            return false;
        }

        var year = named.Groups["year"];
        return TryCreate(year.Length == 2 ? century(Int(year)) : Int(year), month, Int(named.Groups["day"]), out date);
    }

    /// <summary>The usual pivot for dates that may lie in the future: 00–49 is 20xx, 50–99 is 19xx.</summary>
    public static int DefaultCentury(int twoDigitYear) => twoDigitYear < 50 ? 2000 + twoDigitYear : 1900 + twoDigitYear;

    private static bool FromNumbers(Match match, Func<int, int> century, out DateOnly date)
    {
        var first = match.Groups["a"];
        var second = Int(match.Groups["b"]);
        var yearGroup = match.Groups["c"];
        if (first.Length == 4)
        {
            // ISO order: yyyy-MM-dd, yyyy/MM/dd; the last part must not look like a two-digit year.
            date = default;
            return yearGroup.Length <= 2 && TryCreate(Int(first), second, Int(yearGroup), out date);
        }

        if (first.Length > 2)
        {
            date = default;
            return false;
        }

        var year = yearGroup.Length == 2 ? century(Int(yearGroup)) : Int(yearGroup);
        var head = Int(first);
        if (match.Groups["sep"].ValueSpan[0] == '.')
        {
            return TryCreate(year, second, head, out date);
        }

        return TryCreate(year, head, second, out date) || TryCreate(year, second, head, out date);
    }

    private static bool TryCreate(int year, int month, int day, out DateOnly date)
    {
        if (year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            date = new DateOnly(year, month, day);
            return true;
        }

        date = default;
        return false;
    }

    private static int Int(Group group) => int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static FrozenDictionary<string, int> BuildMonths()
    {
        var names = new[]
        {
            "january", "february", "march", "april", "may", "june",
            "july", "august", "september", "october", "november", "december",
        };
        var months = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            months[names[i]] = i + 1;
            months[names[i][..3]] = i + 1;
        }

        months["sept"] = 9;
        return months.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^(?<a>\d{1,4})(?<sep>[/.\-])(?<b>\d{1,2})\k<sep>(?<c>\d{4}|\d{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})[T ]\d{2}:\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTimePattern();

    [GeneratedRegex(@"^(?:[a-z]+,?\s+)?(?<month>[a-z]{3,9})\.?\s+(?<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<year>\d{4}|\d{2})$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirstPattern();

    [GeneratedRegex(@"^(?:[a-z]+,?\s+)?(?<day>\d{1,2})(?:st|nd|rd|th)?\s+(?<month>[a-z]{3,9})\.?,?\s+(?<year>\d{4})$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DayFirstPattern();
}
