using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// <c>http.form</c>: delivers the lead as an HTML form post (<c>application/x-www-form-urlencoded</c>), one
/// <c>form_field.&lt;name&gt;</c> input per field, or a pre-rendered <c>body</c> sent as it is.
/// </summary>
public sealed class HttpForm : HttpDelivery
{
    private const string Prefix = "form_field.";

    /// <inheritdoc />
    public override IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "http.form",
        Name = "HTTP delivery (form post)",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        Credentials = Credentials,
        RequestVariables = RequestVariables("form_field.<name>: one field of the form body (form_field.email)."),
        ResponseVariables = ResponseVariables,
    };

    /// <inheritdoc />
    public override IReadOnlyList<ConformanceSample> Samples { get; } = HttpSamples.For(Prefix);

    private protected override string BodyPrefix => Prefix;

    private protected override string ContentType => "application/x-www-form-urlencoded";

    private protected override string? BodyProblem(IReadOnlyList<(string Name, object? Value)> values)
    {
        var unnamed = values.Any(value => value.Name.Length == 0);
        return unnamed ? $"An input named '{Prefix}' gives no field name; write {Prefix}<name>" : null;
    }

    private protected override string WriteBody(IReadOnlyList<(string Name, object? Value)> values, IntegrationInput input) => FormBody.Write(values);

    private protected override string EscapeInBody(string ascii) => FormBody.Encode(ascii);
}
