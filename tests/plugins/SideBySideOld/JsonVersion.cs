using Newtonsoft.Json;
using PluggableFlows.Sdk;

namespace SideBySide;

/// <summary>
/// Serializes with the Newtonsoft.Json its plugin ships and appends which version ran. Compiled into two plugins:
/// SideBySideOld (<c>test.json_old</c>, Newtonsoft.Json 12) and SideBySideNew (<c>test.json_new</c>, 13, with
/// NEWTONSOFT_13 defined).
/// </summary>
public sealed class JsonVersion : IHandlerIntegration
{
    // Touching Newtonsoft.Json in the constructor makes a missing copy of it fail at load, where the host reports it.
    private readonly string _newtonsoftVersion = typeof(JsonConvert).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
#if NEWTONSOFT_13
        Id = "test.json_new",
        Name = "JSON with Newtonsoft.Json 13",
#else
        Id = "test.json_old",
        Name = "JSON with Newtonsoft.Json 12",
#endif
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
