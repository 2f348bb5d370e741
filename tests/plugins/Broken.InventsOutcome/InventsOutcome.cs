using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>Defect: reports the provider saying no as an outcome that does not exist.</summary>
public sealed class InventsOutcome() : PhoneLookupBase("test.broken.invents-outcome", "Invents an outcome")
{
    public override IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
    {
        var result = base.ParseResponse(input, request, response);
        return result.Outcome == Outcome.Failure ? result with { Outcome = (Outcome)42 } : result;
    }
}
