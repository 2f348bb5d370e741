using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Rules.CSharp;
using PluggableFlows.Engine.Rules.CSharp.Runtime;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// One C# rule through the rule set (tracing off) against the same predicate written by hand over the same typed access
/// the generated <c>Lead</c> uses, so the ratio is the cost of the rule machinery alone.
/// Target: at most 100 ns per evaluation, within 2× of hand-written. Means differ from one process to the next by more
/// than within one (an occasional launch runs the rule much slower throughout), so judge the ratio with
/// <c>--launchCount 5</c>.
/// </summary>
[MemoryDiagnoser]
public class CSharpRuleBenchmarks
{
    private const string Predicate =
        """lead.state == "TX" && lead.dob.age >= 21 && lead.phone_1.area == "512" && phone_check["line_type"] == "mobile" """;

    private CompiledRuleSet _rules = null!;
    private LeadVars _vars = null!;

    [GlobalSetup]
    public void Setup()
    {
        var flow = CSharpRuleFlow.Definition();
        _vars = CSharpRuleFlow.Lead(flow);
        _rules = CSharpRuleFlow.Load(CSharpRuleFlow.Context(flow, CSharpRuleFlow.SharedCache),
            new RuleSetDefinition(RuleSetOperator.And, [new ScriptRuleDefinition(ScriptLanguage.CSharp, Predicate, default)], default));
        var result = _rules.Run(_vars);
        if (!result.Passed || !HandWrittenTyped())
        {
            throw new InvalidOperationException($"The benchmark lead must pass the predicate in both forms (C# rule: {result}).");
        }
    }

    [Benchmark(Baseline = true, Description = "hand-written, typed access")]
    public bool HandWrittenTyped()
    {
        var vars = _vars;
        return new Field(RuleFunctions.FieldOf(vars, "state")) == "TX"
            && new Field(RuleFunctions.FieldOf(vars, "dob"))["age"] >= 21
            && new Field(RuleFunctions.FieldOf(vars, "phone_1"))["area"] == "512"
            && new StepData(vars, "phone_check")["line_type"] == "mobile";
    }

    [Benchmark(Description = "C# rule, tracing off")]
    public bool CSharpRule() => _rules.Run(_vars).Passed;
}

/// <summary>
/// A flow's 100 C# rules compiled by Roslyn into an empty cache, the JIT and Roslyn warm (a reload in a running host).
/// Target: at most 2 s.
/// </summary>
[MemoryDiagnoser]
// One compilation per iteration, each into its own empty cache; the warmups jit Roslyn (the first takes seconds).
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5, invocationCount: 1)]
public class CSharpRuleCompilationBenchmarks
{
    private FlowDefinition _flow = null!;
    private RuleSetDefinition _rules = null!;
    private DirectoryInfo _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _flow = CSharpRuleFlow.Definition();
        _rules = CSharpRuleFlow.HundredRules();
    }

    [IterationSetup]
    public void CreateEmptyCache() => _cache = Directory.CreateTempSubdirectory("pflow-bench-csharp-");

    [IterationCleanup]
    public void DeleteCache() => _cache.Delete(recursive: true);

    [Benchmark(Description = "100 C# rules, compiled (empty cache)")]
    public CompiledRuleSet CompileHundredRules()
    {
        var compiled = CSharpRuleFlow.Load(CSharpRuleFlow.Context(_flow, _cache.FullName), _rules);
        return CSharpRuleBatch.Compilations(_cache.FullName) == 1
            ? compiled
            : throw new InvalidOperationException("Roslyn should have compiled the rules exactly once.");
    }
}

