using PluggableFlows.Sdk;

namespace Reloadable;

/// <summary><c>test.reloadable</c>: appends the major version of the assembly it was built into (ReloadV1 or ReloadV2).</summary>
public sealed class ReloadableIntegration : IHandlerIntegration
{
    private static readonly string Version = typeof(ReloadableIntegration).Assembly.GetName().Version?.Major.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0";

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "test.reloadable",
        Name = "Reloadable",
        Kind = IntegrationKind.Enhancement,
        ResponseVariables = [new("version", "string", Description: "1 or 2: which build of the plugin ran.")],
    };

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(IntegrationResult.Success(new Dictionary<string, object?> { ["version"] = Version }));
}
