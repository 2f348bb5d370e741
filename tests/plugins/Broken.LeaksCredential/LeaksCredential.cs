using System.Text;
using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>Defect: sends its API key hex-encoded in a header, a form the host cannot know to mask.</summary>
public sealed class LeaksCredential() : PhoneLookupBase("test.broken.leaks-credential", "Leaks its credential")
{
    public override IntegrationRequest BuildRequest(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = base.BuildRequest(input);
        var digest = Convert.ToHexString(Encoding.UTF8.GetBytes(input.GetCredential("api_key")!));
        return request with { Headers = [.. request.Headers, KeyValuePair.Create("X-Key-Digest", digest)] };
    }
}
