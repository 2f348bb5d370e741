using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>Defect: when its call is cancelled it "backs off" for 5 s without the token, holding the lead up.</summary>
public sealed class IgnoresCancellation() : PhoneLookupHandlerBase("test.broken.ignores-cancellation", "Ignores cancellation")
{
    public override async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await base.HandleAsync(context, cancellationToken);
        }
        catch (OperationCanceledException)
        {
#pragma warning disable CA2016 // The defect under test: the token is not passed on.
            await Task.Delay(TimeSpan.FromSeconds(5));
#pragma warning restore CA2016
            return IntegrationResult.Error("The provider did not answer");
        }
    }
}
