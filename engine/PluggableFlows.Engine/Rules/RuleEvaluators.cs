using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules;

/// <summary>What one rule or rule set came to: a script can fail at run time, so a rule is true, false, or an error.</summary>
internal enum RuleOutcome
{
    False,
    True,
    Error,
}

/// <summary>A compiled rule or rule set.</summary>
internal abstract class RuleNodeEvaluator
{
    /// <summary>Evaluates for one lead. Without a trace, rule sets short-circuit; with one, every rule runs so every
    /// rule is explained — the result is the same either way, because evaluating a rule has no side effects.
    /// On <see cref="RuleOutcome.Error"/>, <paramref name="error"/> holds the first error's message.</summary>
    public abstract RuleOutcome Evaluate(LeadVars vars, RuleTrace? trace, int depth, ref string? error);

    public static RuleOutcome Of(bool passed) => passed ? RuleOutcome.True : RuleOutcome.False;

    /// <summary>Three-valued <c>and</c>: false wins over an error (the answer is known without the failed rule),
    /// an error wins over true.</summary>
    public static RuleOutcome And(RuleOutcome left, RuleOutcome right) =>
        left == RuleOutcome.False || right == RuleOutcome.False ? RuleOutcome.False
        : left == RuleOutcome.Error || right == RuleOutcome.Error ? RuleOutcome.Error
        : RuleOutcome.True;

    /// <summary>Three-valued <c>or</c>: true wins over an error, an error wins over false.</summary>
    public static RuleOutcome Or(RuleOutcome left, RuleOutcome right) =>
        left == RuleOutcome.True || right == RuleOutcome.True ? RuleOutcome.True
        : left == RuleOutcome.Error || right == RuleOutcome.Error ? RuleOutcome.Error
        : RuleOutcome.False;
}

internal sealed class RuleSetEvaluator(RuleSetOperator op, RuleNodeEvaluator[] rules) : RuleNodeEvaluator
{
    // Declarative rules without a rule set of their own (nearly every rule set) cannot fail, so without a trace they
    // need no three-valued logic: each is one direct call, and the first decisive one ends the loop.
    private readonly RuleEvaluator[]? _plain =
        rules.All(rule => rule is RuleEvaluator { IsPlain: true }) ? [.. rules.Cast<RuleEvaluator>()] : null;

    /// <summary>The entry point <see cref="CompiledRuleSet"/> calls.</summary>
    public RuleOutcome EvaluateTop(LeadVars vars, RuleTrace? trace, ref string? error) => Evaluate(vars, trace, 0, ref error);

    public override RuleOutcome Evaluate(LeadVars vars, RuleTrace? trace, int depth, ref string? error)
    {
        ArgumentNullException.ThrowIfNull(vars);
        if (rules.Length == 0)
        {
            return RuleOutcome.True;
        }

        if (trace is null && _plain is not null)
        {
            return op == RuleSetOperator.And ? Of(AllHold(_plain, vars)) : Of(AnyHolds(_plain, vars));
        }

        var decisive = op == RuleSetOperator.And ? RuleOutcome.False : RuleOutcome.True;
        var result = op == RuleSetOperator.And ? RuleOutcome.True : RuleOutcome.False;
        foreach (var rule in rules)
        {
            var outcome = rule.Evaluate(vars, trace, depth, ref error);
            result = op == RuleSetOperator.And ? And(result, outcome) : Or(result, outcome);
            if (trace is null && result == decisive)
            {
                return result;
            }
        }

        return result;
    }

    private static bool AllHold(RuleEvaluator[] plain, LeadVars vars)
    {
        foreach (var rule in plain)
        {
            if (!rule.Holds(vars))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyHolds(RuleEvaluator[] plain, LeadVars vars)
    {
        foreach (var rule in plain)
        {
            if (rule.Holds(vars))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class RuleEvaluator(
    RuleDefinition definition,
    LhvSource? lhv,
    RuleCondition condition,
    bool negated,
    RuleSetEvaluator? child,
    string? rhvAsWritten,
    string? lhvFieldType,
    string? rhvMaskType) : RuleNodeEvaluator
{
    /// <summary>Whether the rule is only its own test (no rule set of its own), which cannot fail.</summary>
    public bool IsPlain => child is null;

    /// <summary>The rule's own test, without a trace.</summary>
    public bool Holds(LeadVars vars) => condition.TestValue(lhv?.Resolve(vars), vars) != negated;

    public override RuleOutcome Evaluate(LeadVars vars, RuleTrace? trace, int depth, ref string? error)
    {
        if (trace is null)
        {
            return !Holds(vars) ? RuleOutcome.False : child is null ? RuleOutcome.True : child.Evaluate(vars, null, depth + 1, ref error);
        }

        object? value = null;
        var scalar = lhv is null ? default : lhv.Read(vars, out value);
        var passed = condition.Test(value, scalar, vars) != negated;

        // The rule's own entry comes before its child rule set's entries, but its result includes them.
        RuleTrace? childTrace = null;
        var childOutcome = RuleOutcome.True;
        if (child is not null)
        {
            childTrace = new RuleTrace();
            childOutcome = child.Evaluate(vars, childTrace, depth + 1, ref error);
        }

        var result = And(Of(passed), childOutcome);
        trace.Add(new RuleTraceEntry(depth, definition.Lhv, definition.Operator, rhvAsWritten,
            RuleText.Masked(value, lhvFieldType), RuleText.Masked(condition.DescribeRhv(vars), rhvMaskType), result == RuleOutcome.True)
        {
            Error = result == RuleOutcome.Error ? error : null,
        });
        if (childTrace is not null)
        {
            foreach (var entry in childTrace.Entries)
            {
                trace.Add(entry);
            }
        }

        return result;
    }
}
