using Newtonsoft.Json;
using PluggableFlows.Sdk;

namespace SideBySideNew;

/// <summary><c>test.json_new</c>: serializes with the Newtonsoft.Json this plugin ships (13) and appends which version ran.</summary>
public sealed class JsonNew : IHandlerIntegration
{
    // Touching Newtonsoft.Json in the constructor makes a missing copy of it fail at load, where the host reports it.
    private readonly string _newtonsoftVersion = typeof(JsonConvert).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "test.json_new",
        Name = "JSON with Newtonsoft.Json 13",
        Kind = IntegrationKind.Enhancement,
        ResponseVariables =
        [
            new("newtonsoft", "string", Description: "The Newtonsoft.Json assembly version that ran."),
            new("json", "string", Description: "The inputs serialized."),
        ],
    };

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(IntegrationResult.Success(new Dictionary<string, object?>
        {
            ["newtonsoft"] = _newtonsoftVersion,
            ["json"] = JsonConvert.SerializeObject(context.Input.Values),
        }));
    }
}
