using PluggableFlows.Sdk;

namespace Throwing;

/// <summary>An integration whose constructor throws, as one would when its settings are missing.</summary>
public sealed class ExplodingIntegration : IIntegration
{
    /// <summary>Always throws.</summary>
    public ExplodingIntegration() => throw new InvalidOperationException("The provider settings file is missing.");

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.exploding", Name = "Exploding", Kind = IntegrationKind.Enhancement };
}
