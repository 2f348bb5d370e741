using PluggableFlows.Sdk;

namespace DuplicateId;

/// <summary>Declares <c>test.json_old</c>, an id SideBySideOld already provides.</summary>
public sealed class Impostor : IHandlerIntegration
{
    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.json_old", Name = "Impostor", Kind = IntegrationKind.Enhancement };

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(IntegrationResult.Success());
}

/// <summary>An integration with an id of its own: it loads even though its sibling is refused.</summary>
public sealed class Unique : IHandlerIntegration
{
    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.unique", Name = "Unique", Kind = IntegrationKind.Enhancement };

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(IntegrationResult.Success());
}
