using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Testing;

namespace PluggableFlows.Plugins.Http.Tests;

/// <summary>Every example flow in docs/presets.md loads and compiles against the http integrations and the shipped templates.</summary>
public sealed partial class PresetDocTests
{
    private readonly IntegrationRegistry _integrations = new([new HttpJson(), new HttpForm(), new HttpQuery(), new HttpXml(), new HttpSoap()]);

    public static TheoryData<string> Examples()
    {
        var text = File.ReadAllText(RepoPaths.Combine("docs", "presets.md"));
        var data = new TheoryData<string>();
        foreach (Match match in YamlBlock().Matches(text))
        {
            data.Add(match.Groups[1].Value);
        }

        return data;
    }

    [Fact]
    public void Presets_doc_has_an_example_for_each_preset() => Examples().Count.ShouldBe(4);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Presets_doc_example_loads_and_compiles(string yaml)
    {
        var scripts = RepoPaths.Combine("scripts");
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => _integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
            ScriptsRoot = scripts,
        }).Parse(yaml, "presets.yaml");
        loaded.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, loaded.Diagnostics));

        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, _integrations, scripts).Compile(loaded.Flow!, diagnostics);

        diagnostics.Items.ShouldBeEmpty(string.Join(Environment.NewLine, diagnostics.Items));
        flow.ShouldNotBeNull();
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
