using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules;

/// <summary>A rule set compiled to delegates when its flow loaded. Thread-safe; evaluation never throws on missing data.</summary>
public sealed class CompiledRuleSet
{
    private readonly Func<LeadVars, RuleTrace?, bool> _evaluate;

    internal CompiledRuleSet(RuleSetDefinition definition, Func<LeadVars, RuleTrace?, bool> evaluate)
    {
        Definition = definition;
        _evaluate = evaluate;
    }

    /// <summary>What it was compiled from.</summary>
    public RuleSetDefinition Definition { get; }

    /// <summary>Evaluates without recording anything (no allocation for declarative rules).</summary>
    public bool Evaluate(LeadVars vars) => _evaluate(vars, null);

    /// <summary>Evaluates and appends one entry per rule to <paramref name="trace"/>.</summary>
    public bool Evaluate(LeadVars vars, RuleTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return _evaluate(vars, trace);
    }
}

/// <summary>The explanation of one evaluation: for each rule, what it compared and what came out.</summary>
public sealed class RuleTrace
{
    private readonly List<RuleTraceEntry> _entries = [];

    /// <summary>Entries in evaluation order.</summary>
    public IReadOnlyList<RuleTraceEntry> Entries => _entries;

    /// <summary>Records one rule's evaluation.</summary>
    public void Add(RuleTraceEntry entry) => _entries.Add(entry);
}

/// <summary>One rule's evaluation.</summary>
/// <param name="Depth">Nesting depth (0 for the top-level rule set's rules).</param>
/// <param name="Lhv">The lhv as written.</param>
/// <param name="Operator">The operator as written.</param>
/// <param name="Rhv">The rhv as written (lists joined with ", "), or null.</param>
/// <param name="ResolvedLhv">The lhv's value for this lead, as text (masked for ssn and credential types); null when blank.</param>
/// <param name="ResolvedRhv">The rhv's value for this lead, as text; null when none.</param>
/// <param name="Result">Whether the rule passed (including its child rule set).</param>
public sealed record RuleTraceEntry(int Depth, string Lhv, string Operator, string? Rhv, string? ResolvedLhv, string? ResolvedRhv, bool Result);