/// <summary>
/// The same 100 rules loaded from the disk cache, as after a restart, in a process already warm: no Roslyn compilation,
/// only the per-rule parse, the source hash, the cache read and the assembly load. Target: at most 200 ms.
/// <c>--csharp-cold-start</c> measures the same load in a fresh process.
/// </summary>
[MemoryDiagnoser]
// After three warmups a load was still getting faster, iteration by iteration (the parser reaching tier 1).
[SimpleJob(launchCount: 1, warmupCount: 10, iterationCount: 20)]
public class CSharpRuleCacheBenchmarks
{
    private FlowDefinition _flow = null!;
    private RuleSetDefinition _rules = null!;
    private DirectoryInfo _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _flow = CSharpRuleFlow.Definition();
        _rules = CSharpRuleFlow.HundredRules();
        _cache = Directory.CreateTempSubdirectory("pflow-bench-csharp-");
        CSharpRuleFlow.Load(CSharpRuleFlow.Context(_flow, _cache.FullName), _rules);
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Delete(recursive: true);

    [Benchmark(Description = "100 C# rules, loaded from the disk cache")]
    public CompiledRuleSet LoadHundredRulesFromCache()
    {
        var loaded = CSharpRuleFlow.Load(CSharpRuleFlow.Context(_flow, _cache.FullName), _rules);
        return CSharpRuleBatch.Compilations(_cache.FullName) == 1
            ? loaded
            : throw new InvalidOperationException("A cache hit must not start Roslyn.");
    }
}

/// <summary>
/// <c>--csharp-cold-start [cache folder]</c>: loads the 100-rule flow in this (fresh) process and prints how long it
/// took. BenchmarkDotNet measures a warm process; a restart is a cold one, with Roslyn's parser and the engine still to
/// be loaded and jitted. The first run fills the cache and says so; run it again for the restart figure.
/// <c>--cold-start</c> times the same load (as one row of its table) in fresh processes it starts itself.
/// </summary>
internal static class CSharpRuleColdStart
{
    public static int Run(IReadOnlyList<string> args)
    {
        var cache = args.Count > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "pflow-bench-csharp-cold-start");
        var (result, parsed, loaded, firstLead) = Measure(cache);
        if (!result.Passed)
        {
            throw new InvalidOperationException($"The benchmark lead must pass all 100 rules: {result}");
        }

        using var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        var how = CSharpRuleBatch.Compilations(cache) == 0
            ? "loaded from the disk cache"
            : "compiled by Roslyn (the cache was empty; run again for the restart figure)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"100 C# rules {how}: {loaded.TotalMilliseconds:F1} ms (Compile, which parses each rule: {parsed.TotalMilliseconds:F1} ms; Finish: {(loaded - parsed).TotalMilliseconds:F1} ms); first lead through them: {firstLead.TotalMilliseconds:F1} ms; process start to here: {sinceStart.TotalMilliseconds:F0} ms"));
        return 0;
    }

    /// <summary>Loads the 100 rules (from <paramref name="cache"/> when it holds them) and runs the lead through them.</summary>
    public static RuleSetResult LoadAndRun(string cache)
    {
        var (result, _, _, _) = Measure(cache);
        return result;
    }

    private static (RuleSetResult Result, TimeSpan Parsed, TimeSpan Loaded, TimeSpan FirstLead) Measure(string cache)
    {
        // Reading the flow file is not part of the figure: only what the rules cost a restart.
        var flow = CSharpRuleFlow.Definition();
        var rules = CSharpRuleFlow.HundredRules();

        var clock = Stopwatch.StartNew();
        var compiler = new RuleCompiler(CSharpRuleFlow.Context(flow, cache));
        var diagnostics = new DiagnosticBag();
        var compiled = compiler.Compile(rules, diagnostics);
        var parsed = clock.Elapsed;
        compiler.Finish(diagnostics);
        var loaded = clock.Elapsed;
        if (diagnostics.Items.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, diagnostics.Items));
        }

        var vars = CSharpRuleFlow.Lead(flow);
        clock.Restart();
        var result = compiled.Run(vars);
        return (result, parsed, loaded, clock.Elapsed);
    }
}

/// <summary>The benchmark flow's rule context, lead and C# rule sets, shared by the C# rule benchmarks.</summary>
internal static class CSharpRuleFlow
{
    /// <summary>Cache for rule sets whose compile time is not what is measured.</summary>
    public static readonly string SharedCache = Path.Combine(Path.GetTempPath(), "pflow-bench-csharp-rules");

