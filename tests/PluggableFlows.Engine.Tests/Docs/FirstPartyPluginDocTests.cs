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

/// <summary>The flow in docs/plugins-first-party.md loads and compiles against the real first-party integrations.</summary>
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
        var text = File.ReadAllText(PluggableFlows.Testing.RepoPaths.Combine("docs", "plugins-first-party.md"));
        var flows = YamlBlock().Matches(text).Select(m => m.Groups[1].Value).ToList();

        flows.ShouldNotBeEmpty();
        foreach (var yaml in flows)
        {
            var loaded = new FlowLoader(new FlowLoaderOptions
            {
                ResolveIntegration = id => _integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
                ScriptsRoot = _scripts,
            }).Parse(yaml, "plugins-first-party.yaml");
            loaded.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, loaded.Diagnostics));

            var diagnostics = new DiagnosticBag();
            var flow = new FlowCompiler(FieldTypeRegistry.Default, _integrations, _scripts).Compile(loaded.Flow!, diagnostics);

            diagnostics.Items.ShouldBeEmpty(string.Join(Environment.NewLine, diagnostics.Items));
            flow.ShouldNotBeNull();
        }
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
