using BenchmarkDotNet.Attributes;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Benchmarks;

/// <summary>One JavaScript rule (prepared, pooled engine) against the same predicate as two declarative rules.
/// Target: at most 3 µs per JavaScript evaluation.</summary>
[MemoryDiagnoser]
public class JavaScriptRuleBenchmarks
{
    private CompiledRuleSet _script = null!;
    private CompiledRuleSet _declarative = null!;
    private LeadVars _vars = null!;

    [GlobalSetup]
    public void Setup()
    {
        var flow = BenchmarkFlows.Compile(BenchmarkFlows.Integrations());
        var fields = BenchmarkFlows.Lead.ToDictionary(p => p.Key, p => FieldTypeRegistry.Default.Parse(flow.FieldTypes[p.Key], p.Value!));
        _vars = new LeadVars("lead", fields, new SourceVars("acme", "Acme"), new FlowVars("bench", "bench", "v1"),
            new SubmissionVars("lead", DateTimeOffset.UnixEpoch, null), 50);
        var compiler = new RuleCompiler(new RuleCompilationContext
        {
            Types = FieldTypeRegistry.Default,
            FieldTypeOf = id => flow.FieldTypes.TryGetValue(id, out var type) ? type : null,
        });
        var diagnostics = new DiagnosticBag();
        _script = compiler.Compile(new RuleSetDefinition(RuleSetOperator.And,
            [new ScriptRuleDefinition(ScriptLanguage.JavaScript, "lead.state == 'TX' && lead.vehicle_year > 2005", default)], default), diagnostics);
        _declarative = compiler.Compile(new RuleSetDefinition(RuleSetOperator.And,
        [
            new RuleDefinition("lead.state", "is equal to", RuleValue.Literal("TX"), default),
            new RuleDefinition("lead.vehicle_year", "is greater than", RuleValue.Literal("2005"), default),
        ], default), diagnostics);
        if (diagnostics.Items.Count > 0 || !JavaScript() || !Declarative())
        {
            throw new InvalidOperationException("The benchmark lead must pass both forms: " + string.Join("; ", diagnostics.Items));
        }
    }

    [Benchmark(Baseline = true, Description = "declarative")]
    public bool Declarative() => _declarative.Evaluate(_vars);

    [Benchmark(Description = "JavaScript")]
    public bool JavaScript() => _script.Run(_vars).Passed;
}
