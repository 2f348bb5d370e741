using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules;

/// <summary>
/// Type-aware comparison of a resolved lhv with a pre-parsed rhv. Nothing here allocates: text is compared as spans,
/// numbers, dates and booleans arrive already typed.
/// </summary>
/// <remarks>
/// How a pair compares is decided by the lhv: a number numerically, a range by its min/max (equality) or average
/// (ordering), a date or time chronologically, a boolean as a boolean — each when the rhv reads as the same kind.
/// Text from steps (not a lead field) that reads as a number compares numerically with a numeric rhv. Everything else
/// compares as text: equality ignoring case unless the rule is case sensitive, ordering by ordinal character codes
/// (again ignoring case by default), so <c>"b" is greater than "A"</c>.
/// </remarks>
internal static class Comparisons
{
    private const int BufferSize = 64;

    public static bool Equal(in Scalar lhv, Operand rhv, StringComparison comparison)
    {
        if (lhv.IsBlank || rhv.IsBlank)
        {
            return false;
        }

        switch (lhv.Kind)
        {
            case ScalarKind.Number when rhv.HasNumber:
                return lhv.Number == rhv.Number;
            case ScalarKind.Boolean when rhv.HasBoolean:
                return lhv.Boolean == rhv.Boolean;
            case ScalarKind.Range when rhv.HasRange && lhv.Min == rhv.Min && lhv.Max == rhv.Max:
                return true;
            case ScalarKind.Date when rhv.HasDate:
                return lhv.Date == rhv.Date;
            case ScalarKind.Time when rhv.HasTime:
                return lhv.Time == rhv.Time;
            case ScalarKind.Text when lhv.Field is null && rhv.HasNumber && Operand.TryParseNumber(lhv.Text, out var number):
                return number == rhv.Number;
            case ScalarKind.Other:
                return false;
        }

        Span<char> buffer = stackalloc char[BufferSize];
        return lhv.TextSpan(buffer).Equals(rhv.TextFor(lhv.Field), comparison);
    }

    /// <summary>Orders lhv against rhv; false when either is blank or the lhv is a list.</summary>
    public static bool TryCompare(in Scalar lhv, Operand rhv, StringComparison comparison, out int order)
    {
        order = 0;
        if (lhv.IsBlank || rhv.IsBlank || lhv.Kind == ScalarKind.Other)
        {
            return false;
        }

        switch (lhv.Kind)
        {
            case ScalarKind.Number when rhv.HasNumber:
                order = lhv.Number.CompareTo(rhv.Number);
                return true;
            case ScalarKind.Range when rhv.HasRange:
                order = lhv.Number.CompareTo(rhv.Average);
                return true;
            case ScalarKind.Date when rhv.HasDate:
                order = lhv.Date.CompareTo(rhv.Date);
                return true;
            case ScalarKind.Time when rhv.HasTime:
                order = lhv.Time.CompareTo(rhv.Time);
                return true;
            case ScalarKind.Text when rhv.HasNumber && Operand.TryParseNumber(lhv.Text, out var number):
                order = number.CompareTo(rhv.Number);
                return true;
        }

        Span<char> buffer = stackalloc char[BufferSize];
        order = lhv.TextSpan(buffer).CompareTo(rhv.TextFor(lhv.Field), comparison);
        return true;
    }

    /// <summary>A list lhv holds an item equal to the rhv; a text lhv contains the rhv.</summary>
    public static bool Includes(object? value, in Scalar lhv, Operand rhv, StringComparison comparison)
    {
        if (lhv.IsBlank || rhv.IsBlank)
        {
            return false;
        }

        switch (value)
        {
            case FieldValue or string:
                break;
            case IReadOnlyDictionary<string, object?> map:
                return map.ContainsKey(rhv.Text);
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (Equal(Scalar.Of(list[i]), rhv, comparison))
                    {
                        return true;
                    }
                }

                return false;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    if (Equal(Scalar.Of(item), rhv, comparison))
                    {
                        return true;
                    }
                }

                return false;
        }

        Span<char> buffer = stackalloc char[BufferSize];
        return lhv.TextSpan(buffer).Contains(rhv.TextFor(lhv.Field), comparison);
    }

    /// <summary>The lhv as a boolean: a boolean value, 1/0, or text in LeadConduit's boolean words; null otherwise.</summary>
    public static bool? Truth(in Scalar lhv)
    {
        switch (lhv.Kind)
        {
            case ScalarKind.Boolean:
                return lhv.Boolean;
            case ScalarKind.Number when lhv.Number is 1 or 0:
                return lhv.Number == 1;
            case ScalarKind.Text when Operand.TryParseBoolean(lhv.Text, out var value):
                return value;
            default:
                return null;
        }
    }

    /// <summary>The lhv parsed as its type. A blank value is never valid; a value that is not a field (appended data) is
    /// valid when present.</summary>
    public static bool IsValid(in Scalar lhv) => !lhv.IsBlank && (lhv.Field?.Valid ?? true);

    public static bool IsObscene(in Scalar lhv)
    {
        if (lhv.Kind is ScalarKind.Blank or ScalarKind.Other)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[BufferSize];
        return ObsceneWords.AnyIn(lhv.TextSpan(buffer));
    }
}
