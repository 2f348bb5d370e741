using System.Collections;
using System.Globalization;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules;

/// <summary>What a resolved lhv is, for comparing.</summary>
internal enum ScalarKind : byte
{
    /// <summary>Missing, null, white space, a blank field value or an empty collection.</summary>
    Blank,

    /// <summary>Text (including typed field values that did not parse: they compare by their normal text).</summary>
    Text,

    /// <summary>A number (a number field's value, or a number appended by a step).</summary>
    Number,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>A range field value: <see cref="Scalar.Number"/> holds its average.</summary>
    Range,

    /// <summary>A calendar date (date, dob).</summary>
    Date,

    /// <summary>An instant (time, submission.timestamp).</summary>
    Time,

    /// <summary>A list or dictionary: only <c>includes</c> and <c>is blank</c> look inside.</summary>
    Other,
}

/// <summary>
/// A resolved lhv seen as one typed value, without allocating: the typed <see cref="FieldValue.Value"/> decides how it
/// compares (a double numerically, a DateOnly chronologically), everything else by its normal text.
/// </summary>
internal readonly struct Scalar
{
    private Scalar(ScalarKind kind, string? text, FieldValue? field, double number = 0, double min = 0, double max = 0,
        bool boolean = false, DateOnly date = default, DateTimeOffset time = default)
    {
        Kind = kind;
        Text = text;
        Field = field;
        Number = number;
        Min = min;
        Max = max;
        Boolean = boolean;
        Date = date;
        Time = time;
    }

    public ScalarKind Kind { get; }

    /// <summary>The value's own text (a field's normal), or null when it has none (a boxed number).</summary>
    public string? Text { get; }

    /// <summary>The field value it came from, if any.</summary>
    public FieldValue? Field { get; }

    /// <summary>The number, or a range's average.</summary>
    public double Number { get; }

    public double Min { get; }

    public double Max { get; }

    public bool Boolean { get; }

    public DateOnly Date { get; }

    public DateTimeOffset Time { get; }

    public bool IsBlank => Kind == ScalarKind.Blank;

    public static Scalar Of(object? value) => value switch
    {
        null => default,
        FieldValue field => OfField(field),
        string text => string.IsNullOrWhiteSpace(text) ? default : new Scalar(ScalarKind.Text, text, null),
        double number => double.IsNaN(number) ? default : new Scalar(ScalarKind.Number, null, null, number),
        int number => new Scalar(ScalarKind.Number, null, null, number),
        long number => new Scalar(ScalarKind.Number, null, null, number),
        decimal number => new Scalar(ScalarKind.Number, null, null, (double)number),
        float number => float.IsNaN(number) ? default : new Scalar(ScalarKind.Number, null, null, number),
        bool boolean => new Scalar(ScalarKind.Boolean, null, null, boolean: boolean),
        DateOnly date => new Scalar(ScalarKind.Date, null, null, date: date),
        DateTimeOffset time => new Scalar(ScalarKind.Time, null, null, time: time),
        DateTime time => new Scalar(ScalarKind.Time, null, null,
            time: new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time)),
        ICollection { Count: 0 } => default,
        _ => new Scalar(ScalarKind.Other, null, null),
    };

    public static Scalar OfField(FieldValue field)
    {
        if (field.IsBlank)
        {
            return new Scalar(ScalarKind.Blank, null, field);
        }

        switch (field.Value)
        {
            case double number:
                return new Scalar(ScalarKind.Number, field.Normal, field, number);
            case bool boolean:
                return new Scalar(ScalarKind.Boolean, field.Normal, field, boolean: boolean);
            case DateOnly date:
                return new Scalar(ScalarKind.Date, field.Normal, field, date: date);
            case DateTimeOffset time:
                return new Scalar(ScalarKind.Time, field.Normal, field, time: time);
        }

        // Only a range field has a min: asking any other field for one would cost a lookup per rule.
        if (field.Valid && string.Equals(field.Type, RangeFieldType.TypeName, StringComparison.Ordinal) && TryNumber(field["min"], out var min))
        {
            var max = TryNumber(field["max"], out var upper) ? upper : double.PositiveInfinity;
            var average = TryNumber(field["avg"], out var avg) ? avg : double.IsPositiveInfinity(max) ? min : (min + max) / 2;
            return new Scalar(ScalarKind.Range, field.Normal, field, average, min, max);
        }

        return new Scalar(ScalarKind.Text, field.Normal, field);
    }

    /// <summary>The value as trimmed text; numbers, booleans, dates and times are formatted into <paramref name="buffer"/>
    /// (64 characters is enough) so reading text never allocates.</summary>
    public ReadOnlySpan<char> TextSpan(Span<char> buffer)
    {
        if (Text is not null)
        {
            return Text.AsSpan().Trim();
        }

        int written;
        switch (Kind)
        {
            case ScalarKind.Number when Number.TryFormat(buffer, out written, default, CultureInfo.InvariantCulture):
                return buffer[..written];
            case ScalarKind.Boolean:
                return Boolean ? "true" : "false";
            case ScalarKind.Date when Date.TryFormat(buffer, out written, "yyyy-MM-dd", CultureInfo.InvariantCulture):
                return buffer[..written];
            case ScalarKind.Time when Time.TryFormat(buffer, out written, "O", CultureInfo.InvariantCulture):
                return buffer[..written];
            default:
                return [];
        }
    }

    private static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case double d: number = d; return true;
            case int i: number = i; return true;
            case long l: number = l; return true;
            case decimal m: number = (double)m; return true;
            default: number = 0; return false;
        }
    }
}
