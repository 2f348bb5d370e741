using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules.CSharp;

/// <summary>A <c>{ csharp: ... }</c> rule in a rule set. Its trace entry shows the rule, <c>csharp</c>, and its result or error.</summary>
internal sealed class CSharpRuleEvaluator(ScriptRuleDefinition definition, CSharpRuleSlot slot) : RuleNodeEvaluator
{
    public override RuleOutcome Evaluate(LeadVars vars, RuleTrace? trace, int depth, ref string? error)
    {
        var (outcome, failure) = slot.Run(vars);
        if (failure is not null)
        {
            error ??= $"csharp rule '{definition.Source}' at {definition.Location}: {failure}";
        }

        trace?.Add(new RuleTraceEntry(depth, definition.Source, "csharp", null,
            failure ?? (outcome == RuleOutcome.True ? "true" : "false"), null, outcome == RuleOutcome.True)
        {
            Error = failure,
        });
        return outcome;
    }
}
