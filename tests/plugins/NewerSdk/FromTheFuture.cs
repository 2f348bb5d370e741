using PluggableFlows.Sdk;

namespace NewerSdk;

/// <summary>A well-formed integration, compiled against PluggableFlows.Sdk 9.0.0.0.</summary>
public sealed class FromTheFuture : IHandlerIntegration
{
    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.future", Name = "From the future", Kind = IntegrationKind.Enhancement };

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(IntegrationResult.Success());
}
