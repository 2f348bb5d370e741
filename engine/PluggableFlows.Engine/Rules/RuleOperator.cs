namespace PluggableFlows.Engine.Rules;

/// <summary>
/// The positive form of every declarative operator. Negative forms (<c>is not equal to</c>, <c>does not include</c>,
/// <c>format is invalid</c>, ...) compile to the positive form with its result inverted, so each pair always
/// disagrees — including for a blank lhv, where the positive form is false and the negative form true.
/// </summary>
internal enum RuleOperator
{
    IsEqualTo,
    IsLessThan,
    IsLessThanOrEqualTo,
    IsGreaterThan,
    IsGreaterThanOrEqualTo,
    IsBetween,
    IsIncludedIn,
    Includes,
    MatchesPattern,
    IsBlank,
    IsTrue,
    IsFalse,
    FormatIsValid,
    IsObscene,
}

/// <summary>One operator name as flows spell it (LeadConduit's names).</summary>
internal sealed record RuleOperatorName(string Name, RuleOperator Operator, bool Negated, bool TakesRhv);

/// <summary>The operator vocabulary: LeadConduit's names, matched case-insensitively with white space collapsed.</summary>
internal static class RuleOperators
{
    public static IReadOnlyList<RuleOperatorName> All { get; } =
    [
        new("is equal to", RuleOperator.IsEqualTo, false, true),
        new("is not equal to", RuleOperator.IsEqualTo, true, true),
        new("is less than", RuleOperator.IsLessThan, false, true),
        new("is less than or equal to", RuleOperator.IsLessThanOrEqualTo, false, true),
        new("is greater than", RuleOperator.IsGreaterThan, false, true),
        new("is greater than or equal to", RuleOperator.IsGreaterThanOrEqualTo, false, true),
        new("is between", RuleOperator.IsBetween, false, true),
        new("is not between", RuleOperator.IsBetween, true, true),
        new("is included in", RuleOperator.IsIncludedIn, false, true),
        new("is not included in", RuleOperator.IsIncludedIn, true, true),
        new("includes", RuleOperator.Includes, false, true),
        new("does not include", RuleOperator.Includes, true, true),
        new("matches pattern", RuleOperator.MatchesPattern, false, true),
        new("does not match pattern", RuleOperator.MatchesPattern, true, true),
        new("is blank", RuleOperator.IsBlank, false, false),
        new("is not blank", RuleOperator.IsBlank, true, false),
        new("is true", RuleOperator.IsTrue, false, false),
        new("is not true", RuleOperator.IsTrue, true, false),
        new("is false", RuleOperator.IsFalse, false, false),
        new("is not false", RuleOperator.IsFalse, true, false),
        new("format is valid", RuleOperator.FormatIsValid, false, false),
        new("format is invalid", RuleOperator.FormatIsValid, true, false),
        new("is obscene", RuleOperator.IsObscene, false, false),
        new("is not obscene", RuleOperator.IsObscene, true, false),
    ];

    private static readonly Dictionary<string, RuleOperatorName> ByName =
        All.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every operator name, for "did you mean" hints and docs.</summary>
    public static IEnumerable<string> Names => All.Select(o => o.Name);

    /// <summary>Finds an operator; <c>"  Is  Equal To "</c> finds <c>is equal to</c>.</summary>
    public static RuleOperatorName? Find(string? written) =>
        written is not null && ByName.TryGetValue(Normalize(written), out var name) ? name : null;

    /// <summary>Trims and collapses runs of white space to one space.</summary>
    public static string Normalize(string written) =>
        string.Join(' ', written.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
