using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Templates;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>A flow file, checked and compiled, or every problem found in it.</summary>
/// <param name="File">The file.</param>
/// <param name="Flow">The compiled flow; null when anything is wrong.</param>
/// <param name="Diagnostics">Every problem, in file order.</param>
public sealed record FlowLoad(string File, CompiledFlow? Flow, IReadOnlyList<FlowDiagnostic> Diagnostics)
{
    /// <summary>True when the flow is ready to run.</summary>
    public bool Succeeded => Flow is not null && Diagnostics.Count == 0;
}

/// <summary>Loads flow files: YAML → checked definition → compiled flow, collecting every problem on the way.</summary>
public sealed class FlowCatalog
{
    private readonly FieldTypeRegistry _types;
    private readonly IIntegrationRegistry _integrations;
    private readonly TemplateEngine _templates;

    /// <summary>Creates a catalog over the given field types and integrations.</summary>
    /// <param name="types">The field types.</param>
    /// <param name="integrations">The integrations steps may name.</param>
    /// <param name="templates">Parses and renders the flows' templates, with its limits and clock
    /// (default: <see cref="TemplateEngine.Default"/>).</param>
    public FlowCatalog(FieldTypeRegistry types, IIntegrationRegistry integrations, TemplateEngine? templates = null)
    {
        _types = types;
        _integrations = integrations;
        _templates = templates ?? TemplateEngine.Default;
    }

    /// <summary>Loads one flow file.</summary>
    public FlowLoad LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var scriptsRoot = ScriptsRootOf(path);
        var loader = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => _integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
            KnownIntegrationIds = _integrations.All.Select(i => i.Descriptor.Id).ToArray(),
            ScriptsRoot = scriptsRoot,
            Types = _types,
        });
        var loaded = loader.Load(path);
        var diagnostics = new DiagnosticBag();
        var compiler = new FlowCompiler(_types, _integrations, scriptsRoot) { Templates = _templates };
        if (loaded.Succeeded)
        {
            var compiled = compiler.Compile(loaded.Flow, diagnostics);
            return new FlowLoad(path, diagnostics.HasErrors ? null : compiled, Ordered(path, diagnostics.Items));
        }

        // The file has problems already; compile what could be read anyway so rule problems (an unknown
        // operator, a bad pattern) are listed in the same run. Only rule diagnostics are new at this stage:
        // the loader has already reported unknown integrations and fields.
        diagnostics.AddRange(loaded.Diagnostics);
        if (loaded.Partial is { } partial)
        {
            var rules = new DiagnosticBag();
            compiler.Compile(partial, rules);
            diagnostics.AddRange(rules.Items.Where(d => d.Code.StartsWith("PF02", StringComparison.Ordinal)));
        }

        return new FlowLoad(path, null, Ordered(path, diagnostics.Items));
    }

    // The flow file's own problems first, then those inside the rule files it reads, each file in line order.
    private static FlowDiagnostic[] Ordered(string path, IEnumerable<FlowDiagnostic> diagnostics) =>
        diagnostics
            .OrderBy(d => d.Location.File == path ? 0 : 1)
            .ThenBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToArray();

    /// <summary>Loads every <c>*.yaml</c>/<c>*.yml</c> file in a folder, in name order.</summary>
    public IReadOnlyList<FlowLoad> LoadFolder(string folder) =>
        FlowFiles(folder).Select(LoadFile).ToArray();

    /// <summary>The flow files in a folder, in name order.</summary>
    public static IEnumerable<string> FlowFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.TopDirectoryOnly)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    // Flows live in <scripts>/flows/; lists, templates and rule files beside them in <scripts>/.
    private static string ScriptsRootOf(string path) =>
        Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path))!) ?? ".";
}
