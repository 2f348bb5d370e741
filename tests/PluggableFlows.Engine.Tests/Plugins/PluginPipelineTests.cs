using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Tests.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Plugins;

/// <summary>A flow whose step runs an integration loaded from a plugin folder, end to end.</summary>
public sealed class PluginPipelineTests : IDisposable
{
    private const string Flow = """
        id: plugin-flow
        name: Plugin flow
        fields: [first_name]
        sources:
          - { id: acme, name: Acme Media }
        steps:
          - { key: build, type: enhancement, integration: test.reloadable }
        """;

    private readonly PluginsFolder _plugins = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero));

    public void Dispose() => _plugins.Dispose();

    [Fact]
    public async Task A_step_event_records_the_plugin_and_version_that_ran_it()
    {
        _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "reloadable");
        var catalog = _plugins.Load();
        var processor = new LeadProcessor(FieldTypeRegistry.Default, catalog, new IntegrationInvoker(new SocketsHttpHandler(), _time), _time);

        var result = await processor.ProcessAsync(Compile(Flow, catalog), TestFlows.Lead("acme", ("first_name", "Ada")));

        result.Outcome.ShouldBe(Outcome.Success);
        var step = result.Events.Single(e => e.Kind == EventKind.Step);
        step.Integration.ShouldBe("test.reloadable");
        step.Outcome.ShouldBe(Outcome.Success);
        step.Plugin.ShouldBe("reloadable");
        step.PluginVersion.ShouldBe("1.0.0.0");
        step.Appended["version"].ShouldBe("1");
    }

    private static CompiledFlow Compile(string yaml, IIntegrationRegistry registry)
    {
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => registry.TryGet(id, out var integration) ? integration.Descriptor : null,
            KnownIntegrationIds = registry.All.Select(i => i.Descriptor.Id).ToArray(),
        }).Parse(yaml, "plugin-flow.yaml");
        loaded.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, loaded.Diagnostics));

        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, registry, scriptsRoot: null).Compile(loaded.Flow!, diagnostics);
        diagnostics.Items.ShouldBeEmpty(string.Join(Environment.NewLine, diagnostics.Items));
        return flow.ShouldNotBeNull();
    }
}
