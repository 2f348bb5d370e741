using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Benchmarks;

/// <summary>The 10-rule acceptance set: compiled declarative rules against the same predicate written by hand.</summary>
[MemoryDiagnoser]
public partial class RuleBenchmarks
{
    private CompiledRuleSet _rules = null!;
    private LeadVars _vars = null!;
    private RuleTrace _trace = new();

    [GlobalSetup]
    public void Setup()
    {
        var flow = BenchmarkFlows.Compile(BenchmarkFlows.Integrations());
        _rules = flow.AcceptanceCriteria!.RuleSet;
        var fields = BenchmarkFlows.Lead.ToDictionary(p => p.Key, p => FieldTypeRegistry.Default.Parse(flow.FieldTypes[p.Key], p.Value!));
        _vars = new LeadVars("lead", fields, new SourceVars("acme", "Acme"), new FlowVars("bench", "bench", "v1"),
            new SubmissionVars("lead", DateTimeOffset.UnixEpoch, null), 50);
        if (!_rules.Evaluate(_vars) || !HandWritten())
        {
            throw new InvalidOperationException("The benchmark lead must pass all ten rules in both forms.");
        }
    }

    [Benchmark(Baseline = true, Description = "hand-written C#")]
    public bool HandWritten()
    {
        var f = _vars.Fields;
        return f.TryGetValue("state", out var state) && string.Equals(state.Normal, "TX", StringComparison.OrdinalIgnoreCase)
            && f.TryGetValue("email", out var email) && email.Valid
            && f.TryGetValue("phone_1", out var phone) && phone.Valid
            && phone["area"] is string area && area != "900" && area != "976"
            && f.TryGetValue("vehicle_year", out var year) && year.Value is double y && y >= 2005
            && f.TryGetValue("dob", out var dob) && dob["age"] is int age && age >= 18 && age <= 80
            && f.TryGetValue("postal_code", out var zip) && zip["zip"] is string z && z.Length > 0
            && f.TryGetValue("first_name", out var first) && !string.Equals(first.Normal, "test", StringComparison.OrdinalIgnoreCase)
            && f.TryGetValue("insured", out var insured) && insured.Value is true
            && f.TryGetValue("last_name", out var last) && !TestName().IsMatch(last.Normal);
    }

    [Benchmark(Description = "declarative, tracing off")]
    public bool Declarative() => _rules.Evaluate(_vars);

    [Benchmark(Description = "declarative, traced")]
    public bool DeclarativeTraced()
    {
        _trace = new RuleTrace();
        return _rules.Evaluate(_vars, _trace);
    }

    [GeneratedRegex("^(test|fake)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TestName();
}

/// <summary>Parsing a 12-field lead (phone, email, postal code, dob among them).</summary>
[MemoryDiagnoser]
public class FieldParsingBenchmarks
{
    private readonly KeyValuePair<string, string>[] _lead = [.. BenchmarkFlows.Lead.Select(p => KeyValuePair.Create(p.Key, p.Value!))];
    private readonly Dictionary<string, string> _types = [];
    private readonly FieldTypeRegistry _registry = FieldTypeRegistry.Default;

    [GlobalSetup]
    public void Setup()
    {
        var flow = BenchmarkFlows.Compile(BenchmarkFlows.Integrations());
        foreach (var (id, _) in _lead)
        {
            _types[id] = flow.FieldTypes[id];
        }
    }

    [Benchmark(Description = "parse 12-field lead")]
    public int Parse12Fields()
    {
        var valid = 0;
        foreach (var (id, raw) in _lead)
        {
            if (_registry.Parse(_types[id], raw).Valid)
            {
                valid++;
            }
        }

        return valid;
    }
}

/// <summary>One lead through the in-process pipeline: 10 rules, two enhancements, a filter and a delivery.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private CompiledFlow _flow = null!;
    private LeadProcessor _traced = null!;
    private LeadProcessor _untraced = null!;
    private readonly LeadSubmission _lead = new("acme", BenchmarkFlows.Lead);
    private readonly SocketsHttpHandler _http = new();

    [GlobalSetup]
    public void Setup()
    {
        var integrations = BenchmarkFlows.Integrations();
        _flow = BenchmarkFlows.Compile(integrations);
        var invoker = new IntegrationInvoker(_http, TimeProvider.System);
        _traced = new LeadProcessor(FieldTypeRegistry.Default, integrations, invoker, TimeProvider.System);
        _untraced = new LeadProcessor(FieldTypeRegistry.Default, integrations, invoker, TimeProvider.System,
            new PipelineOptions { TraceRules = false });
        if (_traced.ProcessAsync(_flow, _lead).GetAwaiter().GetResult().Outcome != Outcome.Success)
        {
            throw new InvalidOperationException("The benchmark lead must succeed.");
        }
    }

    [Benchmark(Baseline = true, Description = "pipeline, rules traced")]
    public Task<LeadResult> Traced() => _traced.ProcessAsync(_flow, _lead);

    [Benchmark(Description = "pipeline, tracing off")]
    public Task<LeadResult> Untraced() => _untraced.ProcessAsync(_flow, _lead);
}
