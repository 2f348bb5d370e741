using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>Defect: appends a <c>score</c> that its descriptor does not declare, so no flow can rely on it.</summary>
public sealed class UndeclaredField() : PhoneLookupBase("test.broken.undeclared-field", "Appends an undeclared field")
{
    public override IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
    {
        var result = base.ParseResponse(input, request, response);
        return result.Outcome == Outcome.Success
            ? result with { Appended = new Dictionary<string, object?>(result.Appended) { ["score"] = 0.9 } }
            : result;
    }
}
