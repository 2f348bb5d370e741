using System.Xml;
using System.Xml.Linq;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// <c>http.soap</c>: delivers the lead as a SOAP 1.1 or 1.2 message. The payload is built from <c>xml_path.&lt;path&gt;</c>
/// inputs as for <c>http.xml</c> (or is a pre-rendered <c>body</c>) and goes inside <c>soap:Body</c>; a <c>body</c> that is
/// already a whole envelope is sent as it is. SOAP 1.1 is sent as <c>text/xml; charset=utf-8</c> with a <c>SOAPAction</c>
/// header; SOAP 1.2 as <c>application/soap+xml; charset=utf-8; action="..."</c>.
/// </summary>
public sealed class HttpSoap : HttpDelivery
{
    private const string Prefix = "xml_path.";
    private const string ActionName = "soap_action";
    private const string VersionName = "soap_version";
    private static readonly XNamespace Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    /// <inheritdoc />
    public override IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "http.soap",
        Name = "HTTP delivery (SOAP)",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        Credentials = Credentials,
        RequestVariables = RequestVariables(
            "xml_path.<path>: an element of the payload inside soap:Body, as for http.xml (xml_path.AddLead.Lead.Email; xml_path.AddLead@xmlns for its namespace).",
            body: "The payload inside soap:Body (or a whole soap:Envelope), usually rendered by a template; replaces the xml_path values, and is checked before anything is sent.",
            own:
            [
                new(ActionName, "string", Description: "The operation's SOAP action (http://example.com/AddLead): the SOAPAction header in SOAP 1.1, the action parameter of the content type in 1.2."),
                new(VersionName, "string", Description: "1.1 (the default) or 1.2."),
            ]),
        ResponseVariables = ResponseVariables,
    };

    /// <inheritdoc />
    public override IReadOnlyList<ConformanceSample> Samples { get; } = HttpSamples.For(Prefix, soap: true);

    private protected override string BodyPrefix => Prefix;

    private protected override string ContentType => "text/xml; charset=utf-8";

    private protected override IReadOnlyList<string> OwnInputs { get; } = [ActionName, VersionName];

    private protected override string? OwnInputProblem(IntegrationInput input)
    {
        if (input.GetString(VersionName)?.Trim() is { } version and not ("1.1" or "1.2"))
        {
            return $"'{VersionName}' must be 1.1 or 1.2, not '{InputText.Shorten(version)}'";
        }

        return input.GetString(ActionName) is { } action && action.Any(c => c is '\r' or '\n' or '\0' or '"')
            ? $"'{ActionName}' holds a line break, NUL or quote, which a SOAP action cannot carry"
            : null;
    }

    private protected override string ContentTypeFor(IntegrationInput input)
    {
        if (!IsSoap12(input))
        {
            return ContentType;
        }

        return input.GetString(ActionName) is { Length: > 0 } action
            ? $"application/soap+xml; charset=utf-8; action=\"{action}\""
            : "application/soap+xml; charset=utf-8";
    }

    // SOAP 1.1 requires the header on every request, its value a quoted URI ("" when the service needs none).
    private protected override IEnumerable<KeyValuePair<string, string>> FormatHeaders(IntegrationInput input) =>
        IsSoap12(input) ? [] : [new("SOAPAction", $"\"{input.GetString(ActionName) ?? ""}\"")];

    private protected override string? BodyProblem(IReadOnlyList<(string Name, object? Value)> values) => XmlBody.Build(values, Prefix).Problem;

    private protected override string WriteBody(IReadOnlyList<(string Name, object? Value)> values, IntegrationInput input)
    {
        var (payload, problem) = XmlBody.Build(values, Prefix);
        if (payload is null)
        {
            throw new IntegrationRequestRefusedException(problem!);
        }

        var soap = IsSoap12(input) ? Soap12 : Soap11;
        return XmlBody.Write(new XElement(soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soap", soap), new XElement(soap + "Body", payload)));
    }

    private protected override string? CheckBody(string body) => BodyCheck.XmlProblem(body);

    private protected override string FinishBody(string body, IntegrationInput input)
    {
        if (IsEnvelope(body))
        {
            return body;
        }

        var soap = IsSoap12(input) ? Soap12 : Soap11;
        return $"""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{soap.NamespaceName}"><soap:Body>{WithoutDeclaration(body)}</soap:Body></soap:Envelope>""";
    }

    private protected override string EscapeInBody(string ascii) => XmlBody.Escape(ascii);

    private static bool IsSoap12(IntegrationInput input) => input.GetString(VersionName)?.Trim() == "1.2";

    private static bool IsEnvelope(string body)
    {
        using var reader = XmlReader.Create(new StringReader(body), XmlReading.Settings);
        return reader.MoveToContent() == XmlNodeType.Element && reader.LocalName == "Envelope"
            && (reader.NamespaceURI == Soap11.NamespaceName || reader.NamespaceURI == Soap12.NamespaceName);
    }

    // A declaration may only open a document; inside soap:Body it would make the envelope malformed.
    private static string WithoutDeclaration(string body)
    {
        var trimmed = body.TrimStart();
        return trimmed.StartsWith("<?xml", StringComparison.Ordinal) && trimmed.IndexOf("?>", StringComparison.Ordinal) is > 0 and var end
            ? trimmed[(end + 2)..]
            : body;
    }
}
