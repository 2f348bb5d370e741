namespace PluggableFlows.Sdk;

/// <summary>
/// Optionally implemented by an integration: canned provider answers with the outcome each must give. The conformance
/// kit (its xunit base class and <c>pflow plugin verify</c>) replays them and derives the failure cases (4xx, 5xx,
/// timeout, malformed body, missing credential) from the first sample that succeeds.
/// </summary>
public interface IConformanceSamples
{
    /// <summary>At least one sample whose expected outcome is success, and one for the provider saying no.</summary>
    IReadOnlyList<ConformanceSample> Samples { get; }
}

/// <summary>One canned call: the inputs a step would map, the provider's answer, and the outcome it must give.</summary>
public sealed record ConformanceSample
{
    /// <summary>What the sample shows ("valid mobile number", "certificate expired").</summary>
    public required string Name { get; init; }

    /// <summary>Inputs as text, by request-variable name; the kit parses each as its declared type.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Credentials by name (use made-up values; the kit checks they never appear unmasked).</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; init; } = new Dictionary<string, string>();

    /// <summary>The provider's answer to every request the integration makes; null for integrations that make none.</summary>
    public IntegrationResponse? Response { get; init; }

    /// <summary>The outcome the integration must give.</summary>
    public required Outcome ExpectedOutcome { get; init; }

    /// <summary>Appended values the result must contain, by name (compared as text); empty to check none.</summary>
    public IReadOnlyDictionary<string, string> ExpectedAppended { get; init; } = new Dictionary<string, string>();
}
