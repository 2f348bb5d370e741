using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>A flow ready to run leads: rules compiled to delegates, templates split, integrations resolved.</summary>
public sealed class CompiledFlow
{
    internal CompiledFlow(FlowDefinition definition, IReadOnlyDictionary<string, IFieldType> fieldTypes,
        CompiledCriteria? acceptanceCriteria, IReadOnlyDictionary<string, CompiledSource> sources, IReadOnlyList<CompiledStep> steps)
    {
        Definition = definition;
        FieldParsers = fieldTypes;
        FieldTypes = fieldTypes.ToDictionary(pair => pair.Key, pair => pair.Value.Name, StringComparer.Ordinal);
        AcceptanceCriteria = acceptanceCriteria;
        Sources = sources;
        Steps = steps;
    }

    /// <summary>The flow as written.</summary>
    public FlowDefinition Definition { get; }

    /// <summary>Flow id.</summary>
    public string Id => Definition.Id;

    /// <summary>Type of every declared field (standard and custom), by field id.</summary>
    public IReadOnlyDictionary<string, string> FieldTypes { get; }

    /// <summary>The parser of every declared field (standard and custom), resolved once.</summary>
    internal IReadOnlyDictionary<string, IFieldType> FieldParsers { get; }

    internal CompiledCriteria? AcceptanceCriteria { get; }

    internal IReadOnlyDictionary<string, CompiledSource> Sources { get; }

    internal IReadOnlyList<CompiledStep> Steps { get; }
}

internal sealed record CompiledCriteria(CompiledRuleSet RuleSet, FlowTemplate Reason);

internal sealed record CompiledSource(SourceDefinition Definition, IReadOnlyDictionary<string, string> Mappings, CompiledCriteria? AcceptanceCriteria);

internal abstract record CompiledStep(StepDefinition Definition)
{
    public string Key => Definition.Key;
}

internal sealed record CompiledFilterStep(FilterStepDefinition Filter, CompiledRuleSet StopIf, FlowTemplate Reason)
    : CompiledStep(Filter);

internal sealed record CompiledIntegrationStep(
    IntegrationStepDefinition Step,
    IntegrationDescriptor Descriptor,
    CompiledRuleSet? When,
    IReadOnlyList<KeyValuePair<string, FlowTemplate>> Inputs,
    IReadOnlyList<CompiledConditionalInput> ConditionalInputs) : CompiledStep(Step);

/// <summary>An input written as alternatives, tried in order.</summary>
internal sealed record CompiledConditionalInput(string Name, IReadOnlyList<CompiledInputAlternative> Alternatives);

/// <summary>One alternative: its value, and the rules that choose it (null: always).</summary>
internal sealed record CompiledInputAlternative(FlowTemplate Value, CompiledRuleSet? When);
