using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules;

/// <summary>A compiled rule or rule set.</summary>
internal abstract class RuleNodeEvaluator
{
    /// <summary>Evaluates for one lead. Without a trace, rule sets short-circuit; with one, every rule runs so every
    /// rule is explained — the result is the same either way, because evaluating a rule has no side effects.</summary>
    public abstract bool Evaluate(LeadVars vars, RuleTrace? trace, int depth);
}

internal sealed class RuleSetEvaluator(RuleSetOperator op, RuleNodeEvaluator[] rules) : RuleNodeEvaluator
{
    /// <summary>The entry point <see cref="CompiledRuleSet"/> calls.</summary>
    public bool EvaluateTop(LeadVars vars, RuleTrace? trace) => Evaluate(vars, trace, 0);

    public override bool Evaluate(LeadVars vars, RuleTrace? trace, int depth)
    {
        ArgumentNullException.ThrowIfNull(vars);
        if (rules.Length == 0)
        {
            return true;
        }

        if (trace is null)
        {
            foreach (var rule in rules)
            {
                if (rule.Evaluate(vars, null, depth) != (op == RuleSetOperator.And))
                {
                    return op == RuleSetOperator.Or;
                }
            }

            return op == RuleSetOperator.And;
        }

        var result = op == RuleSetOperator.And;
        foreach (var rule in rules)
        {
            var passed = rule.Evaluate(vars, trace, depth);
            result = op == RuleSetOperator.And ? result && passed : result || passed;
        }

        return result;
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
    public override bool Evaluate(LeadVars vars, RuleTrace? trace, int depth)
    {
        var value = lhv?.Resolve(vars);
        var scalar = Scalar.Of(value);
        var passed = condition.Test(value, scalar, vars) != negated;
        if (trace is null)
        {
            return passed && (child is null || child.Evaluate(vars, null, depth + 1));
        }

        // The rule's own entry comes before its child rule set's entries, but its result includes them.
        RuleTrace? childTrace = null;
        var childPassed = true;
        if (child is not null)
        {
            childTrace = new RuleTrace();
            childPassed = child.Evaluate(vars, childTrace, depth + 1);
        }

        var result = passed && childPassed;
        trace.Add(new RuleTraceEntry(depth, definition.Lhv, definition.Operator, rhvAsWritten,
            RuleText.Masked(value, lhvFieldType), RuleText.Masked(condition.DescribeRhv(vars), rhvMaskType), result));
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
