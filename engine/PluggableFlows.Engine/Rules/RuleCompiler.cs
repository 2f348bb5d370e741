using PluggableFlows.Engine.Diagnostics;

namespace PluggableFlows.Engine.Rules;

/// <summary>Compiles declarative rule sets to delegates, once, when a flow loads.</summary>
public sealed class RuleCompiler
{
    private readonly RuleCompilationContext _context;

    /// <summary>Creates a compiler for one flow.</summary>
    public RuleCompiler(RuleCompilationContext context) => _context = context;

    /// <summary>Compiles <paramref name="ruleSet"/>; problems (unknown operator, unknown field, bad regex,
    /// missing list file, missing rhv) go to <paramref name="diagnostics"/> and the rule compiles to "false".</summary>
    public CompiledRuleSet Compile(RuleSetDefinition ruleSet, DiagnosticBag diagnostics) =>
        throw new NotImplementedException(_context.ToString() + ruleSet + diagnostics);
}
