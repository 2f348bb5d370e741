using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Templates;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>Turns a checked <see cref="FlowDefinition"/> into a <see cref="CompiledFlow"/>, once, at load.</summary>
public sealed class FlowCompiler
{
    private readonly FieldTypeRegistry _types;
    private readonly IIntegrationRegistry _integrations;
    private readonly string? _scriptsRoot;

    /// <summary>Creates a compiler.</summary>
    public FlowCompiler(FieldTypeRegistry types, IIntegrationRegistry integrations, string? scriptsRoot)
    {
        _types = types;
        _integrations = integrations;
        _scriptsRoot = scriptsRoot;
    }

    /// <summary>Parses and renders the flow's templates (default: <see cref="TemplateEngine.Default"/>).</summary>
    public TemplateEngine Templates { get; init; } = TemplateEngine.Default;

    /// <summary>Folder where compiled C# rules are cached by content hash; null for the default.</summary>
    public string? CSharpCacheDirectory { get; init; }

    /// <summary>Compiles; every problem found goes to <paramref name="diagnostics"/>. Returns null when any was found.</summary>
    public CompiledFlow? Compile(FlowDefinition flow, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var before = diagnostics.Items.Count;

        var fieldTypes = FlowRuleContext.FieldTypesOf(flow);
        var rules = new RuleCompiler(FlowRuleContext.Create(flow, _types, _scriptsRoot, CSharpCacheDirectory));

        var templates = new FlowTemplates(Templates, flow, _scriptsRoot, diagnostics);
        var criteria = Criteria(flow.AcceptanceCriteria, rules, diagnostics, templates);
        var sources = new Dictionary<string, CompiledSource>(StringComparer.Ordinal);
        foreach (var source in flow.Sources)
        {
            var mappings = new Dictionary<string, string>(source.Mappings, StringComparer.OrdinalIgnoreCase);
            sources[source.Id] = new CompiledSource(source, mappings, Criteria(source.AcceptanceCriteria, rules, diagnostics, templates));
        }

        var steps = new List<CompiledStep>(flow.Steps.Count);
        foreach (var step in flow.Steps)
        {
            switch (step)
            {
                case FilterStepDefinition filter:
                    steps.Add(new CompiledFilterStep(filter, rules.Compile(filter.StopIf, diagnostics),
                        templates.Text(filter.Reason ?? $"Stopped by filter {filter.Key}", filter.Location)));
                    break;
                case IntegrationStepDefinition integrationStep:
                    if (!_integrations.TryGet(integrationStep.Integration, out var integration))
                    {
                        diagnostics.Report(step.Location, "PF0301",
                            $"Step '{step.Key}' uses integration '{integrationStep.Integration}', which no loaded plugin provides.",
                            Suggestions.Nearest(integrationStep.Integration, _integrations.All.Select(i => i.Descriptor.Id)) is { } near
                                ? $"Did you mean '{near}'?"
                                : "Run 'pflow plugin list' to see the integrations available.");
                        continue;
                    }

                    var when = integrationStep.When is null ? null : rules.Compile(integrationStep.When, diagnostics);
                    var inputs = integrationStep.Inputs
                        .Select(pair => KeyValuePair.Create(pair.Key, templates.Input(integrationStep, pair.Key, pair.Value, integrationStep.Location)))
                        .ToArray();
                    var conditionalInputs = integrationStep.ConditionalInputs
                        .Select(pair => new CompiledConditionalInput(pair.Key, pair.Value
                            .Select(alternative => new CompiledInputAlternative(templates.Input(integrationStep, pair.Key, alternative.Value, alternative.Location),
                                alternative.When is null ? null : rules.Compile(alternative.When, diagnostics)))
                            .ToArray()))
                        .ToArray();
                    steps.Add(new CompiledIntegrationStep(integrationStep, integration.Descriptor, when, inputs, conditionalInputs));
                    break;
            }
        }

        rules.Finish(diagnostics);
        if (diagnostics.Items.Count > before)
        {
            return null;
        }

        var parsers = new Dictionary<string, IFieldType>(fieldTypes.Count, StringComparer.Ordinal);
        foreach (var (id, typeName) in fieldTypes)
        {
            if (_types.TryGet(typeName, out var type))
            {
                parsers[id] = type;
            }
            else
            {
                diagnostics.Report(flow.Location, "PF0302", $"Field '{id}' has type '{typeName}', which is not a field type.",
                    $"Known types: {string.Join(", ", _types.Names)}.");
            }
        }

        return diagnostics.Items.Count > before ? null : new CompiledFlow(flow, parsers, criteria, sources, steps);
    }

    private static CompiledCriteria? Criteria(CriteriaDefinition? criteria, RuleCompiler rules, DiagnosticBag diagnostics,
        FlowTemplates templates) =>
        criteria is null
            ? null
            : new CompiledCriteria(rules.Compile(criteria.RuleSet, diagnostics),
                templates.Text(criteria.Reason ?? "Failed acceptance criteria", criteria.Location));
}
