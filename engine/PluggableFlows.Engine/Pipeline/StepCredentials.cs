using PluggableFlows.Engine.Flows;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>The credentials a step's integration is called with: an add-on runs on the host's account, a BYOC
/// integration on what the step maps (from the environment or secret files), and nothing else. Read at each call, so a
/// rotated secret is picked up by the next lead or retry.</summary>
public sealed class StepCredentials(ISecretResolver secrets, IAddOnAccounts addOns)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>(0);

    /// <summary>The credentials for <paramref name="step"/> of <paramref name="flow"/>, calling <paramref name="descriptor"/>.</summary>
    public IReadOnlyDictionary<string, string> For(CompiledFlow flow, IntegrationStepDefinition step, IntegrationDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Class == IntegrationClass.AddOn)
        {
            return addOns.CredentialsFor(descriptor);
        }

        if (step.Credentials.Count == 0)
        {
            return None;
        }

        var credentials = new Dictionary<string, string>(step.Credentials.Count, StringComparer.Ordinal);
        foreach (var (name, reference) in step.Credentials)
        {
            if (secrets.Resolve(reference, flow.Definition.File) is { } secret)
            {
                credentials[name] = secret;
            }
        }

        return credentials;
    }
}
