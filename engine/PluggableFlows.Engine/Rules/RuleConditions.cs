using System.Text.RegularExpressions;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules;

/// <summary>One operator applied to a resolved lhv, with its rhv already read.</summary>
internal abstract class RuleCondition
{
    public abstract bool Test(object? value, in Scalar lhv, LeadVars vars);

    /// <summary>The same test from the lhv's value alone, for evaluations without a trace. Conditions override it with
    /// a path for plain text and numbers (<see cref="PlainValue"/>) that needs no <see cref="Scalar"/>; every other
    /// value takes the <see cref="Scalar"/> path, so both entry points always agree.</summary>
    public virtual bool TestValue(object? value, LeadVars vars) => Test(value, Scalar.Of(value), vars);

    /// <summary>The rhv for this lead, as a trace shows it.</summary>
    public virtual string? DescribeRhv(LeadVars vars) => null;
}

/// <summary>A single-value rhv: a literal read at compile time, or a template read per lead.</summary>
internal abstract class OperandSource
{
    public abstract Operand Get(LeadVars vars);

    /// <summary>The operand when it is the same for every lead (a literal), else null.</summary>
    public virtual Operand? Fixed => null;

    public static OperandSource Constant(Operand operand) => new ConstantSource(operand);

    public static OperandSource Template(RuleTemplate template, Func<string, FieldValue?> parseAsLhvType) =>
        new TemplateSource(template, parseAsLhvType);

    private sealed class ConstantSource(Operand operand) : OperandSource
    {
        public override Operand Get(LeadVars vars) => operand;

        public override Operand? Fixed => operand;
    }

    // Templates read their value per lead, so they allocate; literals never do.
    private sealed class TemplateSource(RuleTemplate template, Func<string, FieldValue?> parseAsLhvType) : OperandSource
    {
        public override Operand Get(LeadVars vars) => Operand.FromValue(template.Resolve(vars), parseAsLhvType);
    }
}

/// <summary>A rule that did not compile: always false, whatever its operator.</summary>
internal sealed class NeverCondition : RuleCondition
{
    public static NeverCondition Instance { get; } = new();

    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => false;
}

internal sealed class EqualCondition(OperandSource rhv, StringComparison comparison) : RuleCondition
{
    private readonly Operand? _constant = rhv.Fixed;

    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => Comparisons.Equal(lhv, rhv.Get(vars), comparison);

    public override bool TestValue(object? value, LeadVars vars)
    {
        var operand = _constant ?? rhv.Get(vars);
        // Text that is not a lead field reads as a number when the rhv is one: that takes the Scalar path.
        if (PlainValue.TryText(value, out var text, out var field) && (field is not null || !operand.HasNumber))
        {
            return text is not null && !operand.IsBlank && text.AsSpan().Trim().Equals(operand.TextFor(field), comparison);
        }

        if (operand.HasNumber && PlainValue.TryNumber(value, out var number))
        {
            return number == operand.Number;
        }

        return Comparisons.Equal(Scalar.Of(value), operand, comparison);
    }

    public override string? DescribeRhv(LeadVars vars) => rhv.Get(vars).Describe();
}

internal sealed class OrderCondition(OperandSource rhv, StringComparison comparison, RuleOperator op) : RuleCondition
{
    private readonly Operand? _constant = rhv.Fixed;

    public override bool Test(object? value, in Scalar lhv, LeadVars vars) =>
        Comparisons.TryCompare(lhv, rhv.Get(vars), comparison, out var order) && Holds(order);

    public override bool TestValue(object? value, LeadVars vars)
    {
        var operand = _constant ?? rhv.Get(vars);
        return operand.HasNumber && PlainValue.TryNumber(value, out var number)
            ? Holds(number.CompareTo(operand.Number))
            : Comparisons.TryCompare(Scalar.Of(value), operand, comparison, out var order) && Holds(order);
    }

    private bool Holds(int order) => op switch
    {
        RuleOperator.IsLessThan => order < 0,
        RuleOperator.IsLessThanOrEqualTo => order <= 0,
        RuleOperator.IsGreaterThan => order > 0,
        _ => order >= 0,
    };

