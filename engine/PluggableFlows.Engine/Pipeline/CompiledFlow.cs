using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>A flow ready to run leads: rules compiled to delegates, templates split, integrations resolved.</summary>
public sealed class CompiledFlow
{
    internal CompiledFlow(FlowDefinition definition, IReadOnlyDictionary<string, IFieldType> fieldTypes,
        CompiledCriteria? acceptanceCriteria, IReadOnlyDictionary<string, CompiledSource> sources, IReadOnlyList<CompiledStep> steps)
    {
        Definition = definition;
        // Keyed and valued by the interned field id: a lead's fields are stored under it, so a rule's path (whose names
        // are interned too) finds a field by reference rather than by comparing text.
        Layout = FlowRuleContext.LayoutOf(definition);
        FieldParsers = fieldTypes
            .Select(pair => new DeclaredField(string.Intern(pair.Key), pair.Value, Layout.SlotOf(pair.Key)))
            .ToDictionary(field => field.Id, StringComparer.Ordinal);
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

    /// <summary>The slots of the fields the flow declares: the pipeline stores a lead's declared fields by slot, and the
    /// flow's rules read them by slot.</summary>
    public FieldLayout Layout { get; }

    /// <summary>The parser of every declared field (standard and custom), resolved once, with the field's interned id.</summary>
    internal IReadOnlyDictionary<string, DeclaredField> FieldParsers { get; }

    internal CompiledCriteria? AcceptanceCriteria { get; }

    internal IReadOnlyDictionary<string, CompiledSource> Sources { get; }

    internal IReadOnlyList<CompiledStep> Steps { get; }
}

internal sealed record CompiledCriteria(CompiledRuleSet RuleSet, FlowTemplate Reason);

internal sealed record CompiledSource(SourceDefinition Definition, IReadOnlyDictionary<string, string> Mappings, CompiledCriteria? AcceptanceCriteria);

/// <summary>A field a lead may carry: its interned id, its type, and its slot of the flow's layout (-1 for a standard
/// field the flow does not declare).</summary>
internal readonly record struct DeclaredField(string Id, IFieldType Type, int Slot);

internal abstract record CompiledStep(StepDefinition Definition)
{
    /// <summary>The step key, interned like every name a rule or template path holds (<see cref="Vars.VarPath"/>), so
    /// finding a step's vars by key is usually settled by the reference check.</summary>
    public string Key { get; } = string.Intern(Definition.Key);
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
