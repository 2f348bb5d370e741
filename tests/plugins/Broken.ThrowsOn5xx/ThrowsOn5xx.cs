using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>Defect: throws when the provider answers 5xx instead of returning an error outcome.</summary>
public sealed class ThrowsOn5xx() : PhoneLookupBase("test.broken.throws-on-5xx", "Throws on 5xx")
{
    public override IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.StatusCode >= 500
            ? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unexpected status {response.StatusCode}"))
            : base.ParseResponse(input, request, response);
    }
}
