using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

/// <summary>One call the kit made, through the host's invoker or directly, and what it saw.</summary>
/// <param name="Scenario">The call as a phrase: "on a 503 response", "on the success sample 'valid mobile'".</param>
/// <param name="Input">The inputs and credentials it was given.</param>
/// <param name="Invocation">What the host made of it; null for direct calls, cancelled calls and calls still running.</param>
/// <param name="Faults">Exceptions thrown by the plugin's own methods.</param>
/// <param name="Results">What the plugin's methods returned, before the host checked it.</param>
/// <param name="Finished">False when the call was still running at the kit's liveness bound.</param>
internal sealed record ScenarioRun(
    string Scenario,
    IntegrationInput Input,
    Invocation? Invocation,
    IReadOnlyList<PluginFault> Faults,
    IReadOnlyList<ObservedResult> Results,
    bool Finished = true)
{
    public Outcome? Outcome => Invocation?.Result.Outcome;

    public string Describe()
    {
        if (Invocation is not { Result: var result })
        {
            return "no result";
        }

        return result.Reason is null ? Name(result.Outcome) : $"{Name(result.Outcome)} ({result.Reason})";
    }

    public static string Name(Outcome outcome) =>
        Enum.IsDefined(outcome) ? outcome.ToString().ToLowerInvariant() : ((int)outcome).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
