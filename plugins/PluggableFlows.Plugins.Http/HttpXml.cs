using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// <c>http.xml</c>: delivers the lead as an XML document. Each <c>xml_path.&lt;path&gt;</c> input is an element at that dot
/// path, the first part naming the root (<c>xml_path.lead.contact.email</c>), or an attribute with <c>@name</c> at the end
/// (<c>xml_path.lead@version</c>). A <c>body</c> input (from a template) is sent instead when it is well-formed XML.
/// </summary>
public sealed class HttpXml : HttpDelivery
{
    private const string Prefix = "xml_path.";

    /// <inheritdoc />
    public override IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "http.xml",
        Name = "HTTP delivery (XML)",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        Credentials = Credentials,
        RequestVariables = RequestVariables(
            "xml_path.<path>: an element of the XML body at that dot path, the first part naming the root (xml_path.lead.contact.email); @name at the end for an attribute (xml_path.lead@version)."),
        ResponseVariables = ResponseVariables,
    };

    /// <inheritdoc />
    public override IReadOnlyList<ConformanceSample> Samples { get; } = HttpSamples.For(Prefix);

    private protected override string BodyPrefix => Prefix;

    private protected override string ContentType => "application/xml";

    private protected override string? BodyProblem(IReadOnlyList<(string Name, object? Value)> values) => XmlBody.Build(values, Prefix).Problem;

    private protected override string WriteBody(IReadOnlyList<(string Name, object? Value)> values, IntegrationInput input) =>
        XmlBody.Build(values, Prefix) switch
        {
            { Root: { } root } => XmlBody.Write(root),
            var (_, problem) => throw new IntegrationRequestRefusedException(problem!),
        };

    private protected override string? CheckBody(string body) => BodyCheck.XmlProblem(body);

    private protected override string EscapeInBody(string ascii) => XmlBody.Escape(ascii);
}
