using BenchmarkDotNet.Attributes;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using RulesEngine.Models;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// The same lead through the same 10-rule acceptance set (<see cref="SideBySideRuleSet"/>) in each engine: by hand,
/// declarative, one C# rule, one JavaScript rule, and Microsoft RulesEngine. Targets (issue 7): declarative at least 10×
/// faster than RulesEngine and within 5× of hand-written; C# within 2× of hand-written; JavaScript faster than RulesEngine.
/// </summary>
[MemoryDiagnoser]
public class SideBySideRuleBenchmarks
{
    private LeadVars _vars = null!;
    private CompiledRuleSet _declarative = null!;
    private CompiledRuleSet _csharp = null!;
    private CompiledRuleSet _javaScript = null!;
    private RulesEngine.RulesEngine _rulesEngine = null!;
    private RuleParameter[] _inputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var declarativeFlow = SideBySideRuleSet.Compile(SideBySideRuleSet.DeclarativeFlow);
        if (!ReferenceEquals(declarativeFlow.Layout, SideBySideRuleSet.Layout))
        {
            throw new InvalidOperationException("SideBySideRuleSet.Layout must be the layout of the flow it builds vars for.");
        }

        _declarative = SideBySideRuleSet.Acceptance(declarativeFlow);
        _csharp = SideBySideRuleSet.Acceptance(SideBySideRuleSet.Compile(SideBySideRuleSet.CSharpFlow, CSharpRuleFlow.SharedCache));
        _javaScript = SideBySideRuleSet.Acceptance(SideBySideRuleSet.Compile(SideBySideRuleSet.JavaScriptFlow));
        _rulesEngine = new RulesEngine.RulesEngine(SideBySideRuleSet.Workflow(), SideBySideRuleSet.RulesEngineSettings());

        foreach (var (lead, expected) in new[] { (SideBySideRuleSet.FailingLead, false), (SideBySideRuleSet.PassingLead, true) })
        {
            _vars = SideBySideRuleSet.Vars(lead);
            _inputs = SideBySideRuleSet.RulesEngineInputs(_vars);
            var answers = new (string Engine, bool Answer)[]
            {
                ("hand-written C#", HandWritten()), ("hand-written C#, by slot", HandWrittenBySlot()), ("declarative", Declarative()), ("C# rule", CSharpRule()),
                ("JavaScript rule", JavaScriptRule()), ("RulesEngine", RulesEngine().AsTask().GetAwaiter().GetResult()),
            };
            var wrong = answers.Where(a => a.Answer != expected).ToArray();
            if (wrong.Length > 0)
            {
                throw new InvalidOperationException(
                    $"Every form must say {expected} for the {(expected ? "passing" : "failing")} lead; these did not: "
                    + string.Join(", ", wrong.Select(w => w.Engine))
                    + $" (C# rule: {_csharp.Run(_vars)}, JavaScript rule: {_javaScript.Run(_vars)}, RulesEngine: {SideBySideRuleSet.RulesEngineFailures(_rulesEngine, _inputs)})");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "hand-written C#")]
    public bool HandWritten() => SideBySideRuleSet.HandWritten(_vars);

    [Benchmark(Description = "hand-written C#, by slot")]
    public bool HandWrittenBySlot() => SideBySideRuleSet.HandWrittenBySlot(_vars);

    [Benchmark(Description = "declarative")]
    public bool Declarative() => _declarative.Evaluate(_vars);

    [Benchmark(Description = "C# rule")]
    public bool CSharpRule() => _csharp.Run(_vars).Passed;

    [Benchmark(Description = "JavaScript rule")]
    public bool JavaScriptRule() => _javaScript.Run(_vars).Passed;

    [Benchmark(Description = "RulesEngine 6.0.1")]
    public ValueTask<bool> RulesEngine() => SideBySideRuleSet.RunRulesEngine(_rulesEngine, _inputs);
}
