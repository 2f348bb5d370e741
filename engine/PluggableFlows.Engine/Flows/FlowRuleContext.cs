using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Flows;

/// <summary>
/// What a flow's rules are compiled against: its field types (declared fields over the standard catalog), its step
/// keys and its lists folder. Tools that compile a rule outside the flow file (<c>pflow rules eval</c>) build the same
/// context the flow compiler builds, so a rule means there what it means in the flow.
/// </summary>
public static class FlowRuleContext
{
    /// <summary>The type of every field a lead of <paramref name="flow"/> may carry, by field id: the standard
    /// catalog, overridden by the flow's own declarations.</summary>
    public static IReadOnlyDictionary<string, string> FieldTypesOf(FlowDefinition flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var fieldTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, type) in StandardFields.Types)
        {
            fieldTypes[id] = type;
        }

        foreach (var field in flow.Fields)
        {
            fieldTypes[field.Id] = field.Type;
        }

        return fieldTypes;
    }

    /// <summary>The slots of the fields <paramref name="flow"/> declares (standard fields it does not declare are read
    /// by id).</summary>
    public static FieldLayout LayoutOf(FlowDefinition flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return FieldLayout.Of(flow.Fields.Select(field => field.Id));
    }

    /// <summary>The rule compilation context of <paramref name="flow"/>.</summary>
    /// <param name="flow">The flow the rules belong to.</param>
    /// <param name="types">Field types.</param>
    /// <param name="scriptsRoot">The workspace folder holding <c>lists/</c>; null when there is none.</param>
    /// <param name="csharpCacheDirectory">Where compiled C# rules are cached; null for the default.</param>
    public static RuleCompilationContext Create(FlowDefinition flow, FieldTypeRegistry types, string? scriptsRoot, string? csharpCacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(types);
        var fieldTypes = FieldTypesOf(flow);
        return new RuleCompilationContext
        {
            Types = types,
            FieldTypeOf = id => fieldTypes.TryGetValue(id, out var type) ? type : null,
            FieldIds = fieldTypes.Keys.ToArray(),
            Layout = LayoutOf(flow),
            StepKeys = flow.Steps.Select(s => s.Key).ToHashSet(StringComparer.Ordinal),
            ListsDirectory = scriptsRoot is null ? null : Path.Combine(scriptsRoot, "lists"),
            CSharpCacheDirectory = csharpCacheDirectory,
        };
    }
}
