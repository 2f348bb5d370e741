using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>Compiles flows written inline as YAML, the way users write them.</summary>
internal static class TestFlows
{
    public static CompiledFlow Compile(string yaml, params IIntegration[] integrations) => CompileIn(null, yaml, integrations);

    /// <summary>Compiles YAML whose list and rule files are under <paramref name="scriptsRoot"/>.</summary>
    public static CompiledFlow CompileIn(string? scriptsRoot, string yaml, params IIntegration[] integrations)
    {
        var registry = new IntegrationRegistry(integrations);
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => registry.TryGet(id, out var integration) ? integration.Descriptor : null,
            KnownIntegrationIds = registry.All.Select(i => i.Descriptor.Id).ToArray(),
            ScriptsRoot = scriptsRoot,
        }).Parse(yaml, "test.yaml");
        loaded.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, loaded.Diagnostics));

        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, registry, scriptsRoot).Compile(loaded.Flow!, diagnostics);
        diagnostics.Items.ShouldBeEmpty(string.Join(Environment.NewLine, diagnostics.Items));
        return flow!;
    }

    /// <summary>Loads a flow file the way the host does (<see cref="FlowCatalog"/>), requiring no diagnostics.</summary>
    public static CompiledFlow CompileFile(string path, params IIntegration[] integrations)
    {
        var load = new FlowCatalog(FieldTypeRegistry.Default, new IntegrationRegistry(integrations)).LoadFile(path);
        load.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, load.Diagnostics));
        return load.Flow.ShouldNotBeNull();
    }

    public static LeadSubmission Lead(string source, params (string Name, string Value)[] fields) =>
        new(source, fields.ToDictionary(f => f.Name, f => (string?)f.Value));
}

/// <summary>A lead processor over the integrations a test's flows use, on a fake clock fixed at a known instant.</summary>
internal sealed class PipelineHarness
{
    private readonly List<IIntegration> _integrations = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero));

    public LeadProcessor Processor(PipelineOptions? options = null) =>
        new(FieldTypeRegistry.Default, new IntegrationRegistry(_integrations), new IntegrationInvoker(new SocketsHttpHandler(), Time), Time, options);

    public CompiledFlow Compile(string yaml, params IIntegration[] integrations)
    {
        _integrations.AddRange(integrations);
        return TestFlows.Compile(yaml, integrations);
    }

    public CompiledFlow CompileIn(string scriptsRoot, string yaml, params IIntegration[] integrations)
    {
        _integrations.AddRange(integrations);
        return TestFlows.CompileIn(scriptsRoot, yaml, integrations);
    }

    public CompiledFlow CompileFile(string path, params IIntegration[] integrations)
    {
        _integrations.AddRange(integrations);
        return TestFlows.CompileFile(path, integrations);
    }
}

/// <summary>An in-process integration whose behaviour each test chooses.</summary>
internal sealed class FakeIntegration : IHandlerIntegration
{
    private readonly Func<IntegrationInput, CancellationToken, Task<IntegrationResult>> _handle;

    public FakeIntegration(string id, IntegrationKind kind, Func<IntegrationInput, IntegrationResult> handle,
        IntegrationClass integrationClass = IntegrationClass.Byoc, decimal cost = 0, params string[] inputs)
        : this(id, kind, (input, _) => Task.FromResult(handle(input)), integrationClass, cost, inputs)
    {
    }

    public FakeIntegration(string id, IntegrationKind kind, Func<IntegrationInput, CancellationToken, Task<IntegrationResult>> handle,
        IntegrationClass integrationClass = IntegrationClass.Byoc, decimal cost = 0, params string[] inputs)
    {
        _handle = handle;
        Descriptor = new IntegrationDescriptor
        {
            Id = id,
            Name = id,
            Kind = kind,
            Class = integrationClass,
            CostPerTransaction = cost,
            Credentials = [new CredentialDescriptor("api_key", Required: false)],
            RequestVariables = inputs.Length == 0 ? [new VariableDescriptor("*", "string")] : inputs.Select(i => new VariableDescriptor(i, "string")).ToArray(),
        };
    }

    public IntegrationDescriptor Descriptor { get; }

    public List<IntegrationInput> Calls { get; } = [];

    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(context.Input);
        }

        return _handle(context.Input, cancellationToken);
    }
}
