using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// <c>http.json</c>: delivers the lead as a JSON object. Each <c>json_property.&lt;path&gt;</c> input is a property at that
/// dot path (<c>json_property.contact.email</c> → <c>{"contact":{"email":"..."}}</c>); numbers and booleans stay typed.
/// A <c>body</c> input (from a template) is sent instead when it is well-formed JSON.
/// </summary>
public sealed class HttpJson : HttpDelivery
{
    private const string Prefix = "json_property.";

    /// <inheritdoc />
    public override IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "http.json",
        Name = "HTTP delivery (JSON)",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        Credentials = Credentials,
        RequestVariables = RequestVariables(
            "json_property.<path>: a property of the JSON body at that dot path (json_property.contact.email); numbers and booleans stay typed."),
        ResponseVariables = ResponseVariables,
    };

    /// <inheritdoc />
    public override IReadOnlyList<ConformanceSample> Samples { get; } = HttpSamples.For(Prefix);

    private protected override string BodyPrefix => Prefix;

    private protected override string ContentType => "application/json";

    private protected override string? BodyProblem(IReadOnlyList<(string Name, object? Value)> values) =>
        JsonBody.Writable(values) ? null : JsonBody.Build(values, Prefix).Problem;

    private protected override string WriteBody(IReadOnlyList<(string Name, object? Value)> values, IntegrationInput input) =>
        JsonBody.Build(values, Prefix).Body is { } body ? JsonBody.Write(body) : "{}";

    private protected override string? CheckBody(string body) => BodyCheck.JsonProblem(body);

    // Outside strings a well-formed JSON body is ASCII, so a transliterated run is always inside a string.
    private protected override string EscapeInBody(string ascii) =>
        ascii.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
