using System.Globalization;
using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules;

/// <summary>
/// A right-hand value read every way it might be compared — as text, number, boolean, date, time and range — once,
/// when the rule compiles. When the lhv is a lead field of a known type the rhv is also parsed as that type, so a phone
/// rhv compares by its normal digits.
/// </summary>
internal sealed class Operand
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy/M/d", "M/d/yyyy", "M-d-yyyy", "M/d/yy", "MMM d, yyyy", "MMMM d, yyyy", "d MMM yyyy", "d MMMM yyyy",
    ];

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm",
    ];

    private static readonly Regex RangeText = new(
        @"^\s*\$?(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:-|to)\s*\$?(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    private static readonly Regex OpenRangeText = new(
        @"^\s*\$?(-?[0-9][0-9,]*(?:\.[0-9]+)?)\s*\+\s*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private Operand(string text) => Text = text;

    /// <summary>A blank rhv (a template that rendered nothing): positive comparisons with it are false.</summary>
    public static Operand Blank { get; } = new("") { IsBlank = true };

    /// <summary>The text, trimmed.</summary>
    public string Text { get; }

    public bool IsBlank { get; private init; }

    /// <summary>The lhv field type the rhv was parsed as, when it parsed.</summary>
    public string? TypedType { get; private set; }

    /// <summary>The rhv's normal form as <see cref="TypedType"/>.</summary>
    public string? TypedNormal { get; private set; }

    public bool HasNumber { get; private set; }

    public double Number { get; private set; }

    public bool HasBoolean { get; private set; }

    public bool Boolean { get; private set; }

    public bool HasDate { get; private set; }

    public DateOnly Date { get; private set; }

    public bool HasTime { get; private set; }

    public DateTimeOffset Time { get; private set; }

    public bool HasRange { get; private set; }

    public double Min { get; private set; }

    public double Max { get; private set; }

    public double Average { get; private set; }

    /// <summary>The text a field value of this type compares its normal with.</summary>
    public string TextFor(FieldValue? field) =>
        field is not null && TypedNormal is not null && string.Equals(field.Type, TypedType, StringComparison.Ordinal)
            ? TypedNormal
            : Text;

    /// <summary>How the trace shows it: the typed normal form when it has one.</summary>
    public string Describe() => TypedNormal ?? Text;

    /// <summary>Reads <paramref name="text"/>; <paramref name="typed"/> is the same text parsed as the lhv's field type.</summary>
    public static Operand Parse(string text, FieldValue? typed)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Blank;
        }

        var operand = new Operand(text.Trim());
        if (typed is { Valid: true, IsBlank: false })
        {
            operand.TypedType = typed.Type;
            operand.TypedNormal = typed.Normal;
            switch (typed.Value)
            {
                case double number: operand.SetNumber(number); break;
                case bool boolean: operand.SetBoolean(boolean); break;
                case DateOnly date: operand.SetDate(date); break;
                case DateTimeOffset time: operand.SetTime(time); break;
            }

            if (typed["min"] is double min)
            {
                operand.SetRange(min, typed["max"] is double max ? max : double.PositiveInfinity, typed["avg"] as double?);
            }
        }

        operand.ReadText();
        return operand;
    }

    /// <summary>A value resolved from a template, per lead.</summary>
    public static Operand FromValue(object? value, Func<string, FieldValue?> parseAsLhvType) => value switch
    {
        null => Blank,
        FieldValue field => field.IsBlank ? Blank : Parse(field.Normal, field),
        string written => Parse(written, parseAsLhvType(written)),
        _ => RuleText.Of(value) is { } text ? Parse(text, null) : Blank,
    };

    private void ReadText()
    {
        var span = Text.AsSpan();
        if (!HasNumber && TryParseNumber(span, out var number))
        {
            SetNumber(number);
        }

        if (!HasBoolean && TryParseBoolean(span, out var boolean))
        {
            SetBoolean(boolean);
        }

        if (!HasDate && DateOnly.TryParseExact(span, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date))
        {
            SetDate(date);
        }

        if (!HasTime && DateTimeOffset.TryParseExact(Text, TimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            SetTime(time);
        }

        if (!HasRange)
        {
            if (RangeText.Match(Text) is { Success: true } range
                && TryParseNumber(range.Groups[1].ValueSpan, out var min) && TryParseNumber(range.Groups[2].ValueSpan, out var max))
            {
                SetRange(Math.Min(min, max), Math.Max(min, max), null);
            }
            else if (OpenRangeText.Match(Text) is { Success: true } open && TryParseNumber(open.Groups[1].ValueSpan, out var floor))
            {
                SetRange(floor, double.PositiveInfinity, null);
            }
            else if (HasNumber)
            {
                SetRange(Number, Number, Number);
            }
        }
    }

    private void SetNumber(double number)
    {
        HasNumber = true;
        Number = number;
    }

    private void SetBoolean(bool boolean)
    {
        HasBoolean = true;
        Boolean = boolean;
    }

    private void SetDate(DateOnly date)
    {
        HasDate = true;
        Date = date;
        if (!HasTime)
        {
            HasTime = true;
            Time = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
    }

    private void SetTime(DateTimeOffset time)
    {
        HasTime = true;
        Time = time;
        if (!HasDate)
        {
            HasDate = true;
            Date = DateOnly.FromDateTime(time.UtcDateTime);
        }
    }

    private void SetRange(double min, double max, double? average)
    {
        HasRange = true;
        Min = min;
        Max = max;
        Average = average ?? (double.IsPositiveInfinity(max) ? min : (min + max) / 2);
    }

    /// <summary>Numbers as LeadConduit reads them: a leading <c>$</c> and thousands separators are ignored.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double number)
    {
        text = text.Trim();
        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        // Digits only (an area code, a zip, a year) is the common case at run time: read without the general parser,
        // which costs ten times more. 15 digits stay below 2^53, so the double is exact, as double.TryParse's would be.
        if (text.Length is > 0 and <= 15 && TryReadDigits(text, out var digits))
        {
            number = digits;
            return true;
        }

        return double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number);
    }

    // A plain loop: MemoryExtensions.ContainsAnyExceptInRange allocated 96 bytes a call here (in the Debug test build).
    private static bool TryReadDigits(ReadOnlySpan<char> text, out long digits)
    {
        digits = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            digits = (digits * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>LeadConduit's boolean words: yes/no, y/n, true/false, t/f, 1/0, any case.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        text = text.Trim();
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase)
            || text.Equals("y", StringComparison.OrdinalIgnoreCase) || text.Equals("t", StringComparison.OrdinalIgnoreCase)
            || text.Equals("1", StringComparison.Ordinal))
        {
            value = true;
            return true;
        }

        if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("no", StringComparison.OrdinalIgnoreCase)
            || text.Equals("n", StringComparison.OrdinalIgnoreCase) || text.Equals("f", StringComparison.OrdinalIgnoreCase)
            || text.Equals("0", StringComparison.Ordinal))
        {
            value = false;
            return true;
        }

        value = false;
        return false;
    }
}
