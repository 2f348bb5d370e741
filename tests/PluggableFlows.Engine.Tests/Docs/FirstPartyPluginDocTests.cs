using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Plugins.Email;
using PluggableFlows.Plugins.Http;
using PluggableFlows.Plugins.Phone;
using PluggableFlows.Plugins.Suppression;
using PluggableFlows.Plugins.TrustedForm;

namespace PluggableFlows.Engine.Tests.Docs;

/// <summary>The flows in docs/plugins-first-party.md and docs/presets.md load and compile against the real first-party
/// integrations (the presets with their shipped templates).</summary>
public sealed partial class FirstPartyPluginDocTests : IDisposable
{
    private readonly string _scripts = Directory.CreateTempSubdirectory("pflow-firstparty-docs-").FullName;

    private readonly IntegrationRegistry _integrations = new(
    [
        new PhoneVerify(), new EmailVerify(), new SuppressionQuery(), new SuppressionAdd(), new SuppressionDelete(),
        new SuppressionIsUnique(), new TrustedFormVerify(), new HttpJson(), new HttpForm(), new HttpQuery(), new HttpXml(), new HttpSoap(),
    ]);

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    [Fact]
    public void First_party_plugins_doc_flow_loads_and_compiles()
    {
        var flows = YamlBlocks("plugins-first-party.md");

        flows.ShouldNotBeEmpty();
        foreach (var yaml in flows)
        {
            LoadsAndCompiles(yaml, _scripts, "plugins-first-party.yaml");
        }
    }

    [Fact]
    public void Presets_doc_has_an_example_for_each_preset_and_each_compiles_with_the_shipped_template()
    {
        var flows = YamlBlocks("presets.md");

        flows.Count.ShouldBe(4, "Salesforce Web-to-Lead, HubSpot Forms, Five9 add-to-list, LeadConduit");
        foreach (var yaml in flows)
        {
            LoadsAndCompiles(yaml, PluggableFlows.Testing.RepoPaths.Combine("scripts"), "presets.yaml");
        }
    }

    private static List<string> YamlBlocks(string doc) =>
        YamlBlock().Matches(File.ReadAllText(PluggableFlows.Testing.RepoPaths.Combine("docs", doc))).Select(m => m.Groups[1].Value).ToList();

    private void LoadsAndCompiles(string yaml, string scripts, string name)
    {
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => _integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
            ScriptsRoot = scripts,
        }).Parse(yaml, name);
        loaded.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, loaded.Diagnostics));

        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, _integrations, scripts).Compile(loaded.Flow!, diagnostics);

        diagnostics.Items.ShouldBeEmpty(string.Join(Environment.NewLine, diagnostics.Items));
        flow.ShouldNotBeNull();
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