    public override string? DescribeRhv(LeadVars vars) => rhv.Get(vars).Describe();
}

internal sealed class IncludesCondition(OperandSource rhv, StringComparison comparison) : RuleCondition
{
    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => Comparisons.Includes(value, lhv, rhv.Get(vars), comparison);

    public override string? DescribeRhv(LeadVars vars) => rhv.Get(vars).Describe();
}

/// <summary>Inclusive: <c>min &lt;= lhv &lt;= max</c>. Its negation, <c>is not between</c>, is therefore strictly outside.</summary>
internal sealed class BetweenCondition : RuleCondition
{
    private readonly RangeBounds? _bounds;
    private readonly RuleTemplate? _template;
    private readonly Func<string, FieldValue?> _parseAsLhvType;
    private readonly StringComparison _comparison;

    public BetweenCondition(RangeBounds bounds, StringComparison comparison)
    {
        _bounds = bounds;
        _comparison = comparison;
        _parseAsLhvType = static _ => null;
    }

    public BetweenCondition(RuleTemplate template, Func<string, FieldValue?> parseAsLhvType, StringComparison comparison)
    {
        _template = template;
        _parseAsLhvType = parseAsLhvType;
        _comparison = comparison;
    }

    public override bool Test(object? value, in Scalar lhv, LeadVars vars)
    {
        var bounds = _bounds ?? RangeBounds.TryRead(RuleText.Of(_template!.Resolve(vars)), _parseAsLhvType);
        return bounds is not null
            && Comparisons.TryCompare(lhv, bounds.Low, _comparison, out var low) && low >= 0
            && Comparisons.TryCompare(lhv, bounds.High, _comparison, out var high) && high <= 0;
    }

    public override bool TestValue(object? value, LeadVars vars) =>
        _bounds is { Low.HasNumber: true, High.HasNumber: true } bounds && PlainValue.TryNumber(value, out var number)
            ? number.CompareTo(bounds.Low.Number) >= 0 && number.CompareTo(bounds.High.Number) <= 0
            : Test(value, Scalar.Of(value), vars);

    public override string? DescribeRhv(LeadVars vars) =>
        _bounds?.Describe() ?? RuleText.Of(_template!.Resolve(vars));
}

/// <summary>The two ends of an <c>is between</c> rhv.</summary>
internal sealed class RangeBounds(Operand low, Operand high)
{
    public Operand Low { get; } = low;

    public Operand High { get; } = high;

    public string Describe() => Low.Describe() + " to " + High.Describe();

    /// <summary>Reads <c>min-max</c>, <c>min to max</c> or two dates joined by <c>-</c>; null when it is none of those.</summary>
    public static RangeBounds? TryRead(string? text, Func<string, FieldValue?> parseAsLhvType)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var to = text.IndexOf(" to ", StringComparison.OrdinalIgnoreCase);
        if (to > 0)
        {
            return From(text[..to], text[(to + 4)..], parseAsLhvType);
        }

        var numbers = Operand.Parse(text, null);
        if (numbers is { HasRange: true, HasNumber: false } && !double.IsPositiveInfinity(numbers.Max))
        {
            return new RangeBounds(Operand.Parse(Format(numbers.Min), null), Operand.Parse(Format(numbers.Max), null));
        }

        // Dates contain dashes themselves: try every dash as the separator.
        for (var dash = text.IndexOf('-', StringComparison.Ordinal); dash > 0; dash = text.IndexOf('-', dash + 1))
        {
            var low = Operand.Parse(text[..dash], parseAsLhvType(text[..dash].Trim()));
            var high = Operand.Parse(text[(dash + 1)..], parseAsLhvType(text[(dash + 1)..].Trim()));
            if (low.HasDate && high.HasDate && !low.HasNumber && !high.HasNumber)
            {
                return Ordered(low, high);
            }
        }

