using PluggableFlows.Sdk;

namespace InvalidDescriptor;

/// <summary>A descriptor with an empty name and an id that is not dotted lower-case.</summary>
public sealed class Sloppy : IHandlerIntegration
{
    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new() { Id = "Sloppy Id", Name = "", Kind = IntegrationKind.Enhancement };

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(IntegrationResult.Success());
}
