using System.Diagnostics.CodeAnalysis;
using PluggableFlows.Engine.Diagnostics;

namespace PluggableFlows.Engine.Flows;

/// <summary>The outcome of loading one flow file: the flow, or every problem found in it.</summary>
/// <param name="Flow">The flow; null when anything was wrong with the file.</param>
/// <param name="Diagnostics">Every problem found, in file order.</param>
public sealed record FlowLoadResult(FlowDefinition? Flow, IReadOnlyList<FlowDiagnostic> Diagnostics)
{
    /// <summary>True when the flow loaded without any problem.</summary>
    [MemberNotNullWhen(true, nameof(Flow))]
    public bool Succeeded => Flow is not null && Diagnostics.Count == 0;

    /// <summary>
    /// As much of the flow as could be read, even when there were problems; null only when the file is not a
    /// YAML mapping at all. <c>pflow check</c> compiles its rules too, so one run reports every problem.
    /// Never run leads through it.
    /// </summary>
    public FlowDefinition? Partial { get; init; }
}
