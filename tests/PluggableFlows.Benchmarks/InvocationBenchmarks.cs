using BenchmarkDotNet.Attributes;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// Host-side overhead of one integration step: a flow of ten steps calling a no-op in-process plugin, against the same
/// flow with no steps (tracing off). Per-invocation overhead = (ten steps − no steps) / 10.
/// </summary>
[MemoryDiagnoser]
public class InvocationBenchmarks
{
    private readonly LeadSubmission _lead = new("acme", new Dictionary<string, string?> { ["email"] = "ada@example.com" });
    private readonly SocketsHttpHandler _http = new();
    private CompiledFlow _empty = null!;
    private CompiledFlow _tenSteps = null!;
    private LeadProcessor _processor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new IntegrationRegistry([new NoOp()]);
        _empty = Compile(registry, "");
        _tenSteps = Compile(registry, string.Concat(Enumerable.Range(1, 10).Select(i =>
            $"  - {{ key: step_{i}, type: enhancement, integration: test.noop, inputs: {{ email: \"{{{{ lead.email }}}}\" }} }}\n")));
        _processor = new LeadProcessor(FieldTypeRegistry.Default, registry, new IntegrationInvoker(_http, TimeProvider.System),
            TimeProvider.System, new PipelineOptions { TraceRules = false });
    }

    [Benchmark(Baseline = true, Description = "lead, no steps")]
    public Task<LeadResult> NoSteps() => _processor.ProcessAsync(_empty, _lead);

    [Benchmark(Description = "lead, ten no-op steps")]
    public Task<LeadResult> TenSteps() => _processor.ProcessAsync(_tenSteps, _lead);

    private static CompiledFlow Compile(IntegrationRegistry registry, string steps)
    {
        var yaml = "id: bench\nfields: [email]\nsources: [ { id: acme } ]\n" + (steps.Length > 0 ? "steps:\n" + steps : "");
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => registry.TryGet(id, out var integration) ? integration.Descriptor : null,
        }).Parse(yaml, "bench.yaml");
        var diagnostics = new DiagnosticBag();
        return (loaded.Succeeded ? new FlowCompiler(FieldTypeRegistry.Default, registry, null).Compile(loaded.Flow, diagnostics) : null)
            ?? throw new InvalidOperationException(string.Join(Environment.NewLine, loaded.Diagnostics.Concat(diagnostics.Items)));
    }

    /// <summary>Does nothing, at once.</summary>
    private sealed class NoOp : IHandlerIntegration
    {
        private static readonly Task<IntegrationResult> Done = Task.FromResult(IntegrationResult.Success());

        public IntegrationDescriptor Descriptor { get; } = new()
        {
            Id = "test.noop",
            Name = "No-op",
            Kind = IntegrationKind.Enhancement,
            RequestVariables = [new VariableDescriptor("email", "email")],
        };

        public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) => Done;
    }
}