        return null;
    }

    /// <summary>A two-item list: <c>[18, 65]</c>.</summary>
    public static RangeBounds? From(string low, string high, Func<string, FieldValue?> parseAsLhvType)
    {
        if (string.IsNullOrWhiteSpace(low) || string.IsNullOrWhiteSpace(high))
        {
            return null;
        }

        return Ordered(Operand.Parse(low, parseAsLhvType(low.Trim())), Operand.Parse(high, parseAsLhvType(high.Trim())));
    }

    private static RangeBounds Ordered(Operand low, Operand high)
    {
        var reversed = (low.HasNumber && high.HasNumber && low.Number > high.Number)
            || (!low.HasNumber && low.HasDate && high.HasDate && low.Date > high.Date);
        return reversed ? new RangeBounds(high, low) : new RangeBounds(low, high);
    }

    private static string Format(double number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary><c>is included in</c>: membership in a set built once.</summary>
internal sealed class IncludedInCondition : RuleCondition
{
    private readonly RhvList? _list;
    private readonly RuleTemplate? _template;
    private readonly Func<IEnumerable<string>, RhvList>? _build;

    public IncludedInCondition(RhvList list) => _list = list;

    public IncludedInCondition(RuleTemplate template, Func<IEnumerable<string>, RhvList> build)
    {
        _template = template;
        _build = build;
    }

    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => (_list ?? PerLead(vars)).Contains(lhv);

    public override bool TestValue(object? value, LeadVars vars) => (_list ?? PerLead(vars)).Contains(value);

    public override string? DescribeRhv(LeadVars vars) => (_list ?? PerLead(vars)).Description;

    private RhvList PerLead(LeadVars vars) => _template!.Resolve(vars) switch
    {
        string text => _build!(RhvList.SplitCommas(text)),
        FieldValue field => _build!(RhvList.SplitCommas(field.Normal)),
        System.Collections.IEnumerable items => _build!(items.Cast<object?>().Select(RuleText.Of).OfType<string>()),
        var other => _build!(RuleText.Of(other) is { } one ? [one] : []),
    };
}

/// <summary>The items of an <c>is included in</c> rhv, normalised as the lhv's field type.</summary>
internal sealed class RhvList
{
    private readonly HashSet<string> _texts;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly HashSet<double> _numbers = [];

    // Most lists a rule writes are a handful of items ([900, 976], [TX, CA]); scanning those is cheaper than hashing the
    // lhv (case-insensitive hashing, then a number hash). Larger lists (list files) use the sets.
    private const int SmallList = 8;
    private readonly string[]? _smallTexts;
    private readonly double[]? _smallNumbers;
    private readonly StringComparison _comparison;

    public RhvList(IEnumerable<string> items, StringComparer comparer, Func<string, FieldValue?> parseAsLhvType, string? description = null)
    {
        _texts = new HashSet<string>(comparer);
        var written = new List<string>();
        foreach (var raw in items)
        {
            var item = raw.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            written.Add(item);
            _texts.Add(item);
            if (parseAsLhvType(item) is { Valid: true, IsBlank: false } typed)
            {
                _texts.Add(typed.Normal);
                if (typed.Value is double typedNumber)
                {
                    _numbers.Add(typedNumber);
                }
            }

            if (Operand.TryParseNumber(item, out var number))
            {
                _numbers.Add(number);
            }
        }

        _lookup = _texts.GetAlternateLookup<ReadOnlySpan<char>>();
        Description = description ?? string.Join(", ", written);
        var comparison = comparer == StringComparer.Ordinal ? StringComparison.Ordinal
            : comparer == StringComparer.OrdinalIgnoreCase ? StringComparison.OrdinalIgnoreCase
            : (StringComparison?)null;
        if (comparison is { } known && _texts.Count <= SmallList && _numbers.Count <= SmallList)
        {
            _comparison = known;
            _smallTexts = [.. _texts];
            _smallNumbers = [.. _numbers];
        }
    }

    public string Description { get; }

    public int Count => _texts.Count;

    public static IEnumerable<string> SplitCommas(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary><see cref="Contains(in Scalar)"/> for a value as resolved, reading plain text without a <see cref="Scalar"/>.</summary>
    public bool Contains(object? value)
    {
        if (!PlainValue.TryText(value, out var text, out var field))
        {
            return Contains(Scalar.Of(value));
        }

        if (text is null)
        {
            return false;
        }

        return ContainsText(text.AsSpan().Trim())
            || (field is null && _numbers.Count > 0 && Operand.TryParseNumber(text, out var number) && ContainsNumber(number));
    }

    private bool ContainsText(ReadOnlySpan<char> text)
    {
        if (_smallTexts is null)
        {
            return _lookup.Contains(text);
        }

        foreach (var item in _smallTexts)
        {
            if (text.Equals(item, _comparison))
            {
                return true;
            }
        }

        return false;
    }

    private bool ContainsNumber(double number)
    {
        if (_smallNumbers is null)
        {
            return _numbers.Contains(number);
        }

        // As HashSet<double> compares: NaN is found by NaN, 0 by -0.
        foreach (var item in _smallNumbers)
        {
            if (item.Equals(number))
            {
                return true;
            }
        }

        return false;
    }

    public bool Contains(in Scalar lhv)
    {
        if (lhv.Kind is ScalarKind.Blank or ScalarKind.Other)
        {
            return false;
        }

        if (lhv.Kind == ScalarKind.Number && ContainsNumber(lhv.Number))
        {
            return true;
        }

        // The text first: an exact match is the common case and needs no number parsed.
        Span<char> buffer = stackalloc char[64];
        if (ContainsText(lhv.TextSpan(buffer)))
        {
            return true;
        }

        return lhv.Kind == ScalarKind.Text && lhv.Field is null && _numbers.Count > 0
            && Operand.TryParseNumber(lhv.Text, out var number) && ContainsNumber(number);
    }
}

internal sealed class MatchesCondition : RuleCondition
{
    private readonly Regex? _regex;
    private readonly RuleTemplate? _template;
    private readonly RegexOptions _options;
    private readonly TimeSpan _timeout;

    public MatchesCondition(Regex regex)
    {
        _regex = regex;
        _timeout = regex.MatchTimeout;
    }

    public MatchesCondition(RuleTemplate template, RegexOptions options, TimeSpan timeout)
    {
        _template = template;
        _options = options;
        _timeout = timeout;
    }

    public override bool Test(object? value, in Scalar lhv, LeadVars vars)
    {
        if (lhv.Kind is ScalarKind.Blank or ScalarKind.Other)
        {
            return false;
        }

        var regex = _regex ?? PerLead(vars);
        if (regex is null)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[64];
        return IsMatch(regex, lhv.TextSpan(buffer));
    }

    public override bool TestValue(object? value, LeadVars vars)
    {
        if (!PlainValue.TryText(value, out var text, out _))
        {
            return Test(value, Scalar.Of(value), vars);
        }

        return text is not null && (_regex ?? PerLead(vars)) is { } regex && IsMatch(regex, text.AsSpan().Trim());
    }

    public override string? DescribeRhv(LeadVars vars) => _regex?.ToString() ?? RuleText.Of(_template!.Resolve(vars));

    private static bool IsMatch(Regex regex, ReadOnlySpan<char> text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pattern that backtracks past its budget says nothing about the lead: the rule is false.
            return false;
        }
    }

    private Regex? PerLead(LeadVars vars)
    {
        var pattern = RuleText.Of(_template!.Resolve(vars));
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, _options, _timeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

internal sealed class BlankCondition : RuleCondition
{
    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => lhv.IsBlank;

    public override bool TestValue(object? value, LeadVars vars) =>
        PlainValue.TryText(value, out var text, out _) ? text is null : Scalar.Of(value).IsBlank;
}

internal sealed class TruthCondition(bool expected) : RuleCondition
{
    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => Comparisons.Truth(lhv) == expected;

    public override bool TestValue(object? value, LeadVars vars) =>
        value is FieldValue { Value: bool boolean } field && !field.IsBlank ? boolean == expected : Test(value, Scalar.Of(value), vars);
}

internal sealed class ValidCondition : RuleCondition
{
    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => Comparisons.IsValid(lhv);

    public override bool TestValue(object? value, LeadVars vars) =>
        value is FieldValue field ? !field.IsBlank && field.Valid : Test(value, Scalar.Of(value), vars);
}

internal sealed class ObsceneCondition : RuleCondition
{
    public override bool Test(object? value, in Scalar lhv, LeadVars vars) => Comparisons.IsObscene(lhv);
}
