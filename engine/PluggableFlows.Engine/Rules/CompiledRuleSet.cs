using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules;

/// <summary>A rule set compiled to delegates when its flow loaded. Thread-safe; evaluation never throws on missing data.</summary>
public sealed class CompiledRuleSet
{
    private readonly RuleSetEvaluator _root;

    internal CompiledRuleSet(RuleSetDefinition definition, RuleSetEvaluator root)
    {
        Definition = definition;
        _root = root;
    }

    /// <summary>What it was compiled from.</summary>
    public RuleSetDefinition Definition { get; }

    /// <summary>Evaluates, appending one entry per rule to <paramref name="trace"/> when one is given. A rule that
    /// fails at run time (a script that throws or exceeds its budget) and decides the result makes the whole rule set
    /// an error: it is never silently true or false.</summary>
    public RuleSetResult Run(LeadVars vars, RuleTrace? trace = null)
    {
        string? error = null;
        return _root.EvaluateTop(vars, trace, ref error) switch
        {
            RuleOutcome.True => new RuleSetResult(true, null),
            RuleOutcome.False => new RuleSetResult(false, null),
            _ => new RuleSetResult(false, error ?? "The rule failed."),
        };
    }

    /// <summary>Evaluates without recording anything (no allocation for declarative rules). For rule sets without
    /// scripts, which cannot fail; <see cref="Run"/> reports a script's failure instead of throwing.</summary>
    /// <exception cref="InvalidOperationException">A rule failed at run time.</exception>
    public bool Evaluate(LeadVars vars) => Passed(Run(vars));

    /// <summary>Evaluates and appends one entry per rule to <paramref name="trace"/>.</summary>
    /// <exception cref="InvalidOperationException">A rule failed at run time.</exception>
    public bool Evaluate(LeadVars vars, RuleTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return Passed(Run(vars, trace));
    }

    private static bool Passed(RuleSetResult result) =>
        result.Error is null ? result.Passed : throw new InvalidOperationException("Rule error: " + result.Error);
}

/// <summary>The answer of a rule set for one lead.</summary>
/// <param name="Passed">Whether it passed (false when <paramref name="Error"/> is set).</param>
/// <param name="Error">Why it could not be decided (a script threw or exceeded its budget), or null.</param>
public readonly record struct RuleSetResult(bool Passed, string? Error)
{
    /// <summary>Whether a rule failed at run time.</summary>
    public bool IsError => Error is not null;
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
/// <remarks>For a script rule, <paramref name="Lhv"/> is the script, <paramref name="Operator"/> its language
/// (<c>js</c>) and <paramref name="ResolvedLhv"/> its result or error.</remarks>
public sealed record RuleTraceEntry(int Depth, string Lhv, string Operator, string? Rhv, string? ResolvedLhv, string? ResolvedRhv, bool Result)
{
    /// <summary>Why the rule could not be decided (a script threw or exceeded its budget), or null.</summary>
    public string? Error { get; init; }
}