    public static FlowDefinition Definition()
    {
        var integrations = BenchmarkFlows.Integrations();
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
        }).Parse(BenchmarkFlows.FlowYaml, "bench.yaml");
        return loaded.Succeeded ? loaded.Flow! : throw new InvalidOperationException(string.Join(Environment.NewLine, loaded.Diagnostics));
    }

    /// <summary>The context the flow compiler would build for the flow, with its own C# rule cache.</summary>
    public static RuleCompilationContext Context(FlowDefinition flow, string cacheDirectory)
    {
        var context = FlowRuleContext.Create(flow, FieldTypeRegistry.Default, null);
        return new RuleCompilationContext
        {
            Types = context.Types,
            FieldTypeOf = context.FieldTypeOf,
            FieldIds = context.FieldIds,
            StepKeys = context.StepKeys,
            CSharpCacheDirectory = cacheDirectory,
        };
    }

    /// <summary>The benchmark lead, its fields parsed as the flow's types, after phone_check appended a mobile line type.</summary>
    public static LeadVars Lead(FlowDefinition flow)
    {
        var types = FlowRuleContext.FieldTypesOf(flow);
        var fields = BenchmarkFlows.Lead.ToDictionary(p => p.Key, p => FieldTypeRegistry.Default.Parse(types[p.Key], p.Value!));
        var vars = new LeadVars("lead", fields, new SourceVars("acme", "Acme"), new FlowVars("bench", "bench", "v1"),
            new SubmissionVars("lead", DateTimeOffset.UnixEpoch, null), 50);
        vars.SetStep("phone_check", new StepVars(Outcome.Success, null, new Dictionary<string, object?> { ["line_type"] = "mobile" }));
        return vars;
    }

    /// <summary>Compiles <paramref name="rules"/> and finishes the compiler, which builds (or loads from the cache) the
    /// C# rules; any diagnostic is an error.</summary>
    public static CompiledRuleSet Load(RuleCompilationContext context, RuleSetDefinition rules)
    {
        var compiler = new RuleCompiler(context);
        var diagnostics = new DiagnosticBag();
        var compiled = compiler.Compile(rules, diagnostics);
        compiler.Finish(diagnostics);
        return diagnostics.Items.Count == 0
            ? compiled
            : throw new InvalidOperationException(string.Join(Environment.NewLine, diagnostics.Items));
    }

    /// <summary>100 distinct C# rules in four shapes (comparisons, step data, LINQ with a lambda, statements), each with
    /// its own constants; the benchmark lead passes every one.</summary>
    public static RuleSetDefinition HundredRules() => new(RuleSetOperator.And,
        [.. Enumerable.Range(0, 100).Select(i => new ScriptRuleDefinition(ScriptLanguage.CSharp, Rule(i), default))], default);

    private static string Rule(int i) => (i % 4) switch
    {
        0 => string.Create(CultureInfo.InvariantCulture,
            $"""lead.state == "TX" && lead.dob.age >= {18 + (i % 7)} && lead.phone_1.area != "{900 + i}" """),
        1 => string.Create(CultureInfo.InvariantCulture,
            $"""lead.vehicle_year >= {1990 + (i % 25)} && phone_check["line_type"] == "mobile" """),
        2 => string.Create(CultureInfo.InvariantCulture,
            $$"""new[] { "TX", "OK", "X{{i}}" }.Contains(lead.state.normal) && lead.last_name.normal.Count(c => c == 'q') < {{i + 1}}"""),
        _ => string.Create(CultureInfo.InvariantCulture, $"""
            var age = lead.dob.age.number ?? 0;
            if (age < {16 + (i % 5)}) return false;
            return !matches(lead.last_name, "^(test|fake{i})") && lead.insured && lead.postal_code.zip.starts_with("787");
            """),
    };
}
