using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Flows;

/// <summary>What a <see cref="FlowLoader"/> needs to know beyond the flow file itself.</summary>
public sealed class FlowLoaderOptions
{
    /// <summary>
    /// Finds the descriptor of an integration id (<c>phone.verify</c>), or null when no loaded plugin offers it.
    /// Steps are checked against the descriptor: kind, inputs, required inputs, credentials.
    /// </summary>
    public Func<string, IntegrationDescriptor?> ResolveIntegration { get; init; } = static _ => null;

    /// <summary>Integration ids offered to the user as "did you mean" when a step names an unknown one.</summary>
    public IEnumerable<string> KnownIntegrationIds { get; init; } = [];

    /// <summary>
    /// The workspace folder holding <c>flows/</c>, <c>lists/</c>, <c>templates/</c> and <c>rules/</c>.
    /// Null (the default): the flow file's folder's parent, i.e. <c>scripts/</c> for <c>scripts/flows/x.yaml</c>.
    /// </summary>
    public string? ScriptsRoot { get; init; }

    /// <summary>The field types a flow may declare.</summary>
    public FieldTypeRegistry Types { get; init; } = FieldTypeRegistry.Default;
}
