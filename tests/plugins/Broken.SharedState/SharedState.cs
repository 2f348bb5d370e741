using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>Defect: remembers the phone of "the" current call in a static field, so concurrent calls answer each
/// other's numbers.</summary>
public sealed class SharedState() : PhoneLookupBase("test.broken.shared-state", "Shares mutable static state")
{
    private static string? _lastPhone;

    public override IntegrationRequest BuildRequest(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _lastPhone = input.GetString("phone");
        return base.BuildRequest(input);
    }

    public override IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
    {
        var result = base.ParseResponse(input, request, response);
        return result.Outcome == Outcome.Success
            ? result with { Appended = new Dictionary<string, object?>(result.Appended) { ["phone"] = _lastPhone } }
            : result;
    }
}
